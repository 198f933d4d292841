/**
 * `npm run seed` writes the demo dataset (the default, or `--demo`); `npm run seed -- --mpans N --days D` writes a
 * larger generated one for load work, with a progress bar. Uses DATABASE_URL, else the embedded PostgreSQL.
 * Migrates first; seeding twice changes nothing.
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { resolveDatabase } from '../dev/database-url';
import { migrateAll, writeDataset } from '../dev/database-setup';
import { buildDataset, buildDemoDataset, consecutiveDates } from '../dev/build-dataset';
import { wholeNumberFlag } from '../dev/whole-number-flag';
import { clockFromEnv } from '../core';

const USAGE = 'usage: npm run seed [-- --demo | --mpans N --days D [--from YYYY-MM-DD]]';

const positiveInteger = (name: string, value: string | undefined, fallback: number) => wholeNumberFlag(name, value, fallback, 1, USAGE);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { demo: { type: 'boolean' }, mpans: { type: 'string' }, days: { type: 'string' }, from: { type: 'string' } },
  });
  const large = values.mpans !== undefined || values.days !== undefined;
  if (large && values.demo) throw new Error(`--demo cannot be combined with --mpans/--days\n${USAGE}`);
  const seededAt = clockFromEnv(process.env).now();
  const dataset = large
    ? buildDataset({
        mpanCount: positiveInteger('mpans', values.mpans, 1000),
        settlementDates: consecutiveDates(values.from ?? '2026-01-01', positiveInteger('days', values.days, 30)),
        runDate: null,
        seededAt,
      })
    : buildDemoDataset(seededAt);

  const database = await resolveDatabase();
  try {
    await migrateAll(database.url);
    const bar = new SingleBar({ format: 'intervals {bar} {percentage}% {value}/{total} | {duration}s' }, Presets.shades_classic);
    bar.start(dataset.intervalCount, 0);
    await writeDataset(database.url, dataset, (written) => bar.increment(written));
    bar.stop();
    console.log(
      `seeded ${dataset.meteringPoints.length} metering points and ${dataset.intervalCount} intervals into ${database.description}`,
    );
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
