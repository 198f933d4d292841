/**
 * The shared core: what both the gateway and the subgraphs need, and nothing else of ours. Other folders import core
 * only through this file, so this list is its public surface.
 */
export * from './access-policy';
export * from './clock';
export * from './decimal';
export * from './errors';
export * from './internal-context';
export * from './log-level';
export * from './market-roles';
export * from './mpan';
export * from './logging';
export * from './metrics';
export * from './observe-requests';
export * from './request-id';
export * from './tracing';
export * from './period-length';
export * from './read-sdl';
export * from './scalars';
export * from './time';
export * from './verified-token-cache';
export * from './lifecycle';
export * from './message-streams';
