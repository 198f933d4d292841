import { join } from 'node:path';

/** Where local state lives (embedded PostgreSQL, dev keys): DATA_DIR, else `.data` in the project. Never committed. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATA_DIR ?? join(__dirname, '..', '.data');
}
