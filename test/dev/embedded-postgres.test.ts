/**
 * The embedded PostgreSQL of `npm start` (issue 15 item 5): it leaves no secret readable by others, keeps its data
 * private, and as root either runs as the `postgres` user or refuses with one line saying what to do.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { freePort } from '../../dev/free-port';

const dirs: string[] = [];
function temporaryDir(mode: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-embedded-'));
  chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Files in the system temp directory that could hold the initdb password (embedded-postgres used `pg-password-*`). */
const secretsInTmp = () => readdirSync(tmpdir()).filter((name) => /^(pg-password-|mhhs-initdb-)/.test(name));

describe('embedded PostgreSQL', () => {
  it('initialises a private cluster and leaves no password file behind', async () => {
    const before = secretsInTmp();
    const dataDir = join(temporaryDir(0o755), 'data');
    const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'probe', durable: false });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      // Only TCP on 127.0.0.1: no socket or lock file in the shared temp directory.
      expect(new URL(database.url).hostname).toBe('127.0.0.1');
      expect(database.shared).toBe(false);
    } finally {
      await database.stop();
    }
    expect(secretsInTmp().filter((name) => !before.includes(name))).toEqual([]);
  }, 60_000);

  (userInfo().uid === 0 ? it : it.skip)('as root, refuses in one line when the postgres user cannot reach the data directory', async () => {
    const privateDir = temporaryDir(0o700);
    const started = startEmbeddedPostgres({ dataDir: join(privateDir, 'data'), port: await freePort(), database: 'probe' });
    await expect(started).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(started).rejects.toThrow(
      `as root, PostgreSQL runs as the "postgres" user, which cannot reach the data directory at ${join(privateDir, 'data')}`,
    );
    const message = await started.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message.split('\n')).toHaveLength(1);
  });
});
