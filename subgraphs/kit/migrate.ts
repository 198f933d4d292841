import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from './db';

const MIGRATION_FILE = /^(\d{3})\.do\.([a-z0-9-]+)\.sql$/;

/** A numbered migration file: `001.do.create-metering-points.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads a subgraph's migrations folder in version order; a misnamed file is an error, not skipped silently. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`${dir}/${file}: migrations are named NNN.do.what-it-does.sql`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') };
    });
}

/**
 * Applies the migrations not yet applied to `schema` in one transaction: all of them or none.
 * An advisory lock per schema lets several replicas start at once without racing.
 */
export async function migrate(db: Database, schema: string, migrations: Migration[]): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migration (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migration`)).map((row) => row.version),
    );
    const newlyApplied: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.query(`SET LOCAL search_path TO ${schema}`);
      await tx.query(migration.sql);
      await tx.query(`INSERT INTO ${schema}.schema_migration (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      newlyApplied.push(migration.version);
    }
    return newlyApplied;
  });
}
