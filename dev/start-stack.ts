import type { KeyLike } from 'jose';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createDatabase, Database } from '../subgraphs/kit/db';
import { buildSubgraphApp } from '../subgraphs/kit/build-subgraph-app';
import { subgraphs } from '../subgraphs';
import { buildGateway } from '../gateway/build-gateway';
import type { AuditEntry } from '../gateway/audit';
import type { EdgeSettings } from '../gateway/limits/edge-settings';
import type { StackSecurity } from './security';
import type { TimedWorkSettings } from '../subgraphs/kit/timed-work';
import { listenOrExplain, type Clock, type InternalContextVerifier, type LoggerSetting } from '../core';

export interface StackOptions {
  databaseUrl: string;
  supergraphSdl: string;
  host?: string;
  /** Gateway port; 0 picks a free one. */
  gatewayPort: number;
  /** Port of each subgraph by name; 0 (or missing) picks a free one. */
  subgraphPorts?: Record<string, number>;
  security: StackSecurity;
  /** Business time of the gateway, which every subgraph decides on (core/clock.ts). */
  clock: Clock;
  /** false: ACCESS=off, no per-role schemas at the gateway (see GatewayOptions.accessEnforcement). */
  accessEnforcement?: boolean;
  /** Where the gateway writes refusals (default: stdout). */
  audit?: (entry: AuditEntry) => void;
  /** JSON request logs of the gateway and every subgraph (off by default). */
  logger?: LoggerSetting;
  /** false: no `/metrics` on the services' ports (served by a listener of its own, METRICS_PORT). */
  metricsRoute?: boolean;
  /** Browser origins allowed to call the gateway (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** Limits, bounds, rate limit and APQ of the gateway (default: DEFAULT_EDGE). */
  edge?: EdgeSettings;
  /** The subgraphs' sweeps and outbox relay (subgraphs/kit/timed-work.ts); none when absent. */
  timedWork?: TimedWorkSettings;
  /** Where the gateway's message stream blocks for new messages (MESSAGE_FEED_REDIS_URL); it polls when absent. */
  messageFeedRedisUrl?: string;
  /** How often an idle message stream asks again (MESSAGE_STREAM_POLL_MS; without Redis, or as its fallback). */
  messageStreamPollMs?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  db: Database;
  app: FastifyInstance;
}

export interface RunningStack {
  gatewayUrl: string;
  gateway: FastifyInstance;
  subgraphs: RunningSubgraph[];
  stop(): Promise<void>;
}

/**
 * Starts every subgraph (own pool each, so statement counts are per subgraph) and the gateway in front of them, all
 * over real HTTP. The database must be migrated already.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const running = await startSubgraphs({
    ...options,
    contextVerifier: options.security.contextVerifier,
    questionKey: options.security.questionKey,
    ports: options.subgraphPorts,
  });
  try {
    const gateway = await buildGateway({
      supergraphSdl: options.supergraphSdl,
      subgraphUrls: Object.fromEntries(running.map((s) => [s.name, s.url])),
      tokenVerifier: options.security.tokenVerifier,
      internalContextKey: options.security.internalContextKey,
      clock: options.clock,
      audit: options.audit,
      devTokens: options.security.devTokens,
      accessEnforcement: options.accessEnforcement,
      logger: options.logger,
      metricsRoute: options.metricsRoute,
      corsOrigins: options.corsOrigins,
      edge: options.edge,
      messageFeedRedisUrl: options.messageFeedRedisUrl,
      messageStreamPollMs: options.messageStreamPollMs,
    });
    await listenOrExplain(gateway, { host, port: options.gatewayPort, what: 'gateway', setting: 'PORT' });
    const stop = async () => {
      await gateway.close();
      await stopSubgraphs(running);
    };
    return { gatewayUrl: `http://${host}:${(gateway.server.address() as AddressInfo).port}/graphql`, gateway, subgraphs: running, stop };
  } catch (error) {
    await stopSubgraphs(running);
    throw error;
  }
}

/**
 * Starts every subgraph, each with its own pool (so statement counts are per subgraph), listening on `ports` (0 or
 * missing: a free one). If one fails to start, those already started are stopped.
 */
export async function startSubgraphs(options: {
  databaseUrl: string;
  contextVerifier: InternalContextVerifier;
  /** Signs the subgraphs' questions to each other. */
  questionKey: KeyLike;
  host?: string;
  ports?: Record<string, number>;
  logger?: LoggerSetting;
  metricsRoute?: boolean;
  timedWork?: TimedWorkSettings;
}): Promise<RunningSubgraph[]> {
  const host = options.host ?? '127.0.0.1';
  const running: RunningSubgraph[] = [];
  // Filled in as each subgraph listens; subgraphs read it lazily to reach a scope owner that starts after them.
  const subgraphUrls: Record<string, string> = {};
  try {
    for (const subgraph of subgraphs) {
      const db = createDatabase(options.databaseUrl, { applicationName: `mhhs-${subgraph.name}` });
      const app = await buildSubgraphApp({
        subgraph,
        db,
        contextVerifier: options.contextVerifier,
        questionKey: options.questionKey,
        subgraphUrls,
        logger: options.logger,
        metricsRoute: options.metricsRoute,
        timedWork: options.timedWork,
      });
      const setting = subgraph.urlEnv.replace(/_URL$/, '_PORT');
      await listenOrExplain(app, { host, port: options.ports?.[subgraph.name] ?? 0, what: `subgraph ${subgraph.name}`, setting });
      const url = `http://${host}:${(app.server.address() as AddressInfo).port}/graphql`;
      subgraphUrls[subgraph.name] = url;
      running.push({ name: subgraph.name, url, db, app });
    }
    return running;
  } catch (error) {
    await stopSubgraphs(running);
    throw error;
  }
}

/** Closes every subgraph's server and pool, even when one of them fails to close. */
export async function stopSubgraphs(running: RunningSubgraph[]): Promise<void> {
  await Promise.allSettled(
    running.map(async (subgraph) => {
      await subgraph.app.close();
      await subgraph.db.close();
    }),
  );
}
