/**
 * `npm run aggregate -- --date YYYY-MM-DD --run SF [--gateway URL] [--token T] [--period-minutes 30] [--method database|per-mpan]`
 * runs the Market-wide Data Service's job for one settlement date through the gateway: aggregate per settlement period
 * (by default in the database, `settlementDayAggregation`; `--method per-mpan` reads every metering point's facts and
 * intervals and sums them here), submit the run, print a summary. The token is `--token`, else MDS_TOKEN, else a dev
 * token for participant MDSV signed with the dev key in DATA_DIR (default .data/), as `npm run token` makes.
 */
import { parseArgs } from 'node:util';
import { ensureDevKeys } from '../dev/dev-keys';
import { issuerAndAudienceFromEnv } from '../gateway/auth/auth-config';
import { signDevToken } from '../dev/sign-dev-token';
import { dataDirFromEnv } from '../dev/data-dir';
import { AGGREGATION_METHODS, AggregateJobReport, AggregationMethod, runAggregation } from '../clients/aggregate-job';

const USAGE =
  'usage: npm run aggregate -- --date YYYY-MM-DD --run II|SF|R1|R2|R3|RF|DF [--gateway http://localhost:4000/graphql] [--token T] [--period-minutes 30|15] [--method database|per-mpan]';
const RUN_TYPES = ['II', 'SF', 'R1', 'R2', 'R3', 'RF', 'DF'];

class UsageError extends Error {}

interface Options {
  settlementDate: string;
  runType: string;
  gatewayUrl: string;
  token: string | undefined;
  periodMinutes: number;
  method: AggregationMethod;
}

/** The job's options from the command line; every mistake is a UsageError saying what is accepted. */
function parseOptions(args: string[], env: NodeJS.ProcessEnv): Options {
  let values: { date?: string; run?: string; gateway?: string; token?: string; 'period-minutes'?: string; method?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        run: { type: 'string' },
        gateway: { type: 'string' },
        token: { type: 'string' },
        'period-minutes': { type: 'string', default: '30' },
        method: { type: 'string', default: 'database' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new UsageError('--date is required: the settlement date as YYYY-MM-DD');
  if (!values.run || !RUN_TYPES.includes(values.run)) throw new UsageError(`--run is required: one of ${RUN_TYPES.join(', ')}`);
  const periodMinutes = Number(values['period-minutes']);
  if (periodMinutes !== 30 && periodMinutes !== 15) throw new UsageError('--period-minutes must be 30 or 15');
  const method = values.method as AggregationMethod;
  if (!AGGREGATION_METHODS.includes(method)) throw new UsageError(`--method must be one of ${AGGREGATION_METHODS.join(', ')}`);
  return {
    settlementDate: values.date,
    runType: values.run,
    gatewayUrl: values.gateway ?? `http://localhost:${env.PORT ?? 4000}/graphql`,
    token: values.token ?? (env.MDS_TOKEN?.trim() || undefined),
    periodMinutes,
    method,
  };
}

/** A dev token for the demo Market-wide Data Service, accepted by a dev stack using the same DATA_DIR. */
async function devMdsToken(env: NodeJS.ProcessEnv): Promise<string> {
  const keys = await ensureDevKeys(dataDirFromEnv(env));
  return signDevToken(keys.tokenSigning.privateJwk, {
    participant: 'MDSV',
    roles: ['MARKET_WIDE_DATA_SERVICE'],
    ttl: '1h',
    ...issuerAndAudienceFromEnv(env),
  });
}

/** A few lines an operator can read at a glance. */
export function formatSummary(report: AggregateJobReport): string {
  const byType = new Map<string, number>();
  for (const exception of report.exceptions) byType.set(exception.exceptionType, (byType.get(exception.exceptionType) ?? 0) + 1);
  const periods = new Set(report.volumes.map((v) => v.utcStart)).size;
  const lines = [
    `Settlement date ${report.settlementDate} (${report.periodCount} periods of ${report.periodMinutes} minutes, clock change ${report.clockChange}), run ${report.runType}`,
    `  read ${report.meteringPoints} metering points, ${report.intervals} intervals (${report.method === 'database' ? 'summed in the database' : 'per MPAN'})${
      report.timings
        ? `: ${report.timings.pages} page(s), facts ${(report.timings.factsMs / 1000).toFixed(2)} s, SQL ${(report.timings.sqlMs / 1000).toFixed(2)} s, all ${(report.timings.wallMs / 1000).toFixed(2)} s`
        : ''
    }`,
    `  volumes: ${report.volumes.length} rows over ${periods} settlement periods, total ${report.totalVolume} kWh`,
    `  exceptions: ${
      byType.size === 0
        ? 'none'
        : [...byType]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([type, count]) => `${type} ${count}`)
            .join(', ')
    }`,
  ];
  if (report.unattributedIntervals > 0)
    lines.push(`  left out: ${report.unattributedIntervals} intervals with no supplier, GSP group, segment or BM unit in force`);
  if (report.unsettledIntervals > 0)
    lines.push(
      `  left out: ${report.unsettledIntervals} intervals longer than the run's ${report.periodMinutes}-minute periods (not split; reported as MISSING_DATA, PRI-015)`,
    );
  if (report.exportMeteringPoints > 0)
    lines.push(`  not settled: ${report.exportMeteringPoints} export metering points (settlement aggregates import only)`);
  if (report.unreportedExceptions > 0)
    lines.push(`  not reported: ${report.unreportedExceptions} exceptions with no supplier or data service to report them to`);
  lines.push(`  submitted run ${report.run.id}: ${report.run.status}${report.run.completedAt ? ` at ${report.run.completedAt}` : ''}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const token = options.token ?? (await devMdsToken(process.env));
  const report = await runAggregation({ ...options, token });
  process.stdout.write(`${formatSummary(report)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      error instanceof UsageError ? `${error.message}\n${USAGE}\n` : `aggregate: ${(error as Error).message ?? String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
