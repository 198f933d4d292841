import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EXAMPLE_QUERY, EXAMPLE_VARIABLES } from '../../gateway/example-query';
import { freePort } from '../../dev/free-port';

const ROOT = join(__dirname, '..', '..');


interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs `npm start`'s script in a process group of its own, as a terminal would, and waits for its banner. */
async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  // The embedded database is what is under test, so an outer DATABASE_URL must not leak in.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', ...env };
  delete childEnv.DATABASE_URL;
  // tsx's loader in this Node rather than the tsx CLI: the CLI relays Ctrl-C to its child and, when the child does not
  // acknowledge within 30 ms (a loaded machine), kills it and exits 130, which is the CLI's race, not the script's.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env: childEnv, detached: true });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`no banner within 60 s:\n${output}`));
    }, 60_000);
    const check = () => {
      if (output.includes('Ctrl-C stops everything')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before the banner:\n${output}`)));
  });
  return { child, output: () => output };
}

/** Presses Ctrl-C: SIGINT to the whole process group, as a terminal does; resolves with the exit code. */
async function interrupt({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

async function countIntervals(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) FROM metering_data.consumption_interval')).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mhhs-start-'));
  // The embedded server runs as `postgres` when tests run as root.
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts embedded PostgreSQL with demo data and everything behind one endpoint, stops on Ctrl-C, and keeps its data', async () => {
    const ports = { PORT: await freePort(), EMBEDDED_PG_PORT: await freePort(), REGISTRATION_PORT: await freePort(), METERING_DATA_PORT: await freePort(), APPOINTMENT_PORT: await freePort(), SETTLEMENT_PORT: await freePort() };
    const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const databaseUrl = `postgres://postgres:mhhs-local@127.0.0.1:${ports.EMBEDDED_PG_PORT}/mhhs`;

    const first = await start(env);
    let intervalsAfterFirst: number;
    try {
      expect(first.output()).toContain(`http://localhost:${ports.PORT}/graphql`);
      // The DESIGN.md contract: `npm run --silent token` prints one token that the running dev stack accepts.
      const token = execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/token.ts', '--role', 'SUPPLIER', '--participant', 'SUPA'], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir },
        encoding: 'utf8',
      });
      expect(token.trim().split('\n')).toHaveLength(1);
      const unauthenticated = await fetch(`http://127.0.0.1:${ports.PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES }),
      });
      expect(unauthenticated.status).toBe(401);
      const response = await fetch(`http://127.0.0.1:${ports.PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.trim()}` },
        body: JSON.stringify({ query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES }),
      });
      const body = (await response.json()) as { errors?: unknown; data: { meteringPoint: { consumption: { edges: unknown[] } } } };
      expect(body.errors).toBeUndefined();
      expect(body.data.meteringPoint.consumption.edges).toHaveLength(4);
      expect((await fetch(`http://127.0.0.1:${ports.PORT}/readyz`)).status).toBe(200);
      intervalsAfterFirst = await countIntervals(databaseUrl);
      expect(intervalsAfterFirst).toBeGreaterThan(17_000);
    } finally {
      expect(await interrupt(first)).toBe(0);
    }
    // Ctrl-C stopped the database too: nothing listens on its port any more.
    await expect(countIntervals(databaseUrl)).rejects.toThrow(/ECONNREFUSED/);

    // A second start reuses the data directory and seeds again: the data is still there and unchanged.
    const second = await start(env);
    try {
      expect(await countIntervals(databaseUrl)).toBe(intervalsAfterFirst);
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  }, 150_000);
});
