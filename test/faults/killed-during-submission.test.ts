import { Client } from 'pg';
import { buildDemoDataset } from '../../dev/build-dataset';
import { startProcessStack, type ProcessStack } from '../support/process-stack';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_NOW } from '../support/test-clock';
import type { Actor } from '../support/test-keys';

// The metering-data process is killed with SIGKILL in the middle of storing a 50,000-interval submission (issue 11,
// item 8). PRI-019: a submission is stored in one transaction, so nothing of it may remain; sending it again once the
// subgraph is back stores it exactly once, and sending it yet again changes nothing (the client's safe retry).

const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };
const SUBMIT = `mutation($input: SubmitConsumptionInput!) {
  submitConsumption(input: $input) { accepted unchanged newVersions deEnergisedFlagged rejected }
}`;
const FROM = '2026-08-01T00:00:00Z';
const PERIODS = 2000;

// 25 Smart metering points SDSA serves (demo: index % 10 < 6), energised (index % 7 != 3), x 2,000 half-hours.
const dataset = buildDemoDataset(TEST_NOW);
const mpans = dataset.meteringPoints
  .map((mp, index) => ({ mpanCore: mp.mpanCore, index }))
  .filter(({ index }) => index % 10 < 6 && index % 7 !== 3)
  .slice(0, 25)
  .map(({ mpanCore }) => mpanCore);
const intervals = mpans.flatMap((mpanCore) =>
  Array.from({ length: PERIODS }, (_, i) => ({
    mpanCore,
    quantity: 'ACTIVE_IMPORT',
    utcStart: new Date(Date.parse(FROM) + i * 1_800_000).toISOString(),
    periodMinutes: 30,
    value: (0.1 + (i % 50) / 1000).toFixed(3),
    quality: 'ACTUAL',
  })),
);
const last = intervals[intervals.length - 1];

let database: TestDatabase;
let stack: ProcessStack;
let sql: Client;
beforeAll(async () => {
  database = await createTestDatabase('demo');
  stack = await startProcessStack(database.url);
  sql = new Client({ connectionString: database.url });
  await sql.connect();
}, 240_000);
afterAll(async () => {
  await sql?.end();
  await stack?.stop();
  await database?.drop();
});

/** What is stored of the submission's metering points and range: rows, distinct intervals, highest version, total. */
async function stored() {
  const { rows } = await sql.query(
    `SELECT count(*)::int AS rows, count(DISTINCT (mpan_core, utc_start))::int AS intervals,
            coalesce(max(version), 0)::int AS "maxVersion", coalesce(sum(value), 0)::text AS total
       FROM metering_data.consumption_interval
      WHERE mpan_core = ANY($1) AND quantity = 'ACTIVE_IMPORT' AND utc_start >= $2 AND utc_start < $3`,
    [mpans, FROM, new Date(Date.parse(FROM) + PERIODS * 1_800_000).toISOString()],
  );
  return rows[0] as { rows: number; intervals: number; maxVersion: number; total: string };
}

/** Polls until `probe` returns a value (not undefined), or fails after `ms`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('metering-data killed with SIGKILL during a 50,000-interval submission', () => {
  it('PRI-019: leaves nothing half-written, and the retry stores every interval exactly once', async () => {
    expect(mpans).toHaveLength(25);
    expect(intervals).toHaveLength(50_000);
    expect(await stored()).toEqual({ rows: 0, intervals: 0, maxVersion: 0, total: '0' });

    // Hold the submission mid-write: this session inserts the submission's last interval first and keeps its
    // transaction open, so the submission's INSERT, having written the intervals before it, waits on that row.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO metering_data.consumption_interval
           (mpan_core, quantity, utc_start, version, period_minutes, value, quality, data_service_id, received_at)
         VALUES ($1, 'ACTIVE_IMPORT', $2, 1, 30, 0, 'ACTUAL', 'SDSA', $3)`,
        [last.mpanCore, last.utcStart, TEST_NOW],
      );
      const attempt = stack.query(SUBMIT, { input: { intervals } }, SDSA);
      // Awaited below; should a wait fail first, its rejection must not go unhandled.
      attempt.catch(() => undefined);
      // metering-data's session, inside its transaction, waiting in the statement that stores the submission
      // (storeIntervalVersions; pg_stat_activity keeps only the start of its text).
      const backend = await waitFor('the submission to wait mid-INSERT', async () => {
        const { rows } = await sql.query(
          `SELECT pid, xact_start IS NOT NULL AS "inTransaction" FROM pg_stat_activity
            WHERE application_name = 'mhhs-metering-data' AND state = 'active' AND wait_event_type = 'Lock'
              AND query LIKE 'WITH submitted AS%'`,
        );
        return rows[0] as { pid: number; inTransaction: boolean } | undefined;
      });
      expect(backend.inTransaction).toBe(true);

      await stack.subgraph('metering-data').kill('SIGKILL');
      // The client is told which part failed and that it may retry; the gateway itself stays up.
      const answer = await attempt;
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'metering-data' } }),
      ]);
      expect(stack.gateway.running).toBe(true);
      await blocker.query('ROLLBACK');

      // PostgreSQL ends the orphaned session by itself (its client is gone) and rolls its transaction back.
      await waitFor('the killed subgraph session to end', async () => {
        const { rowCount } = await sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend.pid]);
        return rowCount === 0 ? true : undefined;
      });
    } finally {
      await blocker.end();
    }
    // Nothing half-written.
    expect(await stored()).toEqual({ rows: 0, intervals: 0, maxVersion: 0, total: '0' });

    // The subgraph restarted on its port: the same submission is stored once, all first versions.
    await stack.subgraph('metering-data').start();
    const retry = await stack.query(SUBMIT, { input: { intervals } }, SDSA);
    expect(retry.body).toEqual({
      data: { submitConsumption: { accepted: 50_000, unchanged: 0, newVersions: 0, deEnergisedFlagged: 0, rejected: 0 } },
    });
    const expectedTotal = intervals.reduce((sum, i) => sum + Math.round(Number(i.value) * 1000), 0) / 1000;
    const once = await stored();
    expect(once).toEqual({ rows: 50_000, intervals: 50_000, maxVersion: 1, total: expect.any(String) });
    expect(Number(once.total)).toBe(expectedTotal);

    // A client that lost the answer and sends it again: every interval is recognised, nothing is added.
    const again = await stack.query(SUBMIT, { input: { intervals } }, SDSA);
    expect(again.body).toEqual({
      data: { submitConsumption: { accepted: 50_000, unchanged: 50_000, newVersions: 0, deEnergisedFlagged: 0, rejected: 0 } },
    });
    expect(await stored()).toEqual(once);
  }, 300_000);
});
