/**
 * The bench's load process (forked by `load-client.ts`): runs one job per message and answers with its figures. It
 * holds no server, so the load it makes never competes with the measured servers for an event loop.
 */
import autocannon from 'autocannon';
import type { BenchJob, LoadJob, LoadResult, PagingJob, SubmitJob, WorkerReply } from './load-protocol';

/** Percentile of sorted latencies (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarise(latencies: number[], seconds: number, errors: number, graphqlErrors: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors,
    graphqlErrors,
  };
}

/**
 * One autocannon run; latencies come from its per-response event because its own summary has no p95. A 2xx answer
 * whose body carries `"errors"` counts as a GraphQL error (a cheap substring test: the scenarios' data has no such key).
 */
function runAutocannon(
  job: LoadJob,
  seconds: number,
  record: boolean,
): Promise<{ latencies: number[]; errors: number; graphqlErrors: number; elapsed: number; answered: number }> {
  return new Promise((resolve, reject) => {
    let next = 0;
    const latencies: number[] = [];
    let errors = 0;
    let graphqlErrors = 0;
    let answered = 0;
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        connections: job.connections,
        duration: seconds,
        requests: [
          {
            setupRequest: (request) => {
              const index = next++ % job.bodies.length;
              const extra = job.bodyHeaders?.[index];
              return { ...request, body: job.bodies[index], ...(extra ? { headers: { ...request.headers, ...extra } } : {}) };
            },
            onResponse: (status, responseBody) => {
              if (record && status >= 200 && status < 300 && responseBody.includes('"errors"')) graphqlErrors++;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({ latencies, errors: errors + result.errors + result.timeouts, graphqlErrors, elapsed: result.duration, answered });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      answered++;
      if (!record) return;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else errors++;
    });
  });
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const warmup = job.warmupSeconds > 0 ? await runAutocannon(job, job.warmupSeconds, false) : undefined;
  const { latencies, errors, graphqlErrors, elapsed, answered } = await runAutocannon(job, job.durationSeconds, true);
  return { ...summarise(latencies, elapsed, errors, graphqlErrors), answered: answered + (warmup?.answered ?? 0) };
}

// Any JSON a gateway answers, read loosely: the scenarios check their own fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postJson(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { errors: [{ message: text.slice(0, 200) }] };
  }
  return { status: response.status, json };
}

/** One full pass is one measurement: every page requested in order, each waiting for the previous cursor. */
async function runPaging(job: PagingJob): Promise<LoadResult> {
  const passMs: number[] = [];
  const pageLatencies: number[] = [];
  let errors = 0;
  let graphqlErrors = 0;
  let pages = 0;
  let intervals = 0;
  // The first pass warms caches and JIT; it is not reported.
  for (let pass = 0; pass <= job.repeat; pass++) {
    const started = performance.now();
    let after: string | null = null;
    let passPages = 0;
    let passIntervals = 0;
    for (;;) {
      const pageStarted = performance.now();
      const { status, json } = await postJson(
        job.url,
        job.headers,
        JSON.stringify({ query: job.query, variables: { ...job.variables, after } }),
      );
      const connection = json?.data?.meteringPoint?.consumption;
      if (status < 200 || status >= 300) errors++;
      if (json?.errors || !connection) {
        graphqlErrors++;
        break;
      }
      if (pass > 0) pageLatencies.push(performance.now() - pageStarted);
      passPages++;
      passIntervals += connection.edges.length;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    if (pass > 0) {
      passMs.push(performance.now() - started);
      pages = passPages;
      intervals = passIntervals;
    }
  }
  const seconds = passMs.reduce((a, b) => a + b, 0) / 1000;
  return { ...summarise(pageLatencies, seconds || 1, errors, graphqlErrors), passMs, pages, intervals };
}

/** Builds call `n` of a worker: one day of periods for enough MPANs, values changed on every call so each writes. */
function submissionBody(plan: SubmitWorkerPlan, n: number): string {
  const day = plan.days[n % plan.days.length];
  // The same day comes round again after days.length calls; a changing value makes every round a new version.
  const value = (1 + (n % 997) / 1000).toFixed(3);
  const intervals: unknown[] = [];
  outer: for (const mpanCore of plan.mpanCores) {
    for (const utcStart of day) {
      intervals.push({ mpanCore, quantity: 'ACTIVE_IMPORT', utcStart, periodMinutes: 30, value, quality: 'ACTUAL' });
      if (intervals.length >= plan.intervalsPerCall) break outer;
    }
  }
  return JSON.stringify({
    query:
      'mutation Submit($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted unchanged newVersions rejected rejections { reason message } } }',
    variables: { input: { intervals } },
  });
}
type SubmitWorkerPlan = SubmitJob['workers'][number];

// Counts calls across every submit job of the run: a job that started from 0 again would write the (day, value) pairs
// the previous target wrote, which the subgraph accepts as unchanged, and measure nothing.
let submitCalls = 0;

async function runSubmit(job: SubmitJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let graphqlErrors = 0;
  let accepted = 0;
  let firstProblem: string | undefined;
  let measuring = false;
  let stopAt = performance.now() + job.warmupSeconds * 1000;
  const work = async (w: number) => {
    while (performance.now() < stopAt) {
      const body = submissionBody(job.workers[w], submitCalls++);
      const started = performance.now();
      const { status, json } = await postJson(job.url, job.headers, body);
      const result = json?.data?.submitConsumption;
      if (!measuring) continue;
      if (status < 200 || status >= 300) errors++;
      if (json?.errors || !result) {
        graphqlErrors++;
        firstProblem ??= JSON.stringify(json?.errors ?? json).slice(0, 300);
        continue;
      }
      if (result.rejected > 0) firstProblem ??= JSON.stringify(result.rejections[0]);
      latencies.push(performance.now() - started);
      accepted += result.accepted - result.unchanged;
    }
  };
  if (job.warmupSeconds > 0) await Promise.all(job.workers.map((_, w) => work(w)));
  measuring = true;
  const started = performance.now();
  stopAt = started + job.durationSeconds * 1000;
  await Promise.all(job.workers.map((_, w) => work(w)));
  const seconds = (performance.now() - started) / 1000;
  if (firstProblem) process.stderr.write(`submit: ${firstProblem}\n`);
  return { ...summarise(latencies, seconds, errors, graphqlErrors), intervalsPerSecond: accepted / seconds, intervals: accepted };
}

function run(job: BenchJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'load':
      return runLoad(job);
    case 'paging':
      return runPaging(job);
    case 'submit':
      return runSubmit(job);
  }
}

process.on('message', (job: BenchJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result } satisfies WorkerReply),
    (error: unknown) =>
      process.send!({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply),
  );
});
// The orchestrator going away (Ctrl-C, crash) must not leave a load process behind.
process.on('disconnect', () => process.exit(0));
