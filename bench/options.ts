import { wholeNumberFlag } from '../dev/whole-number-flag';
import { parseArgs } from 'node:util';
import { DEFAULT_SCENARIO_IDS, SCENARIO_IDS } from './scenarios';
import { GATEWAY_TARGETS, type GatewayTargetId } from './targets';

export const USAGE =
  'usage: npm run bench -- [--suite gateway|national] [--quick] [--mpans N] [--days D] [--duration S] [--warmup S] [--connections C] [--repeat R] [--scenarios a,b,c,d,e,gateway-bound] [--targets ours,ours-off,ours-nolimits,plain,hive,hive-rust] [--soak S]';

/** The bench suites: the gateway comparison (default, BENCHMARKS.md) and issue 16's national scale rows. */
export const BENCH_SUITES = ['gateway', 'national'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

/** `--suite NAME` (default the gateway suite) and the other flags, which belong to that suite. */
export function splitSuite(args: readonly string[]): { suite: BenchSuite; rest: string[] } {
  const rest = [...args];
  const at = rest.findIndex((arg) => arg === '--suite' || arg.startsWith('--suite='));
  if (at < 0) return { suite: 'gateway', rest };
  const [flag] = rest.splice(at, 1);
  const name = flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : rest.splice(at, 1)[0];
  if (!(BENCH_SUITES as readonly string[]).includes(name))
    throw new Error(`--suite must be one of ${BENCH_SUITES.join(', ')}, got "${name ?? ''}"`);
  return { suite: name as BenchSuite, rest };
}

export interface BenchOptions {
  quick: boolean;
  mpans: number;
  days: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  repeat: number;
  scenarios: string[];
  /** Gateway targets to run (default all); the direct subgraph call is measured whenever (a) runs. */
  targets: GatewayTargetId[];
  /** Seconds of soak on ours after the scenarios; 0 skips it. */
  soakSeconds: number;
}

const wholeNumber = (name: string, value: string | undefined, fallback: number, min: number) =>
  wholeNumberFlag(name, value, fallback, min, USAGE);

/**
 * The bench's flags. Defaults fit a default run (seeding included) in 15 minutes on a 2-core machine: 2 s warm-up and
 * 5 s measured per run, 2 repeats, then a 5-minute soak; measuring takes about 11 minutes, seeding the rest.
 * `--quick` is a smoke run: small data, short runs, 20 s soak.
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      mpans: { type: 'string' },
      days: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      repeat: { type: 'string' },
      scenarios: { type: 'string' },
      targets: { type: 'string' },
      quick: { type: 'boolean' },
      warmup: { type: 'string' },
      soak: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const scenarios = (values.scenarios ?? DEFAULT_SCENARIO_IDS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((s) => !(SCENARIO_IDS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}: choose from ${SCENARIO_IDS.join(',')}\n${USAGE}`);
  const targets = (values.targets ?? GATEWAY_TARGETS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknownTargets = targets.filter((t) => !(GATEWAY_TARGETS as readonly string[]).includes(t));
  if (unknownTargets.length || targets.length === 0) {
    throw new Error(`unknown target(s) ${unknownTargets.join(', ')}: choose from ${GATEWAY_TARGETS.join(',')}\n${USAGE}`);
  }
  return {
    quick,
    targets: targets as GatewayTargetId[],
    mpans: wholeNumber('mpans', values.mpans, quick ? 500 : 10_000, 1),
    days: wholeNumber('days', values.days, quick ? 7 : 30, 1),
    durationSeconds: wholeNumber('duration', values.duration, quick ? 2 : 5, 1),
    warmupSeconds: wholeNumber('warmup', values.warmup, quick ? 1 : 2, 0),
    connections: wholeNumber('connections', values.connections, 16, 1),
    repeat: wholeNumber('repeat', values.repeat, quick ? 1 : 2, 1),
    scenarios,
    soakSeconds: wholeNumber('soak', values.soak, quick ? 20 : 300, 0),
  };
}
