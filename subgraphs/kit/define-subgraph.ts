import { join } from 'node:path';
import type { Subgraph } from './subgraph';
import { readSdl } from '../../core';
import { readMigrations } from './migrate';
import { USED_CONTEXT_ID_MIGRATION } from './used-context-ids';
import { OUTBOX_MIGRATION } from './outbox';
import { OUTBOX_RELAY_MIGRATION } from './outbox-relay';

/**
 * Builds a subgraph's descriptor from its folder: schema.graphql and migrations/ are read from `dir`; the kit's own
 * migrations (900 and up: the used context ids, the outbox) follow.
 */
export function defineSubgraph<Loaders, Rows>(
  dir: string,
  parts: Omit<Subgraph<Loaders, Rows>, 'typeDefs' | 'migrations'>,
): Subgraph<Loaders, Rows> {
  return {
    ...parts,
    typeDefs: readSdl(join(dir, 'schema.graphql')),
    migrations: [...readMigrations(join(dir, 'migrations')), USED_CONTEXT_ID_MIGRATION, OUTBOX_MIGRATION, OUTBOX_RELAY_MIGRATION],
  };
}
