import { subgraphs } from '../../subgraphs';
import { freePort } from '../../dev/free-port';
import { postGraphQL } from '../support/process-stack';
import { serviceProcess, type ServiceProcess } from '../support/service-process';
import { testKeys, type Actor } from '../support/test-keys';
import { TEST_NOW } from '../support/test-clock';
import { startHaproxy, serverName, type Haproxy, type HaproxyTier } from './haproxy';

/** The tier name of the gateways in HAProxy (the subgraph tiers are named after the subgraphs). */
export const GATEWAY_TIER = 'gateway';

/** Every tier of the product run as several processes behind HAProxy, as a deployment with replicas runs it. */
export interface ReplicaStack {
  /** The HAProxy frontend of the gateways: what clients call. */
  gatewayUrl: string;
  /** Each gateway replica's own URL (bypassing HAProxy), to send to one replica on purpose. */
  gatewayReplicaUrls: string[];
  haproxy: Haproxy;
  /** The replicas of a tier (`gateway` or a subgraph name), in HAProxy's server order. */
  replicas(tier: string): ServiceProcess[];
  /** POSTs an operation to `url` (the HAProxy frontend by default) with a real token for `as`. */
  query(
    query: string,
    variables: Record<string, unknown> | undefined,
    as: Actor,
    url?: string,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export interface ReplicaStackOptions {
  /** Replicas per tier (default 2). */
  replicas?: number;
  /** The dev keys every process trusts and the token signer for `query` (default: the test run's, testKeys()). */
  keys?: { dataDir: string; token(actor: Actor): Promise<string> };
  /** The gateways' business instant (default TEST_NOW; null: the machine's clock, as in production). */
  clockAt?: Date | null;
  /** Added to every gateway's environment (rate-limit settings, RATE_LIMIT_REDIS_URL …). */
  gatewayEnv?: Record<string, string>;
}

/**
 * `replicas` processes of every subgraph (`scripts/serve-subgraph.ts`) and of the gateway (`scripts/serve-gateway.ts`,
 * business instant TEST_NOW unless told) on `databaseUrl` (one PostgreSQL), each tier behind its own HAProxy frontend. The gateways
 * and the subgraphs (which ask each other for facts) reach every subgraph only through HAProxy, so any replica may answer
 * any call. Keys are the test run's dev keys unless told, shared by all replicas.
 */
export async function startReplicaStack(databaseUrl: string, options: ReplicaStackOptions = {}): Promise<ReplicaStack> {
  const count = options.replicas ?? 2;
  const keys = options.keys ?? (await testKeys());
  const tierNames = [...subgraphs.map((s) => s.name), GATEWAY_TIER];
  const tiers: HaproxyTier[] = [];
  for (const name of tierNames) {
    const serverPorts: number[] = [];
    for (let i = 0; i < count; i++) serverPorts.push(await freePort());
    tiers.push({ name, frontendPort: await freePort(), serverPorts });
  }
  const tier = (name: string) => tiers.find((t) => t.name === name)!;
  const haproxy = await startHaproxy(tiers);
  const urls = Object.fromEntries(subgraphs.map((s) => [s.urlEnv, `http://127.0.0.1:${tier(s.name).frontendPort}/graphql`]));
  const common = { DATA_DIR: keys.dataDir, LOG_LEVEL: 'warn', ...urls };

  const processes = new Map<string, ServiceProcess[]>();
  for (const subgraph of subgraphs) {
    processes.set(
      subgraph.name,
      tier(subgraph.name).serverPorts.map((port, index) =>
        serviceProcess({
          name: serverName(subgraph.name, index),
          script: 'scripts/serve-subgraph.ts',
          args: [subgraph.name],
          port,
          env: { ...common, DATABASE_URL: databaseUrl },
          startTimeoutMs: 180_000,
        }),
      ),
    );
  }
  processes.set(
    GATEWAY_TIER,
    tier(GATEWAY_TIER).serverPorts.map((port, index) =>
      serviceProcess({
        name: serverName(GATEWAY_TIER, index),
        script: 'scripts/serve-gateway.ts',
        port,
        env: {
          ...common,
          ...(options.clockAt === null ? {} : { CLOCK_AT: (options.clockAt ?? TEST_NOW).toISOString() }),
          ...options.gatewayEnv,
        },
        startTimeoutMs: 180_000,
      }),
    ),
  );
  const all = [...processes.values()].flat();
  const stop = async () => {
    await Promise.all(all.map((service) => service.kill('SIGKILL')));
    await haproxy.stop();
  };
  try {
    // Subgraphs first (their replicas migrate under one advisory lock per schema), then the gateways in front.
    await Promise.all(subgraphs.flatMap((s) => processes.get(s.name)!.map((service) => service.start())));
    await Promise.all(processes.get(GATEWAY_TIER)!.map((service) => service.start()));
    await haproxy.waitAllUp();
  } catch (error) {
    await stop();
    throw error;
  }

  const gatewayUrl = `http://127.0.0.1:${tier(GATEWAY_TIER).frontendPort}/graphql`;
  return {
    gatewayUrl,
    gatewayReplicaUrls: tier(GATEWAY_TIER).serverPorts.map((port) => `http://127.0.0.1:${port}/graphql`),
    haproxy,
    replicas: (name) => {
      const found = processes.get(name);
      if (!found) throw new Error(`no tier "${name}"`);
      return found;
    },
    async query(query, variables, as, url = gatewayUrl) {
      return postGraphQL(url, await keys.token(as), query, variables);
    },
    stop,
  };
}
