import type Redis from 'ioredis';
import { createDatabase, type Database } from '../../subgraphs/kit/db';
import { migrate } from '../../subgraphs/kit/migrate';
import { OUTBOX_MIGRATION, writeMessages, type OutgoingMessage } from '../../subgraphs/kit/outbox';
import { OUTBOX_RELAY_MIGRATION, relayOutboxBatch } from '../../subgraphs/kit/outbox-relay';
import { readRedisFeed, redisStreamsPublisher } from '../../subgraphs/kit/redis-streams-feed';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_NOW } from '../support/test-clock';
import { startRedisServer, type RedisServer } from '../support/redis-server';

// The broker adapter for many replicas (README "Messages"): a real redis-server (Debian's, as CI installs it) fed
// from a subgraph's outbox by two relay replicas at once; each message reaches the streams exactly once, readers see
// only their participant's and role's streams (PRI-021, PRI-022), and a blocked reader is woken by a new message.

const SCHEMA = 'relay_test';
const subgraph = { name: 'relay-test', dbSchema: SCHEMA };

const toParticipant = (n: number, participant: string): OutgoingMessage => ({
  type: 'APPOINTMENT_REQUESTED',
  recipient: { participant },
  payload: { n },
  principle: 'PRI-021',
});
const toRole = (n: number): OutgoingMessage => ({
  type: 'READ_REQUEST_RAISED',
  recipient: { role: 'METER_READING_SERVICE' },
  payload: { n },
  principle: 'PRI-022',
});

let redisServer: RedisServer;
let redis: Redis;
let database: TestDatabase;
let replicas: Database[];

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = redisServer.client;
  database = await createTestDatabase('empty');
  replicas = [createDatabase(database.url, { maxConnections: 2 }), createDatabase(database.url, { maxConnections: 2 })];
  await migrate(replicas[0], SCHEMA, [OUTBOX_MIGRATION, OUTBOX_RELAY_MIGRATION]);
}, 30_000);

afterAll(async () => {
  await Promise.all(replicas?.map((db) => db.close()) ?? []);
  await database?.drop();
  await redisServer?.stop();
});

/** Both replicas relay in small batches, side by side, until the outbox is fully published. */
async function relayAll(): Promise<number> {
  const publisher = redisStreamsPublisher(redis);
  let published = 0;
  for (;;) {
    const counts = await Promise.all(replicas.map((db) => relayOutboxBatch(db, subgraph, publisher, 4)));
    published += counts[0] + counts[1];
    // Both idle at once: nothing is left (a replica that found the relay locked returned 0 while the other published).
    if (counts[0] === 0 && counts[1] === 0) return published;
  }
}

it('publishes every outbox message once from two relay replicas, to its recipient’s stream only', async () => {
  for (let batch = 0; batch < 3; batch++) {
    await replicas[batch % 2].transaction((tx) =>
      writeMessages(
        tx,
        SCHEMA,
        [0, 1, 2, 3].map((i) => {
          const n = batch * 10 + i;
          return i === 3 ? toRole(n) : toParticipant(n, i === 2 ? 'SUPA' : 'SDSB');
        }),
        TEST_NOW,
      ),
    );
  }
  expect(await relayAll()).toBe(12);
  expect(await redis.xlen('mhhs:messages:participant:SDSB')).toBe(6);
  expect(await redis.xlen('mhhs:messages:participant:SUPA')).toBe(3);
  expect(await redis.xlen('mhhs:messages:role:METER_READING_SERVICE')).toBe(3);

  const sdsb = await readRedisFeed(redis, { participant: 'SDSB', role: 'SMART_DATA_SERVICE' }, { participant: '0', role: '0' });
  expect(sdsb.messages.map((m) => m.payload.n)).toEqual([0, 1, 10, 11, 20, 21]);
  expect(new Set(sdsb.messages.map((m) => m.id)).size).toBe(6);
  expect(sdsb.messages.every((m) => m.recipientParticipant === 'SDSB')).toBe(true);
  const readers = await readRedisFeed(redis, { participant: 'MRSA', role: 'METER_READING_SERVICE' }, { participant: '0', role: '0' });
  expect(readers.messages.map((m) => [m.type, m.payload.n])).toEqual([
    ['READ_REQUEST_RAISED', 3],
    ['READ_REQUEST_RAISED', 13],
    ['READ_REQUEST_RAISED', 23],
  ]);

  // A reader blocked after its position is woken by the next relayed message, and gets only that one.
  const blocking = redis.duplicate();
  const waiting = readRedisFeed(blocking, { participant: 'SDSB', role: 'SMART_DATA_SERVICE' }, sdsb.position, { blockMs: 10_000 });
  await replicas[1].transaction((tx) => writeMessages(tx, SCHEMA, [toParticipant(99, 'SDSB')], TEST_NOW));
  expect(await relayAll()).toBe(1);
  expect((await waiting).messages.map((m) => m.payload.n)).toEqual([99]);
  blocking.disconnect();
}, 30_000);
