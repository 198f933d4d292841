import type { BenchOptions } from './options';
import { targetsFor } from './targets';

/** Seconds a default run spends on each part, estimated before it starts. */
export interface TimeBudget {
  seed: number;
  startup: number;
  scenarios: number;
  soak: number;
  total: number;
}

// Rough figures for this 2-core machine, only for the estimate printed at start.
const SEED_INTERVALS_PER_SECOND = 65_000; // COPY, measured on a busy machine
const STARTUP_SECONDS = 20; // PostgreSQL, migrations, the subgraph process and four gateway processes
const PER_RUN_OVERHEAD_SECONDS = 0.5; // signing a token, starting autocannon
const PAGING_PASS_SECONDS = 1.5; // one pass of (c) over a year

/** How long a run with `options` should take; `intervals` is the size of the seeded dataset. */
export function estimateTimeBudget(options: BenchOptions, intervals: number): TimeBudget {
  const run = options.warmupSeconds + options.durationSeconds + PER_RUN_OVERHEAD_SECONDS;
  let scenarios = 0;
  for (const id of options.scenarios) {
    const gatewayRuns = targetsFor({ id }, options.targets).length;
    if (id === 'a')
      scenarios +=
        (gatewayRuns + targetsFor({ id: 'a-reg', directSubgraph: 'registration' }, options.targets).length) * options.repeat * run;
    else if (id === 'c') scenarios += gatewayRuns * (Math.max(3, options.repeat) + 1) * PAGING_PASS_SECONDS;
    else scenarios += gatewayRuns * options.repeat * run;
  }
  const soak = options.soakSeconds > 0 ? options.soakSeconds + soakWarmupSeconds(options.soakSeconds) : 0;
  const seed = intervals / SEED_INTERVALS_PER_SECOND;
  return { seed, startup: STARTUP_SECONDS, scenarios, soak, total: seed + STARTUP_SECONDS + scenarios + soak };
}

/** The soak's warm-up: a tenth of the soak, between 2 and 10 s. */
export function soakWarmupSeconds(soakSeconds: number): number {
  return Math.min(10, Math.max(2, Math.round(soakSeconds / 10)));
}

const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;

/** One line for the console. */
export function describeTimeBudget(budget: TimeBudget): string {
  return `estimated ${minutes(budget.total)}: seeding ~${minutes(budget.seed)}, start-up ~${minutes(budget.startup)}, scenarios ~${minutes(budget.scenarios)}, soak ${minutes(budget.soak)}`;
}
