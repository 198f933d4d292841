import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../dev/embedded-postgres';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { buildDataset } from '../../dev/build-dataset';
import { freePort } from '../../dev/free-port';
import type { NationalDataset } from './row';

/**
 * The settlement day every national dataset has: an ordinary 48-period winter day (one UTC day). Before the demo's
 * de-energisations take effect (2026-02-01), so exceptions are as rare as in the market, not one MPAN in seven per period.
 */
export const NATIONAL_SETTLEMENT_DATE = '2026-01-15';

export interface SeededDatabase {
  database: EmbeddedDatabase;
  dataset: NationalDataset;
  /** Stops PostgreSQL and removes its directory. */
  dispose(): Promise<void>;
}

/**
 * A throw-away PostgreSQL (fsync off) holding the demo market with `mpanCount` metering points and one settlement day
 * of their intervals, written by the dev dataset writer (one transaction, intervals by COPY) and analysed.
 */
export async function seedNationalDataset(mpanCount: number, log: (message: string) => void): Promise<SeededDatabase> {
  // As root the server runs as `postgres`, which must reach the directory.
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-national-'));
  chmodSync(dir, 0o755);
  let database: EmbeddedDatabase | undefined;
  const dispose = async () => {
    await database?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    database = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'mhhs_national', durable: false });
    await migrateAll(database.url);
    const rows = buildDataset({ mpanCount, settlementDates: [NATIONAL_SETTLEMENT_DATE], runDate: null, seededAt: new Date() });
    const started = Date.now();
    let written = 0;
    let lastLog = started;
    await writeDataset(database.url, rows, (count) => {
      written += count;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`  seeding: ${written.toLocaleString('en-GB')} of ${rows.intervalCount.toLocaleString('en-GB')} intervals`);
      }
    });
    const seedSeconds = (Date.now() - started) / 1000;
    const mpanCores = rows.meteringPoints.map((mp) => mp.mpanCore).sort();
    return {
      database,
      dispose,
      dataset: {
        mpanCount,
        settlementDate: NATIONAL_SETTLEMENT_DATE,
        intervalCount: rows.intervalCount,
        seedSeconds,
        sampleMpanCores: mpanCores.slice(0, 100),
        description: `${mpanCount.toLocaleString('en-GB')} MPANs × settlement day ${NATIONAL_SETTLEMENT_DATE} (48 periods, GMT): ${rows.intervalCount.toLocaleString('en-GB')} interval rows incl. superseded versions, dev demo market (\`buildDataset\`), seeded by COPY in ${seedSeconds.toFixed(1)} s`,
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
