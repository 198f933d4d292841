import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** One service of this repository run as a real child process on a fixed port, so it can be killed and started again. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Everything it wrote to stdout since it was first started (JSON log and audit lines). */
  stdout(): string;
  /** Starts it (again) and waits until GET /healthz answers 200. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `node --import tsx <script> ...args` (as `npm start` runs TypeScript) with `env` added to this environment, on
 * 127.0.0.1:`port`. The jest worker's NODE_OPTIONS and DATABASE_URL are not passed on.
 */
export function serviceProcess(options: {
  name: string;
  script: string;
  args?: string[];
  port: number;
  env: Record<string, string>;
  /** How long start() waits for /healthz (default 60 s: six helpers share two cores). */
  startTimeoutMs?: number;
}): ServiceProcess {
  let child: ChildProcess | undefined;
  let out = '';
  let err = '';
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(options.port), ...options.env };
  delete env.DATABASE_URL;
  if (options.env.DATABASE_URL) env.DATABASE_URL = options.env.DATABASE_URL;

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  return {
    name: options.name,
    port: options.port,
    get running() {
      return isRunning();
    },
    stdout: () => out,
    async start() {
      if (isRunning()) throw new Error(`${options.name} is already running`);
      const started = spawn(process.execPath, ['--import', 'tsx', options.script, ...(options.args ?? [])], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      started.stdout.on('data', (chunk) => (out += chunk));
      started.stderr.on('data', (chunk) => (err += chunk));
      const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
      while (Date.now() < deadline) {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`${options.name} exited (${started.exitCode ?? started.signalCode}) while starting:\n${err.slice(-2000)}`);
        }
        const healthy = await fetch(`http://127.0.0.1:${options.port}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        if (healthy) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      started.kill('SIGKILL');
      throw new Error(`${options.name} did not answer /healthz in time:\n${err.slice(-2000)}`);
    },
    async kill(signal = 'SIGTERM') {
      const running = child;
      if (!running || !isRunning()) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
    },
  };
}
