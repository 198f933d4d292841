import { withJoinGraphUrls } from '../../bench/join-graph-urls';
import { subgraphUrlsFromSupergraph } from '../../gateway/supergraph-urls';
import { parseBenchOptions } from '../../bench/options';
import { estimateTimeBudget, soakWarmupSeconds } from '../../bench/time-budget';
import { soakVerdict, type SoakResult } from '../../bench/soak';
import { renderTargets, type BenchSummary, type Measurement, type TargetId } from '../../bench/report';
import type { LoadResult } from '../../bench/load-protocol';

const SDL = `enum join__Graph {
  APPOINTMENT @join__graph(name: "appointment", url: "http://localhost:4003/graphql")
  REGISTRATION @join__graph(name: "registration", url: "http://localhost:4001/graphql")
}`;

describe('bench: supergraph URLs', () => {
  it('reads and rewrites every @join__graph url', () => {
    expect(subgraphUrlsFromSupergraph(SDL, {})).toEqual({
      appointment: 'http://localhost:4003/graphql',
      registration: 'http://localhost:4001/graphql',
    });
    const rewritten = withJoinGraphUrls(SDL, { appointment: 'http://127.0.0.1:1/graphql', registration: 'http://127.0.0.1:2/graphql' });
    expect(subgraphUrlsFromSupergraph(rewritten, {})).toEqual({
      appointment: 'http://127.0.0.1:1/graphql',
      registration: 'http://127.0.0.1:2/graphql',
    });
  });

  it("refuses URLs that do not match the supergraph's subgraphs", () => {
    expect(() => withJoinGraphUrls(SDL, { appointment: 'http://127.0.0.1:1/graphql' })).toThrow(/missing: registration/);
    expect(() => withJoinGraphUrls(SDL, { appointment: 'a', registration: 'b', billing: 'c' })).toThrow(/unknown: billing/);
  });
});

describe('bench: options and time budget', () => {
  it('defaults to a 5-minute soak, --quick to a short one, --soak 0 to none', () => {
    expect(parseBenchOptions([]).soakSeconds).toBe(300);
    expect(parseBenchOptions(['--quick']).soakSeconds).toBe(20);
    expect(parseBenchOptions(['--soak', '0']).soakSeconds).toBe(0);
    expect(() => parseBenchOptions(['--soak', '-1'])).toThrow(/--soak/);
    expect(() => parseBenchOptions(['--scenarios', 'a,z'])).toThrow(/unknown scenario/);
  });

  it('budgets the default run, seeding of 10,000 MPANs × 30 days included, under 15 minutes', () => {
    const options = parseBenchOptions([]);
    const budget = estimateTimeBudget(options, 14_823_533);
    expect(budget.soak).toBe(300 + soakWarmupSeconds(300));
    expect(budget.total).toBeLessThan(15 * 60);
    expect(budget.total).toBeCloseTo(budget.seed + budget.startup + budget.scenarios + budget.soak);
  });
});

const load = (rps: number, extra: Partial<LoadResult> = {}): LoadResult => ({
  requests: rps * 10,
  requestsPerSecond: rps,
  p50: 10,
  p95: 20,
  p99: 30,
  errors: 0,
  graphqlErrors: 0,
  ...extra,
});
const row = (scenario: string, target: TargetId, result: LoadResult): Measurement => ({
  scenario,
  title: scenario,
  target,
  runs: [result],
  peakRssBytes: [1e8],
  rssBeforeBytes: [1e8],
  rssAfterBytes: [1e8],
});

function summary(measurements: Measurement[], soak?: SoakResult): BenchSummary {
  return {
    command: 'npm run bench',
    startedAt: '2026-11-27T00:00:00Z',
    quick: false,
    mpans: 10,
    days: 30,
    firstDate: '2026-01-01',
    lastDate: '2026-01-30',
    intervals: 1,
    seedSeconds: 1,
    durationSeconds: 6,
    warmupSeconds: 2,
    connections: 16,
    repeat: 2,
    versions: {},
    measurements,
    soak,
    soakSeconds: 300,
    peakResetWorks: true,
    loadAverageAtStart: 0.5,
    estimatedSeconds: 600,
    totalSeconds: 700,
  };
}

const soakOf = (overrides: Partial<SoakResult>): SoakResult => ({
  scenario: 'a',
  target: 'ours',
  connections: 16,
  warmupSeconds: 10,
  seconds: 300,
  result: load(70),
  warmupErrors: 0,
  warmRss: 200e6,
  endRss: 220e6,
  maxRss: 230e6,
  samples: [
    [0, 200e6],
    [300, 220e6],
  ],
  ...overrides,
});

describe('bench: targets', () => {
  const targetRow = (text: string, wanted: string) => text.split('\n').find((line) => line.startsWith(`| ${wanted}`));

  it('judges the gateway-bound targets (issue 17) on the same run: 3× plain, ahead of Hive with the Rust planner, access ≤ 5 %', () => {
    const gb = (ours: number) =>
      renderTargets(
        summary([
          row('gateway-bound', 'ours', load(ours)),
          row('gateway-bound', 'ours-off', load(100)),
          row('gateway-bound', 'plain', load(30)),
          row('gateway-bound', 'hive-rust', load(92)),
        ]),
      );
    const fast = gb(96);
    expect(targetRow(fast, 'gateway-bound: ours (access on) ≥ 3× plain')).toMatch(/3\.20× .*\| MET \|$/);
    expect(targetRow(fast, 'gateway-bound, long-run goal')).toMatch(/\| NOT MET \|$/);
    expect(targetRow(fast, 'gateway-bound: ours (access on) ahead of Hive Gateway with the Rust')).toMatch(/\| MET \|$/);
    expect(targetRow(fast, 'gateway-bound: access enforcement costs ≤ 5 %')).toMatch(/4\.0 % .*\| MET \|$/);
    const slow = gb(60);
    expect(targetRow(slow, 'gateway-bound: ours (access on) ≥ 3× plain')).toMatch(/\| NOT MET \|$/);
    expect(targetRow(slow, 'gateway-bound: ours (access on) ahead of Hive Gateway with the Rust')).toMatch(/\| NOT MET \|$/);
    expect(targetRow(slow, 'gateway-bound: access enforcement costs ≤ 5 %')).toMatch(/40\.0 % .*\| NOT MET \|$/);
    expect(targetRow(renderTargets(summary([])), 'gateway-bound: ours (access on) ≥ 3× plain')).toMatch(/\| NOT MEASURED \|$/);
  });

  it('says ours is ahead of Hive Gateway only where its throughput is higher', () => {
    const text = renderTargets(
      summary([row('a', 'ours', load(100)), row('a', 'hive', load(80)), row('b', 'ours', load(30)), row('b', 'hive', load(40))]),
    );
    expect(targetRow(text, 'ours ahead of Hive Gateway on (a)')).toMatch(/1\.25× .*\| MET \|$/);
    expect(targetRow(text, 'ours ahead of Hive Gateway on (b)')).toMatch(/\| NOT MET \|$/);
    expect(targetRow(text, 'ours ahead of Hive Gateway on (e)')).toMatch(/\| NOT MEASURED \|$/);
  });

  it('judges (c) only on a whole year of intervals', () => {
    const year = (intervals: number, passMs: number) =>
      renderTargets(summary([row('c', 'ours', load(10, { intervals, pages: 9, passMs: [passMs] }))]));
    expect(targetRow(year(17_520, 250), '(c)')).toMatch(/250 ms .*\| MET \|$/);
    expect(targetRow(year(17_520, 350), '(c)')).toMatch(/\| NOT MET \|$/);
    expect(targetRow(year(1_440, 50), '(c)')).toMatch(/not a whole year \| NOT MEASURED \|$/);
  });

  it('fails the soak on any error or on RSS growth past 1.5×', () => {
    expect(soakVerdict(soakOf({}))).toEqual({ met: true, errors: 0, growth: 1.1 });
    expect(soakVerdict(soakOf({ result: load(70, { graphqlErrors: 1 }) })).met).toBe(false);
    expect(soakVerdict(soakOf({ warmupErrors: 2 }))).toMatchObject({ met: false, errors: 2 });
    expect(soakVerdict(soakOf({ endRss: 300e6 })).met).toBe(true);
    expect(soakVerdict(soakOf({ endRss: 301e6 })).met).toBe(false);
    expect(targetRow(renderTargets(summary([], soakOf({ endRss: 320e6, maxRss: 320e6 }))), '5-minute soak')).toMatch(
      /\(1\.60×\).*\| NOT MET \|$/,
    );
    expect(targetRow(renderTargets(summary([], soakOf({}))), '5-minute soak')).toMatch(/\(1\.10×\).*\| MET \|$/);
    expect(targetRow(renderTargets(summary([], soakOf({ seconds: 20 }))), '5-minute soak')).toMatch(
      /shorter than 5 minutes \| NOT MEASURED \|$/,
    );
    expect(targetRow(renderTargets({ ...summary([]), soakSeconds: 0 }), '5-minute soak')).toMatch(
      /skipped \(--soak 0\) \| NOT MEASURED \|$/,
    );
  });
});
