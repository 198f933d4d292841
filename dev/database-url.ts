import { join } from 'node:path';
import { dataDirFromEnv } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';
import { portFromEnv } from '../core';

export interface ResolvedDatabase {
  url: string;
  /** Where the data lives, for the start banner. */
  description: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR (default .data/) on EMBEDDED_PG_PORT, or the
 * one a running `npm start` already serves from that directory (then `stop` leaves it running).
 */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, description: 'DATABASE_URL', stop: async () => undefined };
  }
  const dataDir = join(dataDirFromEnv(env), 'postgres');
  const port = portFromEnv(env, 'EMBEDDED_PG_PORT', 54329);
  const embedded = await startEmbeddedPostgres({ dataDir, port, database: 'mhhs', log: log && ((line) => quietServerLog(line, log)) });
  const where = `embedded PostgreSQL in ${dataDir} (port ${new URL(embedded.url).port}${embedded.shared ? ', shared with a running npm start' : ''})`;
  return { url: embedded.url, description: where, stop: embedded.stop };
}

/** Our own lines about the server pass; PostgreSQL's routine LOG lines do not (its warnings and errors do). */
function quietServerLog(line: string, log: (line: string) => void): void {
  if (/^\d{4}-\d\d-\d\d .* (LOG|DETAIL|HINT|STATEMENT): /.test(line)) return;
  log(line);
}
