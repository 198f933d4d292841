import { createDatabase, type Database } from '../../../subgraphs/kit/db';
import { migrate } from '../../../subgraphs/kit/migrate';
import { OUTBOX_MIGRATION, writeMessages, type OutgoingMessage } from '../../../subgraphs/kit/outbox';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { TEST_NOW } from '../../support/test-clock';

// The transactional outbox (PRI-025): a message is committed with the change it announces or not at all.
const SCHEMA = 'outbox_test';
const requested: OutgoingMessage = {
  type: 'APPOINTMENT_REQUESTED',
  recipient: { participant: 'SDSB' },
  mpanCore: '1200000000001',
  payload: { appointmentId: 'APT-1' },
  principle: 'PRI-021',
};
const toRole: OutgoingMessage = {
  type: 'READ_REQUEST_RAISED',
  recipient: { role: 'METER_READING_SERVICE' },
  payload: {},
  principle: 'PRI-022',
};

describe('writeMessages', () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase('empty');
    db = createDatabase(database.url, { maxConnections: 2 });
    await migrate(db, SCHEMA, [OUTBOX_MIGRATION]);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });
  const rows = () => db.query(`SELECT * FROM ${SCHEMA}.outbox_message ORDER BY position`);

  it('writes each message with a stable id, in order, in the caller’s transaction', async () => {
    await db.transaction((tx) => writeMessages(tx, SCHEMA, [requested, toRole], TEST_NOW));
    const written = await rows();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({
      type: 'APPOINTMENT_REQUESTED',
      recipient_participant: 'SDSB',
      recipient_role: null,
      mpan_core: '1200000000001',
      payload: { appointmentId: 'APT-1' },
      principle: 'PRI-021',
      created_at: TEST_NOW,
    });
    expect(written[1]).toMatchObject({ recipient_participant: null, recipient_role: 'METER_READING_SERVICE', mpan_core: null });
    expect(written[0].id).toMatch(/^MSG-[0-9a-f-]{36}$/);
    expect(written[0].id).not.toBe(written[1].id);
    expect(Number(written[1].position)).toBeGreaterThan(Number(written[0].position));
  });

  it('writes nothing when the change rolls back', async () => {
    const before = (await rows()).length;
    await expect(
      db.transaction(async (tx) => {
        await writeMessages(tx, SCHEMA, [requested], TEST_NOW);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rows()).toHaveLength(before);
  });

  it('refuses a message without a type, principle or exactly one recipient, writing none of the batch', async () => {
    const before = (await rows()).length;
    const bad: OutgoingMessage[] = [
      { ...requested, type: 'appointmentRequested' },
      { ...requested, principle: 'because' },
      { ...requested, recipient: { role: 'NOBODY' as never } },
      { ...requested, recipient: { participant: 'SDSB', role: 'SUPPLIER' } as never },
    ];
    for (const message of bad) {
      await expect(db.transaction((tx) => writeMessages(tx, SCHEMA, [requested, message], TEST_NOW))).rejects.toThrow(/outbox/);
    }
    expect(await rows()).toHaveLength(before);
  });
});
