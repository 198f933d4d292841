import { Client } from 'pg';
import type { NationalContext, NationalRow, RowResult } from './row';
import { measureIngestion, measurePortfolioDay, measureYearOfOneMpan } from './bulk-measures';

// Issue 16 parts 1 and 3: the bulk read path (compact series), ingestion into the partitioned current/history tables,
// and a year of one MPAN. Each row's measuring code is in bulk-measures.ts, runnable without the harness too.

const SUPA = { participant: 'SUPA', role: 'SUPPLIER' } as const;
const MDS = { participant: 'MDSV', role: 'MARKET_WIDE_DATA_SERVICE' } as const;

/** A few rows of the dataset's own database, for picking MPANs (never for measuring). */
async function sql<T>(ctx: NationalContext, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const portfolioRow = (id: string, who: typeof SUPA | typeof MDS, whose: string): NationalRow => ({
  id,
  title: `Bulk read of a portfolio-day through the gateway (Query.consumptionSeries, ${whose}, 1000 MPANs a page)`,
  mpans: 100_000,
  target: {
    measure: 'intervals read per second through the gateway, one client paging the whole day',
    threshold: 500_000,
    unit: 'intervals/s',
    better: 'higher',
    source: 'issue 16',
  },
  run: async (ctx): Promise<RowResult> =>
    measurePortfolioDay({ gatewayUrl: ctx.gatewayUrl, token: await ctx.token(who), settlementDate: ctx.dataset.settlementDate }),
});

export const rows: NationalRow[] = [
  portfolioRow('bulk-portfolio-day-supplier', SUPA, 'a supplier, its third of the market'),
  portfolioRow('bulk-portfolio-day-mds', MDS, 'the MDS, every MPAN'),
  {
    id: 'bulk-year-of-one-mpan',
    title: 'A year of one MPAN as compact series (MeteringPoint.consumptionSeries, 365 settlement days, as its supplier)',
    mpans: 100_000,
    target: { measure: 'median time of one request for the year', threshold: 150, unit: 'ms', better: 'lower', source: 'issue 16' },
    async run(ctx) {
      // A metering point SUPA has supplied without a change since before the year.
      const [{ mpan }] = await sql<{ mpan: string }>(
        ctx,
        `SELECT mpan_core AS mpan FROM registration.supplier_registration
          WHERE supplier_id = 'SUPA' AND effective_to IS NULL AND effective_from <= '2024-06-01' ORDER BY mpan_core LIMIT 1`,
      );
      return measureYearOfOneMpan({
        gatewayUrl: ctx.gatewayUrl,
        token: await ctx.token(SUPA),
        databaseUrl: ctx.databaseUrl,
        mpanCore: mpan,
        lastDate: ctx.dataset.settlementDate,
      });
    },
  },
  {
    id: 'bulk-ingestion',
    title: 'Ingestion: submitConsumption, 10,000 intervals a call, two clients, corrections kept as versions',
    mpans: 100_000,
    target: {
      measure: 'intervals stored per second through the gateway',
      threshold: 50_000,
      unit: 'intervals/s',
      better: 'higher',
      source: 'issue 16',
    },
    async run(ctx) {
      // Smart metering points with SDSA's data, for days before the seeded one (other rows read the seeded day).
      const mpans = await sql<{ mpan: string }>(
        ctx,
        `SELECT DISTINCT mpan_core AS mpan FROM metering_data.consumption_current
          WHERE data_service_id = 'SDSA' ORDER BY 1 LIMIT 1000`,
      );
      return measureIngestion({
        gatewayUrl: ctx.gatewayUrl,
        token: await ctx.token({ participant: 'SDSA', role: 'SMART_DATA_SERVICE' }),
        mpanCores: mpans.map((m) => m.mpan),
        beforeDate: ctx.dataset.settlementDate,
      });
    },
  },
];
