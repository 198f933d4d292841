import type { LoadClient } from './load-client';
import type { LoadJob, LoadResult } from './load-protocol';
import { sampleMemory } from './process-memory';

/** What a soak measured: the load figures and the gateway process's RSS over time. */
export interface SoakResult {
  scenario: string;
  target: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  result: LoadResult;
  /** Errors (transport, non-2xx, GraphQL) during the warm-up, which count against the soak too. */
  warmupErrors: number;
  /** RSS right after the warm-up, at the end, and the highest sample, bytes. */
  warmRss: number;
  endRss: number;
  maxRss: number;
  /** [seconds since the soak began, RSS bytes] every few seconds. */
  samples: [number, number][];
}

/** Issue 5's soak verdict: no errors at all, and RSS at the end at most 1.5× its value after warm-up. */
export function soakVerdict(soak: Pick<SoakResult, 'result' | 'warmupErrors' | 'warmRss' | 'endRss'>): {
  met: boolean;
  errors: number;
  growth: number;
} {
  const errors = soak.warmupErrors + soak.result.errors + soak.result.graphqlErrors;
  const growth = soak.endRss / soak.warmRss;
  return { met: errors === 0 && Number.isFinite(growth) && growth <= 1.5, errors, growth };
}

/**
 * Warms up, then loads `job`'s URL for `seconds` while sampling the gateway process `pid`'s RSS every `sampleSeconds`.
 * `job` is a read scenario's load job; its warm-up and duration are replaced.
 */
export async function runSoak(
  load: LoadClient,
  job: LoadJob,
  pid: number,
  options: { scenario: string; target: string; warmupSeconds: number; seconds: number; sampleSeconds?: number },
): Promise<SoakResult> {
  const warm = await load.run({ ...job, warmupSeconds: 0, durationSeconds: options.warmupSeconds });
  const warmRss = sampleMemory(pid).rss;
  const started = performance.now();
  const samples: [number, number][] = [[0, warmRss]];
  const timer = setInterval(
    () => samples.push([(performance.now() - started) / 1000, sampleMemory(pid).rss]),
    (options.sampleSeconds ?? 5) * 1000,
  );
  let result: LoadResult;
  try {
    result = await load.run({ ...job, warmupSeconds: 0, durationSeconds: options.seconds });
  } finally {
    clearInterval(timer);
  }
  const endRss = sampleMemory(pid).rss;
  samples.push([(performance.now() - started) / 1000, endRss]);
  return {
    scenario: options.scenario,
    target: options.target,
    connections: job.connections,
    warmupSeconds: options.warmupSeconds,
    seconds: options.seconds,
    result,
    warmupErrors: warm.errors + warm.graphqlErrors,
    warmRss,
    endRss,
    maxRss: Math.max(...samples.map(([, rss]) => rss)),
    samples,
  };
}
