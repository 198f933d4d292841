import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { buildDemoDataset } from '../../dev/build-dataset';
import { TEMPLATE_DATABASE } from './test-database';
import { freePort } from '../../dev/free-port';
import { TEST_NOW } from './test-clock';

/**
 * Starts one real PostgreSQL for the whole run (embedded, in a temp directory; or the server named by
 * TEST_ADMIN_DATABASE_URL) and builds a migrated, demo-seeded template database that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mhhs-test-pg-'));
    // mkdtemp makes it private to root; the server runs as `postgres` when the tests run as root.
    chmodSync(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'data'),
      port: await freePort(),
      database: 'postgres',
      durable: false,
    });
    (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = { stop: embedded.stop, dataDir };
    adminUrl = embedded.adminUrl;
    process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await migrateAll(templateUrl.toString());
  await writeDataset(templateUrl.toString(), buildDemoDataset(TEST_NOW));
}
