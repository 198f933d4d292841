import { join } from 'node:path';
import { dataDirFromEnv } from './data-dir';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  /** Where the data lives, for the start banner. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR (default .data/) on EMBEDDED_PG_PORT. */
export async function resolveDatabase(env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, description: 'DATABASE_URL', stop: async () => undefined };
  }
  const dataDir = join(dataDirFromEnv(env), 'postgres');
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  const embedded = await startEmbeddedPostgres({ dataDir, port, database: 'mhhs' });
  return { url: embedded.url, description: `embedded PostgreSQL in ${dataDir} (port ${port})`, stop: embedded.stop };
}
