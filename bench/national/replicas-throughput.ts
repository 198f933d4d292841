/**
 * Issue 16, part 5, "a row with two replicas of everything": the throughput of a supplier-dashboard read (scenario
 * (a)'s shape: one MPAN, all four subgraphs) through HAProxy with two gateways and two of each subgraph, against one
 * of each, in the same run, on the same processes: the second replica of every tier is taken out of HAProxy's rotation
 * (`set server … state maint`) for the one-replica rounds. Rounds alternate 1×, 2×, 1×, 2×; each figure is the mean of
 * its rounds.
 *
 * Standalone: `npx tsx bench/national/replicas-throughput.ts [--seconds N] [--connections N]` seeds the demo dataset
 * into a throw-away embedded PostgreSQL. On a machine with two cores expect about 1×: two replicas of everything
 * only add processes competing for the same cores; the row shows that replicas cost nothing and scale with cores.
 */
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { startReplicaStack, GATEWAY_TIER, type ReplicaStack } from '../../test/scale/replica-stack';
import { startLoadClient } from '../load-client';
import type { LoadResult } from '../load-protocol';
import { subgraphs } from '../../subgraphs';
import { freePort } from '../../dev/free-port';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { buildDemoDataset } from '../../dev/build-dataset';
import { ensureDevKeys } from '../../dev/dev-keys';
import { signDevToken } from '../../dev/sign-dev-token';
import { readPlaygroundExamples } from '../../gateway/playground/examples';
import type { MarketRole } from '../../core';

export interface ReplicaThroughput {
  /** Requests a second with one replica of each tier in rotation, mean of its rounds. */
  one: number;
  /** The same with both replicas of each tier. */
  two: number;
  rounds: { replicas: 1 | 2; result: LoadResult }[];
  /** Load average (1 minute) before and after the rounds. */
  loadAverage: [number, number];
  cores: number;
}

export interface ReplicaThroughputOptions {
  databaseUrl: string;
  /** Dev keys directory the processes trust, and a token for the reading supplier. */
  keys: { dataDir: string; token(actor: { role: MarketRole; participant: string }): Promise<string> };
  /** The supplier that reads, and the MPANs it is registered on (rotated across requests). */
  supplier: { role: MarketRole; participant: string };
  mpanCores: readonly string[];
  /** UTC range of the consumption read (one settlement day). */
  from: string;
  to: string;
  /** The gateways' business instant (null: the machine's clock). */
  clockAt: Date | null;
  connections?: number;
  secondsPerRound?: number;
  log?: (message: string) => void;
}

/** The supplier dashboard of the README example (gateway/playground/examples/SUPPLIER/metering-point-overview). */
function dashboardQuery(): string {
  const example = readPlaygroundExamples().find((e) => e.role === 'SUPPLIER' && e.name === 'metering-point-overview');
  if (!example) throw new Error('the SUPPLIER example metering-point-overview.graphql is missing');
  return example.query.replace(/first: 4\b/, 'first: 48');
}

/** Puts the second replica of every tier in or out of rotation. */
async function useReplicas(stack: ReplicaStack, count: 1 | 2): Promise<void> {
  for (const tier of [...subgraphs.map((s) => s.name), GATEWAY_TIER]) {
    await stack.haproxy.setServerState(tier, 1, count === 2 ? 'ready' : 'maint');
  }
}

export async function measureReplicaThroughput(options: ReplicaThroughputOptions): Promise<ReplicaThroughput> {
  const log = options.log ?? (() => undefined);
  const query = dashboardQuery();
  const bodies = options.mpanCores.map((mpanCore) =>
    JSON.stringify({ query, variables: { mpanCore, from: options.from, to: options.to } }),
  );
  log('starting two gateways and two of each subgraph behind HAProxy');
  const stack = await startReplicaStack(options.databaseUrl, {
    keys: options.keys,
    clockAt: options.clockAt,
    // The bench measures capacity, not the limiter.
    gatewayEnv: { RATE_LIMIT: 'off' },
  });
  const load = startLoadClient();
  try {
    // One answer checked first: a figure for failing requests would be meaningless.
    const probe = await stack.query(query, { mpanCore: options.mpanCores[0], from: options.from, to: options.to }, options.supplier);
    if (probe.status !== 200 || probe.body.errors) throw new Error(`the dashboard read fails: ${JSON.stringify(probe.body).slice(0, 500)}`);
    const token = await options.keys.token(options.supplier);
    const before = loadavg()[0];
    const rounds: ReplicaThroughput['rounds'] = [];
    for (const replicas of [1, 2, 1, 2] as const) {
      await useReplicas(stack, replicas);
      const result = await load.run({
        kind: 'load',
        url: stack.gatewayUrl,
        headers: { authorization: `Bearer ${token}` },
        bodies,
        connections: options.connections ?? 16,
        warmupSeconds: 3,
        durationSeconds: options.secondsPerRound ?? 10,
      });
      if (result.errors > 0 || result.graphqlErrors > 0) {
        const sample = await stack.query(query, { mpanCore: options.mpanCores[0], from: options.from, to: options.to }, options.supplier);
        throw new Error(
          `${result.errors} failed and ${result.graphqlErrors} GraphQL errors of ${result.requests} with ${replicas} replica(s); ` +
            `a request now: ${sample.status} ${JSON.stringify(sample.body).slice(0, 300)}; HAProxy: ${JSON.stringify(await stack.haproxy.stats())}`,
        );
      }
      if (result.requests === 0)
        throw new Error(`no request was answered within a ${options.secondsPerRound ?? 10} s round with ${replicas} replica(s)`);
      log(`${replicas}× replicas: ${result.requestsPerSecond.toFixed(1)} req/s, p95 ${Math.round(result.p95)} ms`);
      rounds.push({ replicas, result });
    }
    const mean = (count: 1 | 2) => {
      const of = rounds.filter((r) => r.replicas === count).map((r) => r.result.requestsPerSecond);
      return of.reduce((sum, n) => sum + n, 0) / of.length;
    };
    return { one: mean(1), two: mean(2), rounds, loadAverage: [before, loadavg()[0]], cores: cpus().length };
  } finally {
    load.close();
    await stack.stop();
  }
}

/** The row's one-line figure, for a report. */
export function describeReplicaThroughput(result: ReplicaThroughput): string {
  return (
    `2× replicas ${result.two.toFixed(1)} req/s vs 1× ${result.one.toFixed(1)} req/s: ${(result.two / result.one).toFixed(2)}× ` +
    `(${result.cores} cores, load average ${result.loadAverage[0].toFixed(1)} → ${result.loadAverage[1].toFixed(1)})`
  );
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Standalone: the demo dataset in a throw-away embedded PostgreSQL. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-replicas-bench-'));
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'postgres', durable: false });
  try {
    const url = new URL(postgres.adminUrl);
    const now = new Date('2026-11-27T12:00:00Z');
    const dataset = buildDemoDataset(now);
    await migrateAll(url.toString());
    await writeDataset(url.toString(), dataset);
    const keys = await ensureDevKeys(join(dir, 'keys'));
    const supplier = { role: 'SUPPLIER' as MarketRole, participant: 'SUPA' };
    const mpanCores = dataset.supplierRegistrations
      .filter((r) => r.supplierId === supplier.participant && r.effectiveTo === null)
      .map((r) => r.mpanCore);
    const result = await measureReplicaThroughput({
      databaseUrl: url.toString(),
      keys: {
        dataDir: join(dir, 'keys'),
        token: (actor) =>
          signDevToken(keys.tokenSigning.privateJwk, {
            participant: actor.participant,
            roles: [actor.role],
            ttl: '1h',
            issuer: 'mhhs-dev',
            audience: 'mhhs-data-gateway',
          }),
      },
      supplier,
      mpanCores,
      from: '2026-10-25T00:00:00Z',
      to: '2026-10-26T00:00:00Z',
      clockAt: now,
      connections: flag('connections', 16),
      secondsPerRound: flag('seconds', 10),
      log: (message) => console.log(message),
    });
    console.log(describeReplicaThroughput(result));
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
