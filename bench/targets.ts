import type { TargetId } from './report';

/** The gateways, each run in a process of its own. */
export type GatewayTargetId = Exclude<TargetId, 'direct'>;
export const GATEWAY_TARGETS: readonly GatewayTargetId[] = ['ours', 'ours-off', 'plain', 'hive'];

/**
 * The targets a scenario runs on, in the order they are interleaved. The registration part of (a) exists only to
 * compare a gateway with the direct subgraph call, so it runs on ours, the baseline (for ratios) and the subgraph.
 */
export function targetsFor(scenario: { id: string; directSubgraph?: string }): TargetId[] {
  if (scenario.directSubgraph) return ['ours', 'plain', 'direct'];
  return [...GATEWAY_TARGETS];
}
