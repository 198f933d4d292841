import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../dev/free-port';

/** One load-balanced tier: a frontend port on 127.0.0.1 and the replicas' ports behind it. */
export interface HaproxyTier {
  name: string;
  frontendPort: number;
  serverPorts: number[];
}

/** One replica as HAProxy's stats see it. */
export interface ServerStats {
  tier: string;
  server: string;
  /** UP, DOWN, MAINT, … (HAProxy's status column). */
  status: string;
  /** HTTP responses this replica gave (hrsp_1xx … hrsp_other): requests, not connections. */
  responses: number;
}

export interface Haproxy {
  /** Per-replica statistics from the stats page's CSV. */
  stats(): Promise<ServerStats[]>;
  /** Takes replica `index` of `tier` out of rotation (`maint`) or puts it back (`ready`), through the runtime API. */
  setServerState(tier: string, index: number, state: 'ready' | 'maint'): Promise<void>;
  /** Waits until every replica of every tier passes its health check. */
  waitAllUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The server name HAProxy knows replica `index` of `tier` by. */
export const serverName = (tier: string, index: number) => `${tier}-${index + 1}`;

/**
 * HAProxy's configuration: per tier a frontend and a round-robin backend whose replicas are health-checked on
 * /healthz. A request that cannot connect to a replica (killed, not yet detected by the check) is retried on the
 * other one (`retry-on conn-failure` + `redispatch`): only connection failures, so a mutation is never sent twice.
 */
export function haproxyConfig(tiers: HaproxyTier[], statsPort: number, adminSocket: string): string {
  const lines = [
    'global',
    '  maxconn 2000',
    `  stats socket ${adminSocket} mode 600 level admin`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 10s',
    // Generous: on a loaded machine a slow /healthz must not take a live replica out; a killed one refuses at once.
    '  timeout check 10s',
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch 1',
    'listen stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
  ];
  for (const tier of tiers) {
    lines.push(`frontend ${tier.name}`, `  bind 127.0.0.1:${tier.frontendPort}`, `  default_backend ${tier.name}-replicas`);
    lines.push(`backend ${tier.name}-replicas`, '  balance roundrobin', '  option httpchk GET /healthz', '  http-check expect status 200');
    tier.serverPorts.forEach((port, index) =>
      lines.push(`  server ${serverName(tier.name, index)} 127.0.0.1:${port} check inter 1s fall 3 rise 1`),
    );
  }
  return lines.join('\n') + '\n';
}

/** Parses HAProxy's stats CSV (`# pxname,svname,…` header) into the replicas' rows. */
export function parseServerStats(csv: string, tiers: string[]): ServerStats[] {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.replace(/^#\s*/, '').split(',');
  const at = (row: string[], column: string) => row[columns.indexOf(column)] ?? '';
  return rows
    .map((line) => line.split(','))
    .filter((row) => at(row, 'svname') !== 'FRONTEND' && at(row, 'svname') !== 'BACKEND')
    .map((row) => ({ backend: at(row, 'pxname'), row }))
    .filter(({ backend }) => tiers.some((tier) => backend === `${tier}-replicas`))
    .map(({ backend, row }) => ({
      tier: backend.replace(/-replicas$/, ''),
      server: at(row, 'svname'),
      status: at(row, 'status'),
      responses: ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other']
        .map((column) => Number(at(row, column) || 0))
        .reduce((sum, n) => sum + n, 0),
    }));
}

/** Debian's haproxy (`apt-get install haproxy`), in the foreground, on 127.0.0.1 only. */
export async function startHaproxy(tiers: HaproxyTier[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'mhhs-haproxy-'));
  const statsPort = await freePort();
  const configFile = join(dir, 'haproxy.cfg');
  const adminSocket = join(dir, 'admin.sock');
  writeFileSync(configFile, haproxyConfig(tiers, statsPort, adminSocket));
  let output = '';
  // Only PATH: never a faked clock (libfaketime runs the suite on other dates), which would stop its health checks.
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH },
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`haproxy did not start (apt-get install -y haproxy): ${error.message}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await spawned;
  const names = tiers.map((tier) => tier.name);

  const stats = async () => {
    const response = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`);
    if (!response.ok) throw new Error(`haproxy stats answered ${response.status}`);
    return parseServerStats(await response.text(), names);
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${output}`);
    const ready = await stats().then(
      () => true,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy's stats page did not answer:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    stats,
    async setServerState(tier, index, state) {
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(adminSocket, () => socket.end(`set server ${tier}-replicas/${serverName(tier, index)} state ${state}\n`));
        socket.on('data', (chunk) => (text += chunk));
        socket.once('error', reject);
        socket.once('close', () => resolve(text));
      });
      if (answer.trim() !== '') throw new Error(`haproxy refused "set server … state ${state}": ${answer.trim()}`);
    },
    async waitAllUp(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const rows = await stats();
        if (rows.every((row) => row.status === 'UP')) return;
        if (Date.now() > until) throw new Error(`not every replica is UP: ${JSON.stringify(rows)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop,
  };
}
