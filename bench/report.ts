import { cpus, totalmem } from 'node:os';
import type { LoadResult } from './load-protocol';
import { soakVerdict, type SoakResult } from './soak';

export type TargetId = 'ours' | 'ours-off' | 'ours-nolimits' | 'plain' | 'hive' | 'hive-rust' | 'direct';

export const TARGET_LABELS: Record<TargetId, string> = {
  ours: 'ours (enforcement on)',
  'ours-off': 'ours with enforcement off (ACCESS=off)',
  'ours-nolimits': 'ours with operation limits off (LIMITS=off)',
  plain: 'plain @apollo/gateway (baseline)',
  hive: 'Hive Gateway',
  'hive-rust': 'Hive Gateway with the Rust query planner (router-runtime)',
  direct: 'direct subgraph call (floor)',
};

/** Every repeat of one scenario on one target, with the target process's memory around each run. */
export interface Measurement {
  scenario: string;
  title: string;
  target: TargetId;
  runs: LoadResult[];
  peakRssBytes: number[];
  rssBeforeBytes: number[];
  rssAfterBytes: number[];
  /** CPU the target process used during each run (warm-up included), ms. */
  cpuMs?: number[];
  /** Why nothing was measured, when the pre-flight call failed. */
  failed?: string;
  /** Something the reader must know about this row (its answer differs from the baseline's). */
  note?: string;
}

export interface BenchSummary {
  command: string;
  startedAt: string;
  quick: boolean;
  mpans: number;
  days: number;
  firstDate: string;
  lastDate: string;
  intervals: number;
  seedSeconds: number;
  /** Scenario (c)'s year: its MPAN, range and the intervals added to make it whole. */
  year?: { mpanCore: string; firstDate: string; lastDate: string; addedIntervals: number };
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  repeat: number;
  versions: Record<string, string>;
  measurements: Measurement[];
  /** The soak, when one ran (`--soak 0` skips it). */
  soak?: SoakResult;
  soakSeconds: number;
  peakResetWorks: boolean;
  /** The machine's 1-minute load average when the bench started, before it ran anything: other work skews the figures. */
  loadAverageAtStart: number;
  /** Estimated whole run, printed at start, in seconds. */
  estimatedSeconds: number;
  totalSeconds: number;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
const mb = (bytes: number) => bytes / 1024 / 1024;

/** The figures of one row: means over repeats, peak RSS the highest. */
export function aggregate(m: Measurement) {
  return {
    rps: mean(m.runs.map((r) => r.requestsPerSecond)),
    p50: mean(m.runs.map((r) => r.p50)),
    p95: mean(m.runs.map((r) => r.p95)),
    p99: mean(m.runs.map((r) => r.p99)),
    errors: m.runs.reduce((n, r) => n + r.errors + r.graphqlErrors, 0),
    peakRss: m.peakRssBytes.length ? Math.max(...m.peakRssBytes) : NaN,
    intervalsPerSecond: mean(m.runs.map((r) => r.intervalsPerSecond ?? NaN)),
    passMs: mean(m.runs.flatMap((r) => r.passMs ?? [])),
    cpuMsPerRequest: cpuPerRequest(m),
  };
}

/** The target process's CPU per answered request over all runs, or NaN where runs do not count their answers. */
function cpuPerRequest(m: Measurement): number {
  const answered = m.runs.reduce((n, r) => n + (r.answered ?? NaN), 0);
  const cpu = (m.cpuMs ?? []).reduce((a, b) => a + b, 0);
  return m.cpuMs?.length === m.runs.length && answered > 0 ? cpu / answered : NaN;
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (value: number, base: number) =>
  Number.isFinite(value) && Number.isFinite(base) && base > 0 ? ` (${(value / base).toFixed(2)}×)` : '';

function find(summary: BenchSummary, scenario: string, target: TargetId): Measurement | undefined {
  return summary.measurements.find((m) => m.scenario === scenario && m.target === target && !m.failed && m.runs.length > 0);
}

/** The results table, every figure followed by its ratio to plain @apollo/gateway in the same run. */
export function renderTable(summary: BenchSummary): string {
  const lines = [
    '| scenario | target | req/s | p50 ms | p95 ms | p99 ms | errors + non-2xx | peak RSS MB (target process) | CPU ms per request (target process) | other |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const scenarios = [...new Set(summary.measurements.map((m) => m.scenario))];
  for (const scenario of scenarios) {
    const baseline = find(summary, scenario, 'plain');
    const base = baseline ? aggregate(baseline) : undefined;
    for (const m of summary.measurements.filter((x) => x.scenario === scenario)) {
      if (m.failed) {
        lines.push(
          `| ${scenario} | ${TARGET_LABELS[m.target]} | FAILED: ${m.failed.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 160)} | | | | | | | |`,
        );
        continue;
      }
      if (m.runs.length === 0) {
        lines.push(`| ${scenario} | ${TARGET_LABELS[m.target]} | not run (interrupted) | | | | | | | |`);
        continue;
      }
      const a = aggregate(m);
      const other = Number.isFinite(a.intervalsPerSecond)
        ? `${fixed(a.intervalsPerSecond, 0)} intervals/s${ratio(a.intervalsPerSecond, base?.intervalsPerSecond ?? NaN)}`
        : Number.isFinite(a.passMs)
          ? `whole range ${fixed(a.passMs, 0)} ms${ratio(a.passMs, base?.passMs ?? NaN)}, ${m.runs[0].pages} pages / ${m.runs[0].intervals} intervals`
          : `runs: ${m.runs.map((r) => fixed(r.requestsPerSecond)).join(', ')} req/s`;
      const noted = m.note ? `**${m.note}**; ${other}` : other;
      lines.push(
        `| ${scenario} | ${TARGET_LABELS[m.target]} | ${fixed(a.rps)}${ratio(a.rps, base?.rps ?? NaN)} | ${fixed(a.p50)}${ratio(a.p50, base?.p50 ?? NaN)} | ` +
          `${fixed(a.p95)}${ratio(a.p95, base?.p95 ?? NaN)} | ${fixed(a.p99)}${ratio(a.p99, base?.p99 ?? NaN)} | ${a.errors} | ` +
          `${fixed(mb(a.peakRss), 0)}${ratio(a.peakRss, base?.peakRss ?? NaN)} | ${fixed(a.cpuMsPerRequest, 2)}${ratio(a.cpuMsPerRequest, base?.cpuMsPerRequest ?? NaN)} | ${noted} |`,
      );
    }
  }
  return lines.join('\n');
}

type Verdict = 'MET' | 'NOT MET' | 'NOT MEASURED';
type Row = [string, string, Verdict];

const YEAR_INTERVALS = 17_520;
const READ_TARGET_SCENARIOS = ['a', 'b', 'e'];

/** Throughput of `target` against `other` on one scenario: the ratio and a "x vs y req/s" text, or why not. */
function throughputRatio(summary: BenchSummary, scenario: string, target: TargetId, other: TargetId) {
  const a = find(summary, scenario, target);
  const b = find(summary, scenario, other);
  if (!a || !b) return undefined;
  const [x, y] = [aggregate(a).rps, aggregate(b).rps];
  return { ratio: x / y, text: `${fixed(x)} vs ${fixed(y)} req/s` };
}

const SOAK_TARGET_SECONDS = 300;

function soakRow(summary: BenchSummary): Row {
  const target = '5-minute soak at the highest sustained rate: no errors, RSS at the end ≤ 1.5× after warm-up';
  const soak = summary.soak;
  if (!soak) return [target, summary.soakSeconds === 0 ? 'skipped (--soak 0)' : 'not run', 'NOT MEASURED'];
  const verdict = soakVerdict(soak);
  const measured =
    `${TARGET_LABELS[soak.target as TargetId] ?? soak.target} on (${soak.scenario}), ${soak.connections} connections, ${fixed(soak.seconds, 0)} s: ` +
    `${fixed(soak.result.requestsPerSecond)} req/s, p99 ${fixed(soak.result.p99)} ms, ${verdict.errors} errors; RSS ${fixed(mb(soak.warmRss), 0)} MB after ${soak.warmupSeconds} s warm-up → ` +
    `${fixed(mb(soak.endRss), 0)} MB at the end (${verdict.growth.toFixed(2)}×), max ${fixed(mb(soak.maxRss), 0)} MB`;
  // A shorter soak (--quick) shows the machinery works; it cannot meet a 5-minute target.
  if (soak.seconds < SOAK_TARGET_SECONDS)
    return [
      target,
      `${measured}: ${verdict.met ? 'passes' : 'fails'}, but shorter than 5 minutes`,
      verdict.met ? 'NOT MEASURED' : 'NOT MET',
    ];
  return [target, measured, verdict.met ? 'MET' : 'NOT MET'];
}

/** The scenarios the limits' cost is measured on (issue 11): ours-nolimits runs on these only. */
export const LIMITS_TARGET_SCENARIOS = ['a', 'e'];

/** Issue 5's targets, each with what this run measured; a target this run cannot measure says so. */

export function renderTargets(summary: BenchSummary): string {
  const rows: Row[] = [];
  for (const scenario of READ_TARGET_SCENARIOS) {
    const target = `enforcement costs ≤ 5 % of throughput versus enforcement off (${scenario})`;
    const r = throughputRatio(summary, scenario, 'ours', 'ours-off');
    rows.push(
      r
        ? [target, `${((1 - r.ratio) * 100).toFixed(1)} % (${r.text}, on vs off)`, 1 - r.ratio <= 0.05 ? 'MET' : 'NOT MET']
        : [target, 'scenario not run', 'NOT MEASURED'],
    );
  }
  // Issue 11: the operation limits (size, tokens, depth, aliases, cost …) cost under 2 % of throughput.
  for (const scenario of LIMITS_TARGET_SCENARIOS) {
    const target = `operation limits cost < 2 % of throughput versus LIMITS=off (${scenario})`;
    const r = throughputRatio(summary, scenario, 'ours', 'ours-nolimits');
    // A run that answered nothing in its window (a machine far too busy) measures nothing.
    rows.push(
      r && Number.isFinite(r.ratio)
        ? [target, `${((1 - r.ratio) * 100).toFixed(1)} % (${r.text}, on vs off)`, 1 - r.ratio < 0.02 ? 'MET' : 'NOT MET']
        : [target, r ? `no answers measured (${r.text})` : 'scenario or ours-nolimits not run', 'NOT MEASURED'],
    );
  }
  for (const scenario of READ_TARGET_SCENARIOS) {
    const target = `ours ≥ 2× plain @apollo/gateway throughput on (${scenario})`;
    const r = throughputRatio(summary, scenario, 'ours', 'plain');
    rows.push(
      r ? [target, `${r.ratio.toFixed(2)}× (${r.text})`, r.ratio >= 2 ? 'MET' : 'NOT MET'] : [target, 'scenario not run', 'NOT MEASURED'],
    );
  }
  for (const scenario of READ_TARGET_SCENARIOS) {
    const target = `ours ahead of Hive Gateway on (${scenario})`;
    const r = throughputRatio(summary, scenario, 'ours', 'hive');
    rows.push(
      r
        ? [target, `${r.ratio.toFixed(2)}× Hive's throughput (${r.text})`, r.ratio > 1 ? 'MET' : 'NOT MET']
        : [target, 'scenario or Hive Gateway not measured', 'NOT MEASURED'],
    );
  }
  {
    const ratios = READ_TARGET_SCENARIOS.map((s) => throughputRatio(summary, s, 'ours', 'plain'));
    const target = 'long-run goal: ours ≥ 4× plain @apollo/gateway on (a), (b), (e)';
    if (ratios.some((r) => !r)) rows.push([target, 'not all of (a), (b), (e) measured', 'NOT MEASURED']);
    else
      rows.push([
        target,
        ratios.map((r, i) => `${READ_TARGET_SCENARIOS[i]}: ${r!.ratio.toFixed(2)}×`).join(', '),
        ratios.every((r) => r!.ratio >= 4) ? 'MET' : 'NOT MET',
      ]);
  }
  rows.push(...gatewayBoundRows(summary));
  const oursReg = find(summary, 'a-reg', 'ours');
  const direct = find(summary, 'a-reg', 'direct');
  if (oursReg && direct) {
    const r = aggregate(oursReg).p50 / aggregate(direct).p50;
    rows.push([
      "gateway overhead on (a) ≤ 1.5× the direct subgraph call's p50",
      `${r.toFixed(2)}× on the registration part of (a) (${fixed(aggregate(oursReg).p50)} vs ${fixed(aggregate(direct).p50)} ms p50 at ${summary.connections} connections)`,
      r <= 1.5 ? 'MET' : 'NOT MET',
    ]);
  } else rows.push(["gateway overhead on (a) ≤ 1.5× the direct subgraph call's p50", 'scenario (a) not run', 'NOT MEASURED']);
  const year = find(summary, 'c', 'ours');
  const yearTarget = "(c) a year of one MPAN's data (17,520 intervals) in ≤ 300 ms end to end";
  if (!year) rows.push([yearTarget, 'scenario (c) not run', 'NOT MEASURED']);
  else {
    const ms = aggregate(year).passMs;
    const intervals = year.runs[0].intervals ?? 0;
    const whole = intervals >= YEAR_INTERVALS;
    const measured = `${fixed(ms, 0)} ms for ${intervals} intervals in ${year.runs[0].pages} pages (mean of ${year.runs.flatMap((r) => r.passMs ?? []).length} passes)${whole ? '' : `: fewer than ${YEAR_INTERVALS} intervals, not a whole year`}`;
    rows.push([yearTarget, measured, !whole ? 'NOT MEASURED' : ms <= 300 ? 'MET' : 'NOT MET']);
  }
  const submit = find(summary, 'd', 'ours');
  if (submit) {
    const rate = aggregate(submit).intervalsPerSecond;
    rows.push(['(d) ≥ 50,000 intervals/s accepted', `${fixed(rate, 0)} intervals/s`, rate >= 50_000 ? 'MET' : 'NOT MET']);
  } else rows.push(['(d) ≥ 50,000 intervals/s accepted', 'scenario (d) not run', 'NOT MEASURED']);
  rows.push(soakRow(summary));
  const total = summary.totalSeconds / 60;
  rows.push([
    '`npm run bench` in under 15 minutes',
    `${fixed(total, 1)} min for this run${summary.quick ? ' (--quick, not the default run)' : ''}`,
    summary.quick ? 'NOT MEASURED' : total < 15 ? 'MET' : 'NOT MET',
  ]);
  return [
    '| target | measured | verdict |',
    '|---|---|---|',
    ...rows.map(([t, m, v]) => `| ${t} | ${m.replace(/\|/g, '/')} | ${v} |`),
  ].join('\n');
}

const GATEWAY_BOUND = 'gateway-bound';

/** Issue 17's targets, measured where the gateway alone works (canned subgraphs). */
function gatewayBoundRows(summary: BenchSummary): Row[] {
  const notRun = (target: string, what = 'scenario gateway-bound not run'): Row => [target, what, 'NOT MEASURED'];
  const rows: Row[] = [];
  const plain = throughputRatio(summary, GATEWAY_BOUND, 'ours', 'plain');
  for (const [goal, label] of [
    [3, 'gateway-bound: ours (access on) ≥ 3× plain @apollo/gateway throughput'],
    [4, 'gateway-bound, long-run goal: ours (access on) ≥ 4× plain (Apollo Router’s ratio)'],
  ] as const) {
    rows.push(plain ? [label, `${plain.ratio.toFixed(2)}× (${plain.text})`, plain.ratio >= goal ? 'MET' : 'NOT MET'] : notRun(label));
  }
  const rust = throughputRatio(summary, GATEWAY_BOUND, 'ours', 'hive-rust');
  const rustLabel = 'gateway-bound: ours (access on) ahead of Hive Gateway with the Rust query planner';
  rows.push(
    rust
      ? [rustLabel, `${rust.ratio.toFixed(2)}× its throughput (${rust.text})`, rust.ratio > 1 ? 'MET' : 'NOT MET']
      : notRun(rustLabel, 'scenario or hive-rust not measured'),
  );
  const access = throughputRatio(summary, GATEWAY_BOUND, 'ours', 'ours-off');
  const accessLabel = 'gateway-bound: access enforcement costs ≤ 5 % of throughput (on vs ACCESS=off)';
  rows.push(
    access
      ? [accessLabel, `${((1 - access.ratio) * 100).toFixed(1)} % (${access.text})`, 1 - access.ratio <= 0.05 ? 'MET' : 'NOT MET']
      : notRun(accessLabel, 'scenario or ours-off not measured'),
  );
  return rows;
}

/** The soak's RSS samples as one line: "0 s 210 MB, 5 s 212 MB, …" (every few samples, so it stays short). */
function renderSoakSamples(soak: SoakResult): string {
  const step = Math.max(1, Math.ceil(soak.samples.length / 20));
  const picked = soak.samples.filter((_, i) => i % step === 0 || i === soak.samples.length - 1);
  // The last timer sample and the end sample can fall in the same second: show it once.
  return [...new Set(picked.map(([s, rss]) => `${fixed(s, 0)} s ${fixed(mb(rss), 0)} MB`))].join(', ');
}

/** BENCHMARKS.md: machine, versions, command, dataset, method, the table, the soak and the targets. */
export function renderBenchmarks(summary: BenchSummary): string {
  const cpuList = cpus();
  const cpuNames = [...new Set(cpuList.map((c) => c.model.trim()))].join(', ');
  const intervalsPerSecond = summary.intervals / summary.seedSeconds;
  const year = summary.year;
  return `# Benchmarks

${summary.quick ? '> **Smoke run (`--quick`)**: tiny dataset and short durations. It shows that the benchmark works, not how fast the gateway is.\n\n' : ''}Generated by \`${summary.command}\` on ${summary.startedAt} (whole run ${fixed(summary.totalSeconds / 60, 1)} min; estimated at start: ${fixed(summary.estimatedSeconds / 60, 1)} min).

National scale (issue 16: a settlement day at 10,000 to 1,000,000 MPANs): [docs/bench/national-scale.md](docs/bench/national-scale.md), written by \`npm run bench -- --suite national\`.

## Machine and versions
- CPU: ${cpuList.length} × ${cpuNames}; memory ${fixed(totalmem() / 1024 ** 3, 1)} GiB
- Node ${process.version} on ${process.platform}/${process.arch}; 1-minute load average ${fixed(summary.loadAverageAtStart, 2)} when the bench started${summary.loadAverageAtStart >= 1 ? ' (**other work was running on this machine; the figures are skewed by it**)' : ''}
- ${Object.entries(summary.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}

## Dataset
${summary.mpans.toLocaleString('en-GB')} MPANs × ${summary.days} days (${summary.firstDate} … ${summary.lastDate}), ${summary.intervals.toLocaleString('en-GB')} half-hourly intervals, in a throw-away embedded PostgreSQL (fsync off). Seeding took ${fixed(summary.seedSeconds, 1)} s: ${fixed(intervalsPerSecond, 0)} intervals/s (one transaction through \`writeDataset\`).${year ? ` For (c), MPAN ${year.mpanCore} (registered to the supplier since before the year began, so its row scope covers every day) is topped up to a whole year, ${year.firstDate} … ${year.lastDate}: ${year.addedIntervals.toLocaleString('en-GB')} more intervals of the same kind (version 1, ACTUAL, its own data service), written by one \`INSERT … SELECT generate_series\`.` : ''}

## Method
- **Processes.** PostgreSQL; the four subgraphs in **one** Node process of their own; **each gateway in a Node process of its own** (ours, ours with ACCESS=off, plain, Hive), all started before the scenarios and stopped (SIGTERM, then SIGKILL) at the end: **all are alive, only one is loaded at a time**; the load generator (autocannon) in another process. Gateway request logs go to a file in the run's temp dir. Targets are interleaved within each repeat of a scenario, and the order turns by one target each repeat, so no target always runs first.
- Load: 127.0.0.1 only, ${summary.connections} connections, ${summary.warmupSeconds} s warm-up then ${summary.durationSeconds} s measured, ${summary.repeat} repeat(s) per scenario and target. Figures are means over repeats; latencies are per response (2xx only) from the load process; errors count transport errors, non-2xx answers and 2xx answers carrying GraphQL \`errors\`.
- **ours**: \`gateway/main.ts\` (\`buildGateway\`) with a real dev-key bearer token for the scenario's role; **ours with enforcement off**: the same with \`ACCESS=off\`. **plain**: \`@apollo/gateway\` + \`@apollo/server\` with default settings (\`startStandaloneServer\`); its data source adds the signed internal context our subgraphs require (one signature per subgraph request, as ours), for the participant and role taken from bench headers. **Hive Gateway**: \`createGatewayRuntime\` from \`@graphql-hive/gateway\` with default settings on \`node:http\`, adding the same signed internal context per subgraph request (an \`onFetch\` plugin: the context is bound to the subgraph and the body). Plain and Hive verify **no** bearer token, which ours does. **direct**: the registration subgraph with a pre-signed internal context per body (bound to it, as the gateway's are). All gateways read the same supergraph file: \`schema/supergraph.graphql\` with its \`@join__graph\` URLs set to the running subgraphs.
- The registration part of (a) (\`a-reg\`) runs only on ours, plain and the direct call: it exists for the gateway-overhead target.
- **gateway-bound** (issue 17) measures the gateways alone, as The Guild's gateway benchmark does: the four subgraphs are **canned** (bench/gateway-bound/): one tiny \`node:http\` server per subgraph, in a process of its own, answering from memory. Each gateway target has a process of its own on a supergraph naming the canned servers; before measuring, every request body is sent once through every gateway while the canned servers forward to the real subgraphs and record each answer under the subgraph request's key (query with whitespace collapsed, operation name, variables with sorted keys), so each gateway's own plan gets the real answers; then they answer only from memory (a request not recorded would be a 500 and counted as an error). Every gateway still signs an internal context for every subgraph request (the canned servers do not verify it). The query is The Guild's deep shape over this schema (fragments; metering points → appointments → metering point → consumption → settlement period → appointment history → metering point), 5 MPANs a request, 8 bodies in rotation, **50 connections** (closed loop) whatever \`--connections\` says. Targets: ours, ours with ACCESS=off, plain, Hive Gateway and Hive Gateway with the Rust query planner (\`@graphql-hive/router-runtime\`'s \`unifiedGraphHandler\`).
- **CPU ms per request** is the CPU time (user + system, from \`/proc/<pid>/stat\`) the target's own process used during its runs, warm-up included, divided by every answer it gave in them: what one request costs that gateway, whatever the subgraphs, PostgreSQL and the load generator cost on the same two cores. For the direct call it is the subgraphs' process. Read scenarios only.
- **Peak RSS is of the target's own process** (the gateway's; for the direct call, the subgraph process's): Linux \`VmHWM\`, reset ${summary.peakResetWorks ? 'with `clear_refs` before each run' : '(reset not possible here: peak since the process started)'} and read after it.
- (c) is one client paging sequentially (2000 intervals a page) through a whole year of one MPAN (17,520 intervals); "whole range" is the end-to-end time of one full pass (the first pass warms up and is not counted), req/s and latencies are per page. (d) is ${'`submitConsumption`'} with up to 10,000 intervals per call from 1–2 concurrent callers writing disjoint rows, values changed on every call so every call writes new versions; req/s are calls/s.
- **Soak**: ${summary.soak ? `after the scenarios, ${TARGET_LABELS[summary.soak.target as TargetId] ?? summary.soak.target} on (${summary.soak.scenario}) at ${summary.soak.connections} connections (the scenarios' load, closed-loop: as fast as the gateway answers) for ${summary.soak.warmupSeconds} s warm-up then ${fixed(summary.soak.seconds, 0)} s; the gateway process's RSS is sampled every 5 s. RSS samples: ${renderSoakSamples(summary.soak)}.` : summary.soakSeconds === 0 ? 'skipped (`--soak 0`).' : 'not run.'}

## Results (ratios are to plain @apollo/gateway in the same run)
${renderTable(summary)}

## Targets (issues 5, 11, 17)
${renderTargets(summary)}
`;
}
