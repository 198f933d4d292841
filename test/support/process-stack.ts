import { subgraphs } from '../../subgraphs';
import { freePort } from '../../dev/free-port';
import { serviceProcess, type ServiceProcess } from './service-process';
import { testKeys, type Actor } from './test-keys';
import { TEST_NOW } from './test-clock';

/** The product as it is deployed: every subgraph and the gateway in processes of their own, over real HTTP. */
export interface ProcessStack {
  gatewayUrl: string;
  gateway: ServiceProcess;
  /** Each subgraph's process by name (`metering-data`, …). */
  subgraph(name: string): ServiceProcess;
  /** POSTs an operation to the gateway with a real token for `as`. */
  query(query: string, variables: Record<string, unknown> | undefined, as: Actor): Promise<{ status: number; body: any }>;
  /** JSON lines the gateway wrote to stdout (its audit log), parsed. */
  gatewayLogLines(): Record<string, unknown>[];
  /** JSON lines a subgraph wrote to stdout (its log), parsed. */
  subgraphLogLines(name: string): Record<string, unknown>[];
  /** Kills every process (SIGKILL: nothing is left behind, whatever state a test left them in). */
  stop(): Promise<void>;
}

/**
 * Starts the four subgraphs (`scripts/serve-subgraph.ts`) on `databaseUrl`, migrated already, and the gateway
 * (`scripts/serve-gateway.ts`) at business instant TEST_NOW, each on a free port of 127.0.0.1 that it keeps across
 * restarts. Keys are the test run's dev keys, so `query` tokens are accepted.
 */
export async function startProcessStack(databaseUrl: string): Promise<ProcessStack> {
  const keys = await testKeys();
  const ports = new Map<string, number>();
  for (const subgraph of subgraphs) ports.set(subgraph.name, await freePort());
  const urls = Object.fromEntries(subgraphs.map((s) => [s.urlEnv, `http://127.0.0.1:${ports.get(s.name)}/graphql`]));
  const common = { DATA_DIR: keys.dataDir, LOG_LEVEL: 'warn', ...urls };
  const subgraphProcesses = new Map(
    subgraphs.map((s) => [
      s.name,
      serviceProcess({
        name: s.name,
        script: 'scripts/serve-subgraph.ts',
        args: [s.name],
        port: ports.get(s.name)!,
        env: { ...common, DATABASE_URL: databaseUrl },
      }),
    ]),
  );
  const gateway = serviceProcess({
    name: 'gateway',
    script: 'scripts/serve-gateway.ts',
    port: await freePort(),
    env: { ...common, CLOCK_AT: TEST_NOW.toISOString() },
  });
  const all = [...subgraphProcesses.values(), gateway];
  const stop = async () => {
    await Promise.all(all.map((service) => service.kill('SIGKILL')));
  };
  try {
    // Subgraphs together (each migrates its own schema under its own lock), then the gateway in front of them.
    await Promise.all([...subgraphProcesses.values()].map((service) => service.start()));
    await gateway.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const gatewayUrl = `http://127.0.0.1:${gateway.port}/graphql`;
  return {
    gatewayUrl,
    gateway,
    subgraph: (name) => {
      const found = subgraphProcesses.get(name);
      if (!found) throw new Error(`no subgraph "${name}"`);
      return found;
    },
    async query(query, variables, as) {
      return postGraphQL(gatewayUrl, await keys.token(as), query, variables);
    },
    gatewayLogLines: () => jsonLines(gateway.stdout()),
    subgraphLogLines: (name) => jsonLines(subgraphProcesses.get(name)!.stdout()),
    stop,
  };
}

/** The JSON lines of a process's output, parsed; other lines are skipped. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** POSTs one GraphQL request with a bearer token; an answer that is not JSON comes back as `{ unparsed: text }`. */
export async function postGraphQL(url: string, token: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  return { status: response.status, body: body as any, headers: response.headers };
}
