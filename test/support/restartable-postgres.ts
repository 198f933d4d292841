import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateAll, writeDataset } from '../../dev/database-setup';
import { buildDemoDataset } from '../../dev/build-dataset';
import { freePort } from '../../dev/free-port';
import { TEST_NOW } from './test-clock';

const ROOT = join(__dirname, '..', '..');

/** A PostgreSQL server of one test file's own, which the test may stop and start again (the run's shared one it may not). */
export interface RestartablePostgres {
  /** The demo-seeded application database; the same URL across restarts (same port, same data directory). */
  url: string;
  /** Stops the server (fast shutdown: sessions are terminated) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

/**
 * Starts an embedded PostgreSQL (in a process of its own: embedded-postgres-process.ts) on a free port of 127.0.0.1 in
 * a temp directory, migrated and seeded with the demo data at TEST_NOW.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-fault-pg-'));
  // The server runs as `postgres` when the tests run as root.
  chmodSync(dir, 0o755);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let url = '';

  const start = async () => {
    if (child) return;
    const started = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/embedded-postgres-process.ts', join(dir, 'data'), String(port)],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = started;
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 90 s:\n${output}`)), 90_000);
      started.stderr.on('data', (chunk) => (output += chunk));
      started.stdout.on('data', (chunk) => {
        output += chunk;
        const ready = /^ready (\S+)$/m.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited (${code}) while starting:\n${output}`));
      });
    });
  };
  const stop = async () => {
    const running = child;
    if (!running) return;
    child = undefined;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  try {
    await start();
    await migrateAll(url);
    await writeDataset(url, buildDemoDataset(TEST_NOW));
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
