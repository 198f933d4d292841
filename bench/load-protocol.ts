// Messages between the bench orchestrator and its load process. The load generator runs in a child process so it never
// shares an event loop with the gateways and subgraphs it measures.

/** Fixed-duration HTTP load with autocannon; bodies rotate per request (one MPAN after another). */
export interface LoadJob {
  kind: 'load';
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  /** Extra headers per body (same index), e.g. the direct call's internal context, which is bound to its body. */
  bodyHeaders?: Record<string, string>[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/** Pages through one MPAN's consumption, 2000 intervals a call, until `hasNextPage` is false; `repeat` times. */
export interface PagingJob {
  kind: 'paging';
  url: string;
  headers: Record<string, string>;
  query: string;
  variables: Record<string, unknown>;
  repeat: number;
}

/** Calls `submitConsumption` with prepared bodies, `workers` calls at a time, for a fixed duration. */
export interface SubmitJob {
  kind: 'submit';
  url: string;
  headers: Record<string, string>;
  /** One body source per worker, so concurrent calls never write the same rows. */
  workers: SubmitWorkerPlan[];
  warmupSeconds: number;
  durationSeconds: number;
}

export interface SubmitWorkerPlan {
  mpanCores: string[];
  /** UTC starts of the periods written, per call in rotation: each entry is one day's period starts. */
  days: string[][];
  intervalsPerCall: number;
}

export type BenchJob = LoadJob | PagingJob | SubmitJob;

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Transport errors, timeouts and non-2xx answers. */
  errors: number;
  /** 2xx answers whose JSON body carries `errors`. */
  graphqlErrors: number;
  /** Every answer of the job, warm-up included (read jobs only): the divisor of the target's CPU per request. */
  answered?: number;
  /** Intervals accepted per second (submit jobs only). */
  intervalsPerSecond?: number;
  /** End-to-end time of each full pass (paging jobs only), ms. */
  passMs?: number[];
  pages?: number;
  intervals?: number;
}

export type WorkerReply = { ok: true; result: LoadResult } | { ok: false; error: string };
