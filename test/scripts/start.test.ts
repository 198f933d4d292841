import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../dev/free-port';
import { readmeExampleAnswer, readmeExampleOperation } from '../support/readme-example';

const { query: EXAMPLE_QUERY, variables: EXAMPLE_VARIABLES } = readmeExampleOperation();

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
  // As `npm start` runs it: tsx's loader in this Node rather than the tsx CLI, whose relay of Ctrl-C kills a child that
  // does not acknowledge it within 30 ms (a loaded machine) and exits 130.
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
      if (output.includes('stops everything: requests in flight finish first')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before the banner:\n${output}`)));
  });
  return { child, output: () => output };
}

/** The JSON log lines `started` has written for one request, once `enough` holds (they arrive through a pipe). */
async function linesOf(started: Started, requestId: string, enough: (lines: Record<string, unknown>[]) => boolean) {
  let lines: Record<string, unknown>[] = [];
  for (let attempt = 0; attempt < 40 && !enough(lines); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    lines = started
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(requestId))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);
  }
  return lines;
}

/** Presses Ctrl-C: SIGINT to the whole process group, as a terminal does; resolves with the exit code. */
async function interrupt({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

/** A dev token from `npm run --silent token` against the data directory of the running stack. */
function devToken(dataDir: string, role: string, participant: string): string {
  return execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/token.ts', '--role', role, '--participant', participant], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
}

/** The data service of MPAN 1 (SUPB's; its data service changes 18 days after seeding) as its supplier sees it now. */
async function dataServiceOfMpan1(port: number, dataDir: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${devToken(dataDir, 'SUPPLIER', 'SUPB').trim()}` },
    body: JSON.stringify({ query: '{ meteringPoint(mpanCore: "1400000079614") { currentAppointments { serviceRole provider { id } } } }' }),
  });
  const body = (await response.json()) as {
    data: { meteringPoint: { currentAppointments: { serviceRole: string; provider: { id: string } }[] } };
  };
  return body.data.meteringPoint.currentAppointments.find((a) => a.serviceRole === 'SMART_DATA_SERVICE')!.provider.id;
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
    const ports = {
      PORT: await freePort(),
      EMBEDDED_PG_PORT: await freePort(),
      REGISTRATION_PORT: await freePort(),
      METERING_DATA_PORT: await freePort(),
      APPOINTMENT_PORT: await freePort(),
      SETTLEMENT_PORT: await freePort(),
    };
    const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const databaseUrl = `postgres://postgres:mhhs-local@127.0.0.1:${ports.EMBEDDED_PG_PORT}/mhhs`;

    const first = await start(env);
    let intervalsAfterFirst: number;
    try {
      expect(first.output()).toContain(`http://localhost:${ports.PORT}/graphql`);
      // The DESIGN.md contract: `npm run --silent token` prints one token that the running dev stack accepts.
      const token = devToken(dataDir, 'SUPPLIER', 'SUPA');
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
      // On the machine's clock, whatever its date: the README's answer, byte for byte as documented.
      expect(await response.json()).toEqual(readmeExampleAnswer());
      // Requests are logged as JSON lines, by the gateway and each subgraph, under the id the answer names.
      const requestId = response.headers.get('x-request-id')!;
      const logged = await linesOf(first, requestId, (lines) => new Set(lines.map((line) => line.service)).size >= 5);
      expect(new Set(logged.map((line) => line.service))).toEqual(
        new Set(['gateway', 'registration', 'metering-data', 'appointment', 'settlement']),
      );
      expect(first.output()).not.toContain(token.trim());
      const metrics = await fetch(`http://127.0.0.1:${ports.PORT}/metrics`);
      expect(await metrics.text()).toMatch(
        /^mhhs_gateway_requests_total\{operation="MeteringPointOverview",role="SUPPLIER",outcome="ok"\} 1$/m,
      );
      expect((await fetch(`http://127.0.0.1:${ports.PORT}/readyz`)).status).toBe(200);
      intervalsAfterFirst = await countIntervals(databaseUrl);
      expect(intervalsAfterFirst).toBeGreaterThan(17_000);
      // On the machine's clock the demo's change of data service is still 18 days away.
      expect(first.output()).toContain("business clock     this machine's clock");
      expect(await dataServiceOfMpan1(ports.PORT, dataDir)).toBe('SDSA');
    } finally {
      expect(await interrupt(first)).toBe(0);
    }
    // Ctrl-C stopped the database too: nothing listens on its port any more.
    await expect(countIntervals(databaseUrl)).rejects.toThrow(/ECONNREFUSED/);

    // A second start reuses the data directory and seeds again: the data is still there and unchanged. CLOCK_AT pins its
    // business clock years ahead, where the demo's change of data service has taken effect.
    const second = await start({ ...env, CLOCK_AT: '2099-01-01T00:00:00Z' });
    try {
      expect(await countIntervals(databaseUrl)).toBe(intervalsAfterFirst);
      expect(second.output()).toContain('business clock     pinned at 2099-01-01T00:00:00.000Z (CLOCK_AT)');
      expect(await dataServiceOfMpan1(ports.PORT, dataDir)).toBe('SDSB');
    } finally {
      expect(await interrupt(second)).toBe(0);
    }
  }, 150_000);
});
