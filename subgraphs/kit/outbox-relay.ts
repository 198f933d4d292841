import type { Database } from './db';
import type { Migration } from './migrate';
import type { FeedMessage } from './message-feed';
import type { OutboxRow } from './outbox';

/**
 * Relays a subgraph's outbox to a broker (for many replicas and high fan-out: kit/redis-streams-feed.ts), in position
 * order, at least once: a batch is published, then the broker's position is recorded in the same transaction that
 * locked it. Replicas may all run the relay; the row lock (SKIP LOCKED) lets one relay a batch at a time and the
 * others return at once. A crash between publish and commit republishes that batch: recipients deduplicate on id.
 */
export const OUTBOX_RELAY_MIGRATION: Migration = {
  version: 902,
  name: 'outbox-relay',
  sql: `CREATE TABLE outbox_relay (
  broker text PRIMARY KEY,
  position bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE outbox_relay IS 'How far this subgraph''s outbox_message has been published to each broker (at least once).';
`,
};

/** Where relayed messages go. */
export interface MessagePublisher {
  /** A name for the relay position ('redis-streams'). */
  readonly broker: string;
  publish(messages: readonly FeedMessage[]): Promise<void>;
}

/** Relays one batch; returns how many messages were published (0 when another replica holds the relay). */
export async function relayOutboxBatch(
  db: Database,
  subgraph: { name: string; dbSchema: string },
  publisher: MessagePublisher,
  batchSize = 500,
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`INSERT INTO ${subgraph.dbSchema}.outbox_relay (broker) VALUES ($1) ON CONFLICT DO NOTHING`, [publisher.broker]);
    const [held] = await tx.query<{ position: number }>(
      `SELECT position FROM ${subgraph.dbSchema}.outbox_relay WHERE broker = $1 FOR UPDATE SKIP LOCKED`,
      [publisher.broker],
    );
    if (!held) return 0;
    const rows = await tx.query<OutboxRow>(
      `SELECT * FROM ${subgraph.dbSchema}.outbox_message WHERE position > $1 ORDER BY position LIMIT $2`,
      [held.position, batchSize],
    );
    if (rows.length === 0) return 0;
    await publisher.publish(
      rows.map((row) => ({
        id: row.id,
        type: row.type,
        recipientParticipant: row.recipient_participant,
        recipientRole: row.recipient_role,
        mpanCore: row.mpan_core,
        payload: row.payload,
        principle: row.principle,
        createdAt: row.created_at,
        source: subgraph.name,
        position: Number(row.position),
      })),
    );
    await tx.query(`UPDATE ${subgraph.dbSchema}.outbox_relay SET position = $2 WHERE broker = $1`, [
      publisher.broker,
      rows[rows.length - 1].position,
    ]);
    return rows.length;
  });
}
