import type { Database } from './db';
import type { Migration } from './migrate';
import { machineTimeMs, type VerifiedContext } from '../../core';

/**
 * Every subgraph's table of context ids already used by a mutation (issue 11, item 4: single use). It lives in the
 * subgraph's own schema so all its replicas agree; numbered 900 so it never clashes with a subgraph's own migrations.
 */
export const USED_CONTEXT_ID_MIGRATION: Migration = {
  version: 900,
  name: 'used-context-id',
  sql: `CREATE TABLE used_context_id (
  context_id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX used_context_id_expires_at ON used_context_id (expires_at);
COMMENT ON TABLE used_context_id IS 'Internal-context ids (jti) already spent on a mutation, kept until the context expires: a replay is refused.';
`,
};

/**
 * Records that a mutation used this context; false when it was used before (a replay). Expired ids are dropped on the
 * way: the context itself is refused once expired, so its id need not be kept. Security time, not business time.
 */
export async function spendContextId(db: Database, dbSchema: string, context: VerifiedContext): Promise<boolean> {
  const rows = await db.query(
    `WITH expired AS (DELETE FROM ${dbSchema}.used_context_id WHERE expires_at < $3)
     INSERT INTO ${dbSchema}.used_context_id (context_id, expires_at) VALUES ($1, $2)
     ON CONFLICT (context_id) DO NOTHING RETURNING context_id`,
    [context.contextId, context.expiresAt, new Date(machineTimeMs())],
  );
  return rows.length === 1;
}
