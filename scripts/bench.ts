/**
 * `npm run bench`: seeds a bench dataset into a throw-away embedded PostgreSQL, starts the subgraphs with our gateway
 * and a plain @apollo/gateway beside it, loads each scenario on each gateway in turn and writes BENCHMARKS.md.
 * Everything it starts is stopped and every temp dir removed, also on failure and on Ctrl-C.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './lib/embedded-postgres';
import { migrateAll, writeDataset } from './lib/database-setup';
import { buildDataset, consecutiveDates } from './lib/build-dataset';
import { loadStackSecurity } from './lib/security';
import { startStack, type RunningStack } from './lib/start-stack';
import type { AddressInfo } from 'node:net';
import { buildGateway } from '../gateway/build-gateway';
import { ensureDevKeys } from '../subgraphs/kit/dev-keys';
import { signDevToken } from '../gateway/auth/sign-dev-token';
import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '../subgraphs/kit/internal-context';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER, startPlainGateway, type PlainGateway } from './lib/bench/plain-gateway';
import { startLoadClient, type LoadClient } from './lib/bench/load-client';
import { buildScenarios, SCENARIO_IDS, type BenchActor, type Scenario } from './lib/bench/scenarios';
import { resetPeakMemory, sampleMemory } from './lib/bench/process-memory';
import { renderBenchmarks, renderTable, renderTargets, type BenchSummary, type Measurement, type TargetId } from './lib/bench/report';
import type { BenchJob } from './lib/bench/load-protocol';
import { freePort } from './lib/free-port';

const USAGE = 'usage: npm run bench -- [--mpans N] [--days D] [--duration S] [--connections C] [--repeat R] [--scenarios a,b,c,d,e] [--quick]';
const ROOT = join(__dirname, '..');
const CLEANUP_STEP_MS = 15_000;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive whole number, got "${value}"\n${USAGE}`);
  return parsed;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      mpans: { type: 'string' }, days: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' },
      repeat: { type: 'string' }, scenarios: { type: 'string' }, quick: { type: 'boolean' }, warmup: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const scenarios = (values.scenarios ?? SCENARIO_IDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scenarios.filter((s) => !(SCENARIO_IDS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}: choose from ${SCENARIO_IDS.join(',')}\n${USAGE}`);
  return {
    quick,
    mpans: positiveInteger('mpans', values.mpans, quick ? 500 : 10_000),
    days: positiveInteger('days', values.days, quick ? 7 : 30),
    durationSeconds: positiveInteger('duration', values.duration, quick ? 2 : 10),
    warmupSeconds: positiveInteger('warmup', values.warmup, quick ? 1 : 3),
    connections: positiveInteger('connections', values.connections, 16),
    repeat: positiveInteger('repeat', values.repeat, quick ? 1 : 2),
    scenarios,
  };
}


function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** Everything started so far, stopped in reverse order exactly once. */
class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private done: Promise<void> | undefined;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  runAll(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          // A step that hangs (a server waiting on a keep-alive socket) must not keep PostgreSQL or the temp dir alive.
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              console.error(`cleanup: ${step.name} did not finish in ${CLEANUP_STEP_MS / 1000} s; going on`);
              resolve();
            }, CLEANUP_STEP_MS);
          });
          await Promise.race([Promise.resolve().then(step.run), timeout]);
          clearTimeout(timer);
        } catch (error) {
          console.error(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : error}`);
        }
      }
    })();
    return this.done;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = readOptions();
  const cleanup = new Cleanup();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping servers and PostgreSQL, removing temp dirs…`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // 1. A throw-away PostgreSQL; as root the server runs as `postgres`, which must reach the directory.
    const tempDir = mkdtempSync(join(tmpdir(), 'mhhs-bench-'));
    chmodSync(tempDir, 0o755);
    cleanup.add('remove temp dir', () => rmSync(tempDir, { recursive: true, force: true }));
    const dates = consecutiveDates('2026-01-01', options.days);
    console.log(`bench: ${options.mpans} MPANs × ${options.days} days (${dates[0]} … ${dates[dates.length - 1]}), scenarios ${options.scenarios.join(',')}`);
    const pgStarted = Date.now();
    const database: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: join(tempDir, 'pg'), port: await freePort(), database: 'mhhs_bench', durable: false });
    cleanup.add('stop PostgreSQL', () => database.stop());
    await migrateAll(database.url);
    console.log(`PostgreSQL up and migrated in ${((Date.now() - pgStarted) / 1000).toFixed(1)} s`);

    const dataset = buildDataset({ mpanCount: options.mpans, settlementDates: dates, runDate: null });
    const intervalCount = dataset.intervalCount;
    const bar = new SingleBar({ format: 'seeding {bar} {percentage}% {value}/{total} intervals | {duration}s | eta {eta}s' }, Presets.shades_classic);
    const seedStarted = Date.now();
    bar.start(intervalCount, 0);
    await writeDataset(database.url, dataset, (written) => bar.increment(written));
    bar.stop();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    console.log(`seeded ${intervalCount} intervals in ${seedSeconds.toFixed(1)} s (${(intervalCount / seedSeconds).toFixed(0)} intervals/s)`);

    // 2. The subgraphs with our gateway, and the plain baseline over the same subgraph URLs.
    const keysDir = join(tempDir, 'keys');
    const security = await loadStackSecurity({}, keysDir);
    const devKeys = await ensureDevKeys(keysDir);
    const supergraphSdl = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
    const stack: RunningStack = await startStack({ databaseUrl: database.url, supergraphSdl, gatewayPort: 0, security, audit: () => undefined });
    cleanup.add('stop subgraphs and our gateway', () => stack.stop());
    const subgraphUrls = Object.fromEntries(stack.subgraphs.map((s) => [s.name, s.url]));
    // Ours once more with ACCESS=off over the same subgraphs: what the gateway's own enforcement costs.
    const oursOff = await buildGateway({
      supergraphSdl,
      subgraphUrls,
      tokenVerifier: security.tokenVerifier,
      internalContextKey: security.internalContextKey,
      accessEnforcement: false,
      audit: () => undefined,
    });
    await oursOff.listen({ host: '127.0.0.1', port: 0 });
    cleanup.add('stop our gateway with enforcement off', () => oursOff.close());
    const oursOffUrl = `http://127.0.0.1:${(oursOff.server.address() as AddressInfo).port}/graphql`;
    const plain: PlainGateway = await startPlainGateway({ supergraphSdl, subgraphUrls, internalContextKey: security.internalContextKey });
    cleanup.add('stop plain gateway', () => plain.stop());
    const load: LoadClient = startLoadClient();
    cleanup.add('stop load process', () => load.close());
    console.log(`ours ${stack.gatewayUrl}, plain ${plain.url}`);

    const headersFor = async (target: TargetId, actor: BenchActor): Promise<Record<string, string>> => {
      if (target === 'ours' || target === 'ours-off') {
        const token = await signDevToken(devKeys.tokenSigning.privateJwk, { participant: actor.participant, roles: [actor.role], ttl: '1h', issuer: 'mhhs-dev', audience: 'mhhs-data-gateway' });
        return { authorization: `Bearer ${token}` };
      }
      if (target === 'plain') return { [ACTOR_ROLE_HEADER]: actor.role, [ACTOR_PARTICIPANT_HEADER]: actor.participant };
      // Signed per run: a context lives 60 s, longer than one warm-up plus one measured run.
      return { [INTERNAL_CONTEXT_HEADER]: await signInternalContext(security.internalContextKey, { ...actor, requestId: 'bench-direct' }) };
    };
    const urlFor = (target: TargetId, scenario: Scenario) =>
      target === 'ours'
        ? stack.gatewayUrl
        : target === 'ours-off'
          ? oursOffUrl
          : target === 'plain'
            ? plain.url
            : subgraphUrls[(scenario as { directSubgraph: string }).directSubgraph];
    const targetsOf = (scenario: Scenario): TargetId[] =>
      scenario.kind === 'read' && scenario.directSubgraph ? ['ours', 'ours-off', 'plain', 'direct'] : ['ours', 'ours-off', 'plain'];

    const jobFor = async (scenario: Scenario, target: TargetId): Promise<BenchJob> => {
      const url = urlFor(target, scenario);
      const headers = await headersFor(target, scenario.actor);
      if (scenario.kind === 'read') {
        return { kind: 'load', url, headers, bodies: scenario.bodies, connections: options.connections, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds };
      }
      if (scenario.kind === 'paging') return { kind: 'paging', url, headers, query: scenario.query, variables: scenario.variables, repeat: Math.max(3, options.repeat) };
      return { kind: 'submit', url, headers, workers: scenario.workers, warmupSeconds: options.warmupSeconds, durationSeconds: options.durationSeconds };
    };

    /** One request of the scenario, checked: a scenario whose answer has errors is reported as failed, not timed. */
    const preflight = async (scenario: Scenario, target: TargetId): Promise<string | undefined> => {
      if (scenario.kind !== 'read') return undefined;
      const headers = await headersFor(target, scenario.actor);
      const response = await fetch(urlFor(target, scenario), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: scenario.bodies[0] });
      const json = (await response.json().catch(() => null)) as { data?: unknown; errors?: unknown[] } | null;
      if (!response.ok || !json || json.errors || !json.data) return `HTTP ${response.status}: ${JSON.stringify(json?.errors ?? json).slice(0, 300)}`;
      return undefined;
    };

    // 3–4. Each scenario on each target in turn; targets interleaved per repeat so drift hits them alike.
    const scenarios = buildScenarios(dataset, dates, options.scenarios, new Date());
    const measurements: Measurement[] = [];
    let peakResetWorks = true;
    for (const scenario of scenarios) {
      console.log(`\n${scenario.title}`);
      const rows = new Map<TargetId, Measurement>();
      for (const target of targetsOf(scenario)) {
        const row: Measurement = { scenario: scenario.id, title: scenario.title, target, runs: [], peakRssBytes: [], rssBeforeBytes: [], rssAfterBytes: [] };
        row.failed = await preflight(scenario, target).catch((error: unknown) => String(error));
        if (row.failed) console.log(`  ${target}: pre-flight FAILED ${row.failed}`);
        rows.set(target, row);
        measurements.push(row);
      }
      for (let repeat = 0; repeat < options.repeat; repeat++) {
        for (const [target, row] of rows) {
          if (row.failed || interrupted) continue;
          const job = await jobFor(scenario, target);
          peakResetWorks = resetPeakMemory() && peakResetWorks;
          const before = sampleMemory();
          const result = await load.run(job);
          const after = sampleMemory();
          row.runs.push(result);
          row.rssBeforeBytes.push(before.rss);
          row.rssAfterBytes.push(after.rss);
          row.peakRssBytes.push(after.peakRss);
          const extra = result.intervalsPerSecond !== undefined ? `, ${result.intervalsPerSecond.toFixed(0)} intervals/s` : result.passMs ? `, pass ${result.passMs.map((ms) => ms.toFixed(0)).join('/')} ms` : '';
          console.log(`  ${target.padEnd(6)} #${repeat + 1}: ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, errors ${result.errors + result.graphqlErrors}${extra}, peak RSS ${(after.peakRss / 2 ** 20).toFixed(0)} MB`);
        }
      }
    }

    // 5. The report.
    const summary: BenchSummary = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      startedAt: new Date(started).toISOString(),
      quick: options.quick,
      mpans: options.mpans,
      days: options.days,
      firstDate: dates[0],
      lastDate: dates[dates.length - 1],
      intervals: intervalCount,
      seedSeconds,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      repeat: options.repeat,
      versions: Object.fromEntries(['@apollo/gateway', '@apollo/server', 'mercurius', 'graphql', 'fastify', 'autocannon', 'embedded-postgres'].map((name) => [name, packageVersion(name)])),
      measurements,
      peakResetWorks,
      totalSeconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(summary));
    console.log(`\n${renderTable(summary)}\n\n${renderTargets(summary)}\n\nwrote BENCHMARKS.md (${(summary.totalSeconds / 60).toFixed(1)} min)`);
  } finally {
    await cleanup.runAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
