import { createDatabase } from '../../subgraphs/kit/db';
import { settlementDay } from '../../subgraphs/settlement/settlement-calendar';
import { topUpYearOfData } from '../year-of-data';
import type { RowResult } from './row';

// What the bulk rows (bulk-rows.ts) measure, as plain functions of a gateway URL and a token, so they run with or
// without the national harness. Every figure is wall time on the client, through the gateway over real HTTP.

const DAY_MS = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const ms = (value: number) => `${value.toFixed(0)} ms`;
const count = (value: number) => Math.round(value).toLocaleString('en-GB');

/** One GraphQL POST; throws on a non-2xx answer or any GraphQL error. */
async function post<T>(gatewayUrl: string, token: string, body: string): Promise<T> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`gateway answered ${response.status}: ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as { data?: T; errors?: { message: string }[] };
  if (parsed.errors?.length) throw new Error(`GraphQL error: ${parsed.errors[0].message}`);
  return parsed.data as T;
}

const PORTFOLIO = `query($date: Date!, $after: String) {
  consumptionSeries(settlementDate: $date, first: 1000, after: $after) {
    nodes { mpanCore periodMinutes intervalCount values qualities estimationMethods deEnergisedFlags }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Pages one caller's whole portfolio for a settlement day, 1000 metering points a page, and counts the intervals. */
export async function measurePortfolioDay(options: { gatewayUrl: string; token: string; settlementDate: string }): Promise<RowResult> {
  type Page = {
    consumptionSeries: { nodes: { intervalCount: number }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
  let after: string | null = null;
  let intervals = 0;
  let series = 0;
  let pages = 0;
  let slowest = 0;
  const started = performance.now();
  for (;;) {
    const pageStarted = performance.now();
    const page: Page = await post<Page>(
      options.gatewayUrl,
      options.token,
      JSON.stringify({ query: PORTFOLIO, variables: { date: options.settlementDate, after } }),
    );
    slowest = Math.max(slowest, performance.now() - pageStarted);
    pages++;
    series += page.consumptionSeries.nodes.length;
    for (const node of page.consumptionSeries.nodes) intervals += node.intervalCount;
    if (!page.consumptionSeries.pageInfo.hasNextPage) break;
    after = page.consumptionSeries.pageInfo.endCursor;
  }
  const wall = performance.now() - started;
  if (intervals === 0) throw new Error('the portfolio read no intervals');
  return {
    value: intervals / (wall / 1000),
    unit: 'intervals/s',
    detail: `${count(intervals)} intervals of ${count(series)} MPANs in ${pages} pages, ${ms(wall)} (${ms(wall / pages)} a page on average, slowest ${ms(slowest)}); values, qualities, estimation methods and de-energised flags selected`,
  };
}

const YEAR = `query($mpan: MpanCore!, $fromDate: Date!, $toDate: Date!) {
  meteringPoint(mpanCore: $mpan) {
    consumptionSeries(fromDate: $fromDate, toDate: $toDate) { settlementDate periodMinutes intervalCount values qualities }
  }
}`;

/**
 * Tops one metering point up to a year of half-hourly data ending on `lastDate` (the seeded day), then times one
 * request for the whole year as compact series: the median of 15 after 3 warm-ups.
 */
export async function measureYearOfOneMpan(options: {
  gatewayUrl: string;
  token: string;
  databaseUrl: string;
  mpanCore: string;
  lastDate: string;
}): Promise<RowResult> {
  const firstDate = addDays(options.lastDate, -364);
  const year = {
    mpanCore: options.mpanCore,
    supplierId: 'SUPA',
    firstDate,
    lastDate: options.lastDate,
    from: settlementDay(firstDate, 30).utcStart,
    to: settlementDay(options.lastDate, 30).utcEnd,
  };
  const db = createDatabase(options.databaseUrl, { maxConnections: 1 });
  try {
    await topUpYearOfData(db, year, settlementDay(options.lastDate, 30).utcStart);
    await db.query('ANALYZE metering_data.consumption_current');
  } finally {
    await db.close();
  }
  const body = JSON.stringify({ query: YEAR, variables: { mpan: options.mpanCore, fromDate: firstDate, toDate: options.lastDate } });
  type Answer = { meteringPoint: { consumptionSeries: { intervalCount: number }[] } };
  const times: number[] = [];
  let intervals = 0;
  let days = 0;
  for (let run = 0; run < 18; run++) {
    const started = performance.now();
    const answer = await post<Answer>(options.gatewayUrl, options.token, body);
    const elapsed = performance.now() - started;
    if (run >= 3) times.push(elapsed);
    days = answer.meteringPoint.consumptionSeries.length;
    intervals = answer.meteringPoint.consumptionSeries.reduce((sum, day) => sum + day.intervalCount, 0);
  }
  if (days < 365) throw new Error(`the year came back with ${days} days`);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return {
    value: median,
    unit: 'ms',
    detail: `${days} settlement days, ${count(intervals)} intervals of ${options.mpanCore} (${firstDate} … ${options.lastDate}); median of ${times.length}, fastest ${ms(times[0])}, slowest ${ms(times.at(-1)!)}`,
  };
}

const SUBMIT =
  'mutation($input: SubmitConsumptionInput!) { submitConsumption(input: $input) { accepted unchanged newVersions rejected rejections { reason message } } }';

interface SubmitAnswer {
  submitConsumption: {
    accepted: number;
    unchanged: number;
    newVersions: number;
    rejected: number;
    rejections: { reason: string; message: string }[];
  };
}

/** The request bodies of one client: `calls` calls of 10,000 half-hour intervals over its MPANs, day by day back from `beforeDate`. */
function submissionBodies(mpanCores: readonly string[], beforeDate: string, calls: number, value: (i: number) => string): string[] {
  const bodies: string[] = [];
  let dayOffset = 1;
  let mpanIndex = 0;
  for (let call = 0; call < calls; call++) {
    const intervals: object[] = [];
    while (intervals.length < 10_000) {
      const day = settlementDay(addDays(beforeDate, -dayOffset), 30);
      const mpanCore = mpanCores[mpanIndex];
      for (let p = 0; p < day.periodCount && intervals.length < 10_000; p++) {
        intervals.push({
          mpanCore,
          quantity: 'ACTIVE_IMPORT',
          utcStart: new Date(day.utcStart.getTime() + p * 1_800_000).toISOString(),
          periodMinutes: 30,
          value: value(p),
          quality: 'ACTUAL',
        });
      }
      mpanIndex++;
      if (mpanIndex === mpanCores.length) {
        mpanIndex = 0;
        dayOffset++;
      }
    }
    bodies.push(JSON.stringify({ query: SUBMIT, variables: { input: { intervals } } }));
  }
  return bodies;
}

/** Runs each client's calls one after another, the clients at once; returns the wall time and the answers. */
async function submitAll(gatewayUrl: string, token: string, clients: string[][]): Promise<{ wall: number; answers: SubmitAnswer[] }> {
  const answers: SubmitAnswer[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (bodies) => {
      for (const body of bodies) answers.push(await post<SubmitAnswer>(gatewayUrl, token, body));
    }),
  );
  return { wall: performance.now() - started, answers };
}

/**
 * Two clients, each sending 10,000-interval calls for its own metering points: first new data (version 1), then the
 * same intervals with other values (version 2, version 1 kept in history). The row's value is the corrections' rate.
 */
export async function measureIngestion(options: {
  gatewayUrl: string;
  token: string;
  mpanCores: readonly string[];
  beforeDate: string;
  callsPerClient?: number;
}): Promise<RowResult> {
  const calls = options.callsPerClient ?? 6;
  const half = Math.ceil(options.mpanCores.length / 2);
  const groups = [options.mpanCores.slice(0, half), options.mpanCores.slice(half)];
  const fresh = groups.map((mpans) => submissionBodies(mpans, options.beforeDate, calls, (p) => (0.2 + p / 1000).toFixed(3)));
  const corrected = groups.map((mpans) => submissionBodies(mpans, options.beforeDate, calls, (p) => (0.3 + p / 1000).toFixed(3)));
  const intervals = 2 * calls * 10_000;

  const first = await submitAll(options.gatewayUrl, options.token, fresh);
  const second = await submitAll(options.gatewayUrl, options.token, corrected);
  for (const [phase, run, field] of [
    ['new data', first, 'accepted'],
    ['corrections', second, 'newVersions'],
  ] as const) {
    const stored = run.answers.reduce((sum, a) => sum + a.submitConsumption[field], 0);
    if (stored !== intervals) {
      const problem = run.answers.flatMap((a) => a.submitConsumption.rejections)[0];
      throw new Error(
        `${phase}: ${stored} of ${intervals} stored${problem ? `; first rejection ${problem.reason}: ${problem.message}` : ''}`,
      );
    }
  }
  const rate = (wall: number) => intervals / (wall / 1000);
  return {
    value: rate(second.wall),
    unit: 'intervals/s',
    detail: `${count(intervals)} intervals in ${2 * calls} calls of 10,000 from 2 clients: as corrections (new versions, old ones kept in history) ${count(rate(second.wall))}/s (${ms(second.wall / calls)} a call per client); as new data ${count(rate(first.wall))}/s`,
  };
}
