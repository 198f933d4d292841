import { createDatabase, type Database } from '../../../subgraphs/kit/db';
import { migrate } from '../../../subgraphs/kit/migrate';
import { meteringData } from '../../../subgraphs/metering-data';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

// Migration 020 (one open read request per meter) on a database that already breaks the rule: every row is kept,
// the newest open request of each meter stays open and the older ones are closed as cancelled, with the reason.

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase('empty');
  db = createDatabase(database.url, { maxConnections: 2 });
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

it('keeps every existing request and leaves only the newest open one per meter open', async () => {
  await migrate(
    db,
    meteringData.dbSchema,
    meteringData.migrations.filter((m) => m.version < 20),
  );
  const row = (id: string, meterId: string, requestedAt: string, status = 'OPEN') =>
    db.query(
      `INSERT INTO metering_data.read_request (id, mpan_core, meter_id, reason, status, meter_reading_service_id, requested_at, due_by)
       VALUES ($1, '1200000000001', $2, 'NON_SMART_METER', $3, 'MRSA', $4, '2026-12-31T00:00:00Z')`,
      [id, meterId, status, requestedAt],
    );
  await row('RR-OLD', 'M1', '2026-11-01T09:00:00Z');
  await row('RR-NEW', 'M1', '2026-11-02T09:00:00Z');
  await row('RR-DONE', 'M1', '2026-10-01T09:00:00Z', 'FULFILLED');
  await row('RR-OTHER', 'M2', '2026-11-01T09:00:00Z');

  expect(await migrate(db, meteringData.dbSchema, meteringData.migrations)).toContain(20);

  const rows = await db.query<{ id: string; status: string; cancelled_at: Date | null; cancellation_reason: string | null }>(
    'SELECT id, status, cancelled_at, cancellation_reason FROM metering_data.read_request ORDER BY id',
  );
  expect(rows).toEqual([
    { id: 'RR-DONE', status: 'FULFILLED', cancelled_at: null, cancellation_reason: null },
    { id: 'RR-NEW', status: 'OPEN', cancelled_at: null, cancellation_reason: null },
    // Closed when the newer one was requested: the migration reads no clock.
    {
      id: 'RR-OLD',
      status: 'CANCELLED',
      cancelled_at: new Date('2026-11-02T09:00:00Z'),
      cancellation_reason: expect.stringContaining('SUPERSEDED'),
    },
    { id: 'RR-OTHER', status: 'OPEN', cancelled_at: null, cancellation_reason: null },
  ]);
  await expect(row('RR-AGAIN', 'M2', '2026-11-03T09:00:00Z')).rejects.toMatchObject({ code: '23505' });
});
