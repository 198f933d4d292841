import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { createDatabase } from '../../subgraphs/kit/db';
import { subgraphs } from '../../subgraphs';
import { buildDataset, buildDemoDataset, consecutiveDates } from '../../dev/build-dataset';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { TEST_NOW } from '../support/test-clock';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** Row count and a checksum of every row of every table the subgraphs own: equal fingerprints mean equal data. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const db = createDatabase(url, { maxConnections: 1 });
  try {
    const tables = await db.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema = ANY($1::text[]) AND table_name <> 'schema_migration' ORDER BY 1`,
      [subgraphs.map((s) => s.dbSchema)],
    );
    const result: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await db.query<{ n: number; sum: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM ${name} t`,
      );
      result[name] = `${row.n}:${row.sum}`;
    }
    return result;
  } finally {
    await db.close();
  }
}

const databases: TestDatabase[] = [];
async function database(contents: 'demo' | 'empty'): Promise<TestDatabase> {
  const created = await createTestDatabase(contents);
  databases.push(created);
  return created;
}
afterAll(() => Promise.all(databases.map((d) => d.drop())));

describe('seeding', () => {
  it('changes nothing when the demo data is written a second time', async () => {
    const { url } = await database('demo');
    const before = await fingerprint(url);
    await writeDataset(url, buildDemoDataset(TEST_NOW));
    expect(await fingerprint(url)).toEqual(before);
    expect(before['metering_data.consumption_interval']).toMatch(/^\d+:/);
    expect(Number(before['registration.metering_point'].split(':')[0])).toBe(50);
  });

  it('writes nothing at all when any part of the dataset is refused (one transaction)', async () => {
    const { url } = await database('empty');
    await migrateAll(url);
    const dataset = buildDemoDataset(TEST_NOW);
    // The settlement subgraph is written last; an exception naming an unknown run breaks its foreign key.
    dataset.settlementExceptions.push({ ...dataset.settlementExceptions[0], id: 'EXC-BROKEN', runId: 'RUN-DOES-NOT-EXIST' });
    await expect(writeDataset(url, dataset)).rejects.toThrow(/foreign key/);
    const counts = Object.values(await fingerprint(url)).map((value) => value.split(':')[0]);
    expect(new Set(counts)).toEqual(new Set(['0']));
  });

  it('generates a larger dataset of the asked size and reports progress that adds up to the interval count', async () => {
    const { url } = await database('empty');
    await migrateAll(url);
    const dataset = buildDataset({ mpanCount: 7, settlementDates: consecutiveDates('2026-03-28', 3), runDate: null, seededAt: TEST_NOW });
    // 48 + 46 + 48 periods a day for 7 MPANs, plus the second versions of corrected estimates.
    expect(dataset.intervalCount).toBeGreaterThanOrEqual(7 * (48 + 46 + 48));
    const progress: number[] = [];
    await writeDataset(url, dataset, (written) => progress.push(written));
    expect(progress.reduce((a, b) => a + b, 0)).toBe(dataset.intervalCount);
    const fp = await fingerprint(url);
    expect(fp['metering_data.consumption_interval'].split(':')[0]).toBe(String(dataset.intervalCount));
    expect(fp['registration.metering_point'].split(':')[0]).toBe('7');
    // Planner statistics are fresh for every table written, so the first queries after a seed use the indexes.
    const db = createDatabase(url, { maxConnections: 1 });
    try {
      const stale = await db.query<{ name: string }>(
        `SELECT schemaname || '.' || relname AS name FROM pg_stat_user_tables
          WHERE schemaname = ANY($1::text[]) AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY 1`,
        [subgraphs.map((s) => s.dbSchema)],
      );
      expect(stale).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('builds the same dataset every time (deterministic demo data)', () => {
    const first = buildDemoDataset(TEST_NOW);
    const second = buildDemoDataset(TEST_NOW);
    expect([...second.intervalBatches()]).toEqual([...first.intervalBatches()]);
    expect(second.appointments).toEqual(first.appointments);
  });

  it('runs as `npm run seed -- --mpans N --days D` and refuses bad flags with a usage line', async () => {
    const { url } = await database('empty');
    const env = { ...process.env, DATABASE_URL: url, NODE_OPTIONS: '' };
    const ok = await run('npx', ['tsx', 'scripts/seed.ts', '--mpans', '2', '--days', '1'], { cwd: ROOT, env });
    expect(ok.stdout).toMatch(/seeded 2 metering points and \d+ intervals/);
    await expect(run('npx', ['tsx', 'scripts/seed.ts', '--mpans', 'many'], { cwd: ROOT, env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--mpans must be a positive whole number, got "many"'),
    });
  });
});
