import type { MarketRole } from '../../core';

/**
 * What a row of the national bench is (`npm run bench -- --suite national`): one measurement on one seeded dataset,
 * judged against its target. Rows live in `bench/national/*-rows.ts` files, each exporting `rows: NationalRow[]`; the
 * harness finds them by that name, so adding a row never edits the harness (see bench/national/README.md).
 */

/** A target the row's value is judged against: MET when `value` is at least (higher) or at most (lower) `threshold`. */
export interface NationalTarget {
  /** What is measured, in words ("MPANs aggregated per second, end to end through the gateway"). */
  measure: string;
  threshold: number;
  unit: string;
  better: 'higher' | 'lower';
  /** Where the target comes from ("issue 16"). */
  source?: string;
}

/** The one settlement day the harness seeded for a row, and how to reach what it runs on. */
export interface NationalDataset {
  /** Metering points seeded (every one has the whole day). */
  mpanCount: number;
  /** The settlement date (UK local day) whose intervals are seeded. */
  settlementDate: string;
  /** Interval rows written, superseded versions included. */
  intervalCount: number;
  /** Seconds the COPY seeding took. */
  seedSeconds: number;
  /** One line naming the dataset, for the report. */
  description: string;
  /** The first few MPAN cores of the dataset in key order (a row that needs particular MPANs picks from them). */
  sampleMpanCores: readonly string[];
}

/** A participant a token is minted for: its MPID and the one role it acts in. */
export interface BenchParticipant {
  participant: string;
  role: MarketRole;
}

/** What a row gets from the harness. Everything is started before `run` and stopped after the dataset's last row. */
export interface NationalContext {
  dataset: NationalDataset;
  /** The gateway (ours, `gateway/main.ts`, enforcement on, rate limit off) on 127.0.0.1: `http://127.0.0.1:P/graphql`. */
  gatewayUrl: string;
  /** Subgraph name → its GraphQL URL (all four in one child process). */
  subgraphUrls: Readonly<Record<string, string>>;
  /** The throw-away PostgreSQL the dataset is in (fsync off); rows may read it to explain a figure, never to measure. */
  databaseUrl: string;
  /** The dev keys' directory the stack trusts (DATA_DIR of its processes). */
  dataDir: string;
  /** `schema/supergraph.graphql` with the running subgraphs' URLs, for a row that starts gateways of its own. */
  supergraphFile: string;
  /** Where this run's server logs go; a row's own processes may log there. */
  logDir: string;
  /** A bearer token the gateway accepts for `who` (dev key, 1 hour). */
  token(who: BenchParticipant): Promise<string>;
  /** POSTs one GraphQL operation to the gateway as `who`; throws on transport errors and on any GraphQL error. */
  graphql<T>(who: BenchParticipant, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Registers a step run when the dataset's rows are done (or the run fails): stop what the row started. */
  onCleanup(name: string, run: () => Promise<void> | void): void;
  /** Progress on the console (not in the report). */
  log(message: string): void;
  /** True on `--large`; true on `--quick` too for a smoke run (small data, targets still judged but flagged). */
  large: boolean;
  quick: boolean;
}

/** What a row measured. */
export interface RowResult {
  value: number;
  unit: string;
  /** One or two sentences: what else was measured and where the time went. Markdown. */
  detail: string;
}

export interface NationalRow {
  /** Short unique id, kebab-case (`aggregate-100k`). */
  id: string;
  title: string;
  /** Metering points of the dataset it runs on; rows with the same count share one seeded dataset and stack. */
  mpans: number;
  /** Only on `--large` (a 1,000,000-MPAN row). */
  large?: boolean;
  target?: NationalTarget;
  run(ctx: NationalContext): Promise<RowResult>;
}

export type Verdict = 'MET' | 'NOT MET' | '—';

/** MET / NOT MET against the row's target; "—" for a row without one. */
export function judge(target: NationalTarget | undefined, value: number): Verdict {
  if (!target) return '—';
  const met = target.better === 'higher' ? value >= target.threshold : value <= target.threshold;
  return met ? 'MET' : 'NOT MET';
}
