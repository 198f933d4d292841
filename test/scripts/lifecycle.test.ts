/**
 * Stopping and starting `npm start` with real processes and real signals (issue 15 item 2): SIGTERM to the process
 * `npm start` runs drains (a request in flight completes), nothing is left running afterwards, `npm run seed` works
 * against the running stack, a server orphaned by a SIGKILL is recovered on the next start, and bad settings or a busy
 * port cost one line.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/free-port';

const ROOT = join(__dirname, '..', '..');
const NPM = process.env.npm_execpath && existsSync(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm <args>` in a process group of its own, as a terminal or a process manager would start it. */
function npm(args: string[], env: NodeJS.ProcessEnv): Run {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(NPM[0], [...NPM.slice(1), ...args], { cwd: ROOT, env: childEnv, detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode} before "${text}":\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every live process whose command line mentions `needle` (the data directory is in PostgreSQL's own). */
function processesMentioning(needle: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return command.includes(needle) && state !== 'Z' ? [`${pid} ${command}`] : [];
      } catch {
        return [];
      }
    });
}

const SLOW_QUERY = JSON.stringify({ query: '{ __typename }' });

/**
 * A request still in flight when the signal arrives: its headers and the first half of its body are sent, the rest
 * only after `beforeRest` (which sends the signal) has run. Resolves with the status and body the server answered.
 */
function requestInFlight(port: number, token: string, beforeRest: () => Promise<void>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(SLOW_QUERY);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, 5));
    // Let the server take the request in before the signal.
    setTimeout(() => {
      void beforeRest().then(() => req.end(body.subarray(5)), reject);
    }, 300);
  });
}

/** Listens on `port` once the killed run's socket is gone (its processes die a moment after the signal). */
async function listenWhenFree(port: number): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const server = createServer();
    const error = await new Promise<Error | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(port, '127.0.0.1', () => resolve(undefined));
    });
    if (!error) return server;
    if (attempt > 50) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function devToken(dataDir: string): string {
  return spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/token.ts', '--role', 'SUPPLIER', '--participant', 'SUPA'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir },
    encoding: 'utf8',
  }).stdout.trim();
}

describe('npm start under signals', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mhhs-lifecycle-'));
  // The embedded server runs as `postgres` when tests run as root.
  chmodSync(dataDir, 0o755);
  afterAll(() => {
    for (const line of processesMentioning(dataDir)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = {
      DATA_DIR: dataDir,
      SEED: 'none',
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      REGISTRATION_PORT: String(await freePort()),
      METERING_DATA_PORT: String(await freePort()),
      APPOINTMENT_PORT: String(await freePort()),
      SETTLEMENT_PORT: String(await freePort()),
    };
  });

  it('refuses a bad setting with one line, before starting anything', async () => {
    const run = npm(['start', '--silent'], { ...env, PORT: 'abc' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe('npm start: PORT must be a port number from 0 to 65535, got "abc"');
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 30_000);

  it('drains on SIGTERM to the npm process: a request in flight completes, then nothing is left running', async () => {
    const run = npm(['start'], env);
    await waitFor(run, 'stops everything');
    // Seeding against the running stack uses its database and leaves it running.
    const seed = npm(['run', 'seed'], env);
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toContain('shared with a running npm start');
    expect((await fetch(`http://127.0.0.1:${env.PORT}/readyz`)).status).toBe(200);

    const answer = await requestInFlight(Number(env.PORT), devToken(dataDir), async () => {
      process.kill(run.child.pid!, 'SIGTERM'); // npm itself, as `docker stop` or a process manager would
      await waitFor(run, 'draining');
    });
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('SIGTERM: draining');
    // No node, subgraph or PostgreSQL process outlives it (PostgreSQL's command line names the data directory).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 150_000);

  it('recovers the PostgreSQL a SIGKILLed run left behind, and explains a busy port in one line', async () => {
    const killed = npm(['start'], env);
    await waitFor(killed, 'stops everything');
    // SIGKILL to the whole group: node cannot clean up; PostgreSQL, in a group of its own, is orphaned.
    process.kill(-killed.child.pid!, 'SIGKILL');
    await killed.exited;
    const orphan = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(processesMentioning(dataDir).some((line) => line.startsWith(`${orphan} `))).toBe(true);

    const blocker = await listenWhenFree(Number(env.PORT));
    try {
      const run = npm(['start', '--silent'], env);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`stopping the PostgreSQL (pid ${orphan}) an earlier run left running`);
      expect(run.output().split('\n')).toContain(`npm start: port ${env.PORT} (gateway) is already in use: stop what uses it or set PORT`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 150_000);
});
