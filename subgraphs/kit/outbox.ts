import { randomUUID } from 'node:crypto';
import type { Queryable } from './db';
import type { Migration } from './migrate';
import { isMarketRole, type MarketRole } from '../../core';

/**
 * One business message a process says a party must receive (PRI-023: only where a process calls for it), addressed
 * to one participant (PRI-021) or to everyone acting in one market role (PRI-022).
 */
export interface OutgoingMessage {
  /** What happened, SCREAMING_SNAKE: 'APPOINTMENT_REQUESTED'. */
  type: string;
  recipient: { participant: string } | { role: MarketRole };
  mpanCore?: string;
  /** JSON facts the recipient needs; never a secret. */
  payload: Record<string, unknown>;
  /** Why this party must be told: 'PRI-021'. */
  principle: string;
}

/**
 * Every subgraph's outbox, in its own schema (numbered 901 like the kit's other tables, after the subgraph's own
 * migrations). `position` orders a subgraph's messages; `id` is the stable id a recipient deduplicates on.
 */
export const OUTBOX_MIGRATION: Migration = {
  version: 901,
  name: 'outbox-message',
  sql: `CREATE TABLE outbox_message (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  recipient_participant text,
  recipient_role text,
  mpan_core text,
  payload jsonb NOT NULL,
  principle text NOT NULL,
  created_at timestamptz NOT NULL,
  CONSTRAINT outbox_message_one_recipient CHECK ((recipient_participant IS NULL) <> (recipient_role IS NULL))
);
CREATE INDEX outbox_message_participant ON outbox_message (recipient_participant, position) WHERE recipient_participant IS NOT NULL;
CREATE INDEX outbox_message_role ON outbox_message (recipient_role, position) WHERE recipient_role IS NOT NULL;
COMMENT ON TABLE outbox_message IS 'Messages to participants (PRI-021) or roles (PRI-022), written in the transaction of the change they announce (PRI-025: they persist).';
`,
};

const MESSAGE_TYPE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const PRINCIPLE = /^PRI-\d{3}b?$/;

/** A programming error in the caller (not the client's input): the transaction rolls back, nothing is half-written. */
function checkMessage(message: OutgoingMessage): void {
  if (!MESSAGE_TYPE.test(message.type)) throw new Error(`outbox: message type "${message.type}" is not SCREAMING_SNAKE`);
  if (!PRINCIPLE.test(message.principle))
    throw new Error(`outbox: ${message.type} needs a principle id (PRI-0xx), got "${message.principle}"`);
  const recipient = message.recipient as { participant?: unknown; role?: unknown };
  const byParticipant = typeof recipient.participant === 'string' && recipient.participant.length > 0;
  const byRole = isMarketRole(recipient.role);
  if (byParticipant === byRole) throw new Error(`outbox: ${message.type} needs exactly one recipient, a participant or a market role`);
}

/**
 * Writes messages in the caller's transaction (transactional outbox): committed with the change or not at all.
 * `dbSchema` is the calling subgraph's own schema ('appointment', …). Call it last in the transaction: it takes the
 * schema's outbox lock so positions become visible in order (a reader after position p never misses one committed
 * later with a smaller position), and holding that lock briefly keeps writers moving.
 */
export async function writeMessages(tx: Queryable, dbSchema: string, messages: readonly OutgoingMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  messages.forEach(checkMessage);
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outbox:${dbSchema}`]);
  await tx.query(
    `INSERT INTO ${dbSchema}.outbox_message (id, type, recipient_participant, recipient_role, mpan_core, payload, principle, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::timestamptz[])`,
    [
      messages.map(() => `MSG-${randomUUID()}`),
      messages.map((m) => m.type),
      messages.map((m) => ('participant' in m.recipient ? m.recipient.participant : null)),
      messages.map((m) => ('role' in m.recipient ? m.recipient.role : null)),
      messages.map((m) => m.mpanCore ?? null),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => m.principle),
      messages.map(() => now),
    ],
  );
}

/** One row of `outbox_message`, as the feed and the relay read it. */
export interface OutboxRow {
  id: string;
  type: string;
  recipient_participant: string | null;
  recipient_role: string | null;
  mpan_core: string | null;
  payload: Record<string, unknown>;
  principle: string;
  created_at: Date;
  position: number;
}
