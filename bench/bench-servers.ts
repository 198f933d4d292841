import { isOurs } from './targets';
import { join } from 'node:path';
import { subgraphs } from '../subgraphs';
import { freePort } from '../dev/free-port';
import { startChildServer, type ChildServer } from './child-server';
import type { GatewayTargetId } from './targets';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';

// Settings a developer's shell may hold that would point a bench process at other keys, servers or a debugger.
const INHERITED_SETTINGS =
  /^(AUTH_|INTERNAL_CONTEXT_|DATABASE_URL$|DATA_DIR$|SUPERGRAPH_FILE$|ACCESS$|PORT$|HOST$|NODE_OPTIONS$|SEED$|HIVE_ROUTER_RUNTIME$)|_URL$/;

/** The bench's own environment for a child: the parent's, less anything that would change what is measured. */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!INHERITED_SETTINGS.test(name)) env[name] = value;
  return { ...env, APOLLO_TELEMETRY_DISABLED: 'true', ...settings };
}

export interface RunningSubgraphs {
  server: ChildServer;
  /** Subgraph name → its GraphQL URL. */
  urls: Record<string, string>;
}

/** The four subgraphs in one process (scripts/lib/bench/subgraphs-main.ts) over `databaseUrl`, keys from `dataDir`. */
export async function startSubgraphProcess(options: {
  databaseUrl: string;
  dataDir: string;
  logDir: string;
  /** How long it may take to listen (default 60 s). */
  readyTimeoutMs?: number;
}): Promise<RunningSubgraphs> {
  const ports: Record<string, number> = {};
  for (const subgraph of subgraphs) ports[subgraph.name] = await freePort();
  const server = await startChildServer({
    name: 'subgraphs',
    entry: join(__dirname, 'subgraphs-main.ts'),
    env: childEnv({ DATABASE_URL: options.databaseUrl, DATA_DIR: options.dataDir, BENCH_SUBGRAPH_PORTS: JSON.stringify(ports) }),
    logFile: join(options.logDir, 'subgraphs.log'),
    ports: Object.values(ports),
    readyTimeoutMs: options.readyTimeoutMs,
  });
  return { server, urls: Object.fromEntries(subgraphs.map((s) => [s.name, `http://127.0.0.1:${ports[s.name]}/graphql`])) };
}

export interface RunningGateway {
  target: GatewayTargetId;
  server: ChildServer;
  url: string;
}

/**
 * One gateway target in its own process, on the supergraph file whose `@join__graph` URLs are the running subgraphs:
 * ours is `gateway/main.ts` itself (ACCESS=on or off; the *_URL variables are set too, for a gateway that reads them),
 * the baseline and Hive Gateway are the bench's own entry files. Request logs go to `<logDir>/<target>.log`.
 */
export async function startGatewayProcess(
  target: GatewayTargetId,
  // The supergraph file names the running subgraphs' URLs; no gateway needs URL settings of its own.
  options: { supergraphFile: string; dataDir: string; logDir: string; logName?: string; readyTimeoutMs?: number },
): Promise<RunningGateway> {
  const port = await freePort();
  const common = { SUPERGRAPH_FILE: options.supergraphFile, DATA_DIR: options.dataDir, HOST: '127.0.0.1', PORT: String(port) };
  // Ours logs no request lines, like plain and Hive by default: a request log is a deployment choice, not the gateway.
  const spec = isOurs(target)
    ? {
        entry: join(__dirname, 'ours-gateway-main.ts'),
        // The bench's load is one participant as fast as it goes: a rate limit would measure itself, so it is off.
        env: {
          ...common,
          ACCESS: target === 'ours-off' ? 'off' : 'on',
          LIMITS: target === 'ours-nolimits' ? 'off' : 'on',
          RATE_LIMIT: 'off',
          LOG_LEVEL: 'warn',
        },
        path: '/graphql',
        // As the image runs it (Dockerfile CMD); plain and Hive run with Node's defaults.
        nodeArgs: GATEWAY_NODE_FLAGS,
      }
    : target === 'plain'
      ? { entry: join(__dirname, 'plain-gateway-main.ts'), env: common, path: '/' }
      : {
          entry: join(__dirname, 'hive-gateway-main.ts'),
          env: { ...common, ...(target === 'hive-rust' ? { HIVE_ROUTER_RUNTIME: 'true' } : {}) },
          path: '/graphql',
        };
  const server = await startChildServer({
    name: target,
    entry: spec.entry,
    nodeArgs: 'nodeArgs' in spec ? spec.nodeArgs : undefined,
    env: childEnv(spec.env),
    logFile: join(options.logDir, `${options.logName ?? target}.log`),
    ports: [port],
    readyTimeoutMs: options.readyTimeoutMs,
  });
  return { target, server, url: `http://127.0.0.1:${port}${spec.path}` };
}
