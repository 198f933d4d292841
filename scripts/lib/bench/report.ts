import { cpus, totalmem } from 'node:os';
import type { LoadResult } from './load-protocol';

export type TargetId = 'ours' | 'ours-off' | 'plain' | 'direct';

export const TARGET_LABELS: Record<TargetId, string> = {
  ours: 'ours (enforcement on)',
  'ours-off': 'ours with enforcement off (ACCESS=off)',
  plain: 'plain @apollo/gateway (baseline)',
  direct: 'direct subgraph call (floor)',
};

/** Every repeat of one scenario on one target, with the process memory around each run. */
export interface Measurement {
  scenario: string;
  title: string;
  target: TargetId;
  runs: LoadResult[];
  peakRssBytes: number[];
  rssBeforeBytes: number[];
  rssAfterBytes: number[];
  /** Why nothing was measured, when the pre-flight call failed. */
  failed?: string;
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
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  repeat: number;
  versions: Record<string, string>;
  measurements: Measurement[];
  peakResetWorks: boolean;
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
    peakRss: Math.max(...m.peakRssBytes),
    intervalsPerSecond: mean(m.runs.map((r) => r.intervalsPerSecond ?? NaN)),
    passMs: mean(m.runs.flatMap((r) => r.passMs ?? [])),
  };
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ratio = (value: number, base: number) => (Number.isFinite(value) && Number.isFinite(base) && base > 0 ? ` (${(value / base).toFixed(2)}×)` : '');

function find(summary: BenchSummary, scenario: string, target: TargetId): Measurement | undefined {
  return summary.measurements.find((m) => m.scenario === scenario && m.target === target && !m.failed);
}

/** The results table, every figure followed by its ratio to plain @apollo/gateway in the same run. */
export function renderTable(summary: BenchSummary): string {
  const lines = [
    '| scenario | target | req/s | p50 ms | p95 ms | p99 ms | errors + non-2xx | peak RSS MB (process) | other |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const scenarios = [...new Set(summary.measurements.map((m) => m.scenario))];
  for (const scenario of scenarios) {
    const baseline = find(summary, scenario, 'plain');
    const base = baseline ? aggregate(baseline) : undefined;
    for (const m of summary.measurements.filter((x) => x.scenario === scenario)) {
      if (m.failed) {
        lines.push(`| ${scenario} | ${TARGET_LABELS[m.target]} | FAILED: ${m.failed.replace(/\|/g, '/').slice(0, 160)} | | | | | | |`);
        continue;
      }
      const a = aggregate(m);
      const other = Number.isFinite(a.intervalsPerSecond)
        ? `${fixed(a.intervalsPerSecond, 0)} intervals/s${ratio(a.intervalsPerSecond, base?.intervalsPerSecond ?? NaN)}`
        : Number.isFinite(a.passMs)
          ? `whole range ${fixed(a.passMs, 0)} ms${ratio(a.passMs, base?.passMs ?? NaN)}, ${m.runs[0].pages} pages / ${m.runs[0].intervals} intervals`
          : `runs: ${m.runs.map((r) => fixed(r.requestsPerSecond)).join(', ')} req/s`;
      lines.push(
        `| ${scenario} | ${TARGET_LABELS[m.target]} | ${fixed(a.rps)}${ratio(a.rps, base?.rps ?? NaN)} | ${fixed(a.p50)}${ratio(a.p50, base?.p50 ?? NaN)} | ` +
          `${fixed(a.p95)}${ratio(a.p95, base?.p95 ?? NaN)} | ${fixed(a.p99)}${ratio(a.p99, base?.p99 ?? NaN)} | ${a.errors} | ` +
          `${fixed(mb(a.peakRss), 0)}${ratio(a.peakRss, base?.peakRss ?? NaN)} | ${other} |`,
      );
    }
    if (scenario !== 'a-reg') {
      lines.push(`| ${scenario} | Hive Gateway | not measured yet | | | | | | |`);
    }
  }
  return lines.join('\n');
}

type Verdict = 'MET' | 'NOT MET' | 'NOT MEASURED';

/** Issue 5's targets, each with what this run measured; a target this run cannot measure says so. */
export function renderTargets(summary: BenchSummary): string {
  const rows: [string, string, Verdict][] = [];
  for (const scenario of ['a', 'b', 'e']) {
    const on = find(summary, scenario, 'ours');
    const off = find(summary, scenario, 'ours-off');
    const target = `enforcement costs ≤ 5 % of throughput versus enforcement off (${scenario})`;
    if (!on || !off) {
      rows.push([target, 'scenario not run', 'NOT MEASURED']);
      continue;
    }
    const cost = 1 - aggregate(on).rps / aggregate(off).rps;
    rows.push([target, `${(cost * 100).toFixed(1)} % (${fixed(aggregate(on).rps)} on vs ${fixed(aggregate(off).rps)} off req/s)`, cost <= 0.05 ? 'MET' : 'NOT MET']);
  }
  for (const scenario of ['a', 'b', 'e']) {
    const ours = find(summary, scenario, 'ours');
    const plain = find(summary, scenario, 'plain');
    if (!ours || !plain) {
      rows.push([`ours ≥ 2× plain @apollo/gateway throughput on (${scenario})`, 'scenario not run', 'NOT MEASURED']);
      continue;
    }
    const r = aggregate(ours).rps / aggregate(plain).rps;
    rows.push([`ours ≥ 2× plain @apollo/gateway throughput on (${scenario})`, `${r.toFixed(2)}× (${fixed(aggregate(ours).rps)} vs ${fixed(aggregate(plain).rps)} req/s)`, r >= 2 ? 'MET' : 'NOT MET']);
  }
  rows.push(['ours ahead of Hive Gateway on (a), (b), (e); long-run ≥ 4× plain', 'Hive Gateway is not measured yet', 'NOT MEASURED']);
  const oursReg = find(summary, 'a-reg', 'ours');
  const direct = find(summary, 'a-reg', 'direct');
  if (oursReg && direct) {
    const r = aggregate(oursReg).p50 / aggregate(direct).p50;
    rows.push(['gateway overhead on (a) ≤ 1.5× the direct subgraph call\'s p50', `${r.toFixed(2)}× on the registration part of (a) (${fixed(aggregate(oursReg).p50)} vs ${fixed(aggregate(direct).p50)} ms p50 at ${summary.connections} connections)`, r <= 1.5 ? 'MET' : 'NOT MET']);
  } else rows.push(['gateway overhead on (a) ≤ 1.5× the direct subgraph call\'s p50', 'scenario (a) not run', 'NOT MEASURED']);
  const year = find(summary, 'c', 'ours');
  if (!year) rows.push(['(c) a year of one MPAN\'s data in ≤ 300 ms end to end', 'scenario (c) not run', 'NOT MEASURED']);
  else if (summary.days < 365) rows.push(['(c) a year of one MPAN\'s data in ≤ 300 ms end to end', `only ${summary.days} days seeded: ${fixed(aggregate(year).passMs, 0)} ms for ${year.runs[0].intervals} intervals; a year needs --days 365`, 'NOT MEASURED']);
  else {
    const ms = aggregate(year).passMs;
    rows.push(['(c) a year of one MPAN\'s data in ≤ 300 ms end to end', `${fixed(ms, 0)} ms for ${year.runs[0].intervals} intervals`, ms <= 300 ? 'MET' : 'NOT MET']);
  }
  const submit = find(summary, 'd', 'ours');
  if (submit) {
    const rate = aggregate(submit).intervalsPerSecond;
    rows.push(['(d) ≥ 50,000 intervals/s accepted', `${fixed(rate, 0)} intervals/s`, rate >= 50_000 ? 'MET' : 'NOT MET']);
  } else rows.push(['(d) ≥ 50,000 intervals/s accepted', 'scenario (d) not run', 'NOT MEASURED']);
  rows.push(['5-minute soak: no errors, RSS ≤ 1.5× after warm-up', 'no soak in this benchmark yet', 'NOT MEASURED']);
  return ['| target | measured | verdict |', '|---|---|---|', ...rows.map(([t, m, v]) => `| ${t} | ${m} | ${v} |`)].join('\n');
}

/** BENCHMARKS.md: machine, versions, command, dataset, the table and the targets. */
export function renderBenchmarks(summary: BenchSummary): string {
  const cpuList = cpus();
  const cpuNames = [...new Set(cpuList.map((c) => c.model.trim()))].join(', ');
  const intervalsPerSecond = summary.intervals / summary.seedSeconds;
  return `# Benchmarks

${summary.quick ? '> **Smoke run (`--quick`)**: tiny dataset and short durations. It shows that the benchmark works, not how fast the gateway is.\n\n' : ''}Generated by \`${summary.command}\` on ${summary.startedAt} (whole run ${fixed(summary.totalSeconds / 60, 1)} min). Groundwork for issue 5: several rows the issue asks for are not measured yet and say so.

## Machine and versions
- CPU: ${cpuList.length} × ${cpuNames}; memory ${fixed(totalmem() / 1024 ** 3, 1)} GiB
- Node ${process.version} on ${process.platform}/${process.arch}
- ${Object.entries(summary.versions).map(([name, version]) => `${name} ${version}`).join(', ')}

## Dataset
${summary.mpans.toLocaleString('en-GB')} MPANs × ${summary.days} days (${summary.firstDate} … ${summary.lastDate}), ${summary.intervals.toLocaleString('en-GB')} half-hourly intervals, in a throw-away embedded PostgreSQL (fsync off). Seeding took ${fixed(summary.seedSeconds, 1)} s: ${fixed(intervalsPerSecond, 0)} intervals/s (one transaction through \`writeDataset\`).

## Method
- One gateway at a time over the same subgraphs, database and \`schema/supergraph.graphql\`; targets interleaved within each repeat.
- Load: autocannon in a separate process, 127.0.0.1 only, ${summary.connections} connections, ${summary.warmupSeconds} s warm-up then ${summary.durationSeconds} s measured, ${summary.repeat} repeat(s) per scenario and target. Figures are means over repeats; latencies are per response (2xx only) from the load process.
- **ours**: \`buildGateway\` via \`startStack\`, real dev-key bearer token for the scenario's role. **plain**: \`@apollo/gateway\` + \`@apollo/server\` with default settings (\`startStandaloneServer\`); its data source adds the signed internal context our subgraphs require (one signature per subgraph request, as ours), for the same participant and role, taken from bench headers: the baseline verifies **no** bearer token, which ours does. **direct**: the registration subgraph with one pre-signed internal context header.
- **Peak RSS is of the whole bench server process**, which holds the four subgraphs and **both** gateways (ours runs in-process with the subgraphs, and so does the baseline here). The peak is reset before each run ${summary.peakResetWorks ? '(Linux `clear_refs`)' : '(reset not possible here: peak since start)'} and read after it; it is a proxy, not the gateway's own footprint.
- (c) is one client paging sequentially (2000 intervals a page) over the seeded range; "whole range" is the end-to-end time of one full pass, req/s and latencies are per page. (d) is ${'`submitConsumption`'} with up to 10,000 intervals per call from 1–2 concurrent callers writing disjoint rows, values changed on every call so every call writes new versions; req/s are calls/s.

## Results (ratios are to plain @apollo/gateway in the same run)
${renderTable(summary)}

## Targets (issue 5)
${renderTargets(summary)}
`;
}
