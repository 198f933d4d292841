/**
 * Process lifecycle shared by every entry point (`npm start`, the gateway and each subgraph run alone): settings read
 * with one-line errors, listening with a one-line error for a busy port, and an orderly drain on SIGTERM/SIGINT.
 */
import type { FastifyInstance } from 'fastify';

type Env = Record<string, string | undefined>;

/** A start-up failure the operator can fix (a bad setting, a busy port): printed as one line, without a stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

/** A TCP port from the environment: a whole number from 0 (any free port) to 65535, else a one-line StartupError. */
export function portFromEnv(env: Env, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new StartupError(`${name} must be a port number from 0 to 65535, got "${env[name]}"`);
  return port;
}

/** SHUTDOWN_GRACE_SECONDS (default 10): how long in-flight requests may run on after SIGTERM before they are cut. */
export function shutdownGraceMsFromEnv(env: Env): number {
  const text = env.SHUTDOWN_GRACE_SECONDS?.trim();
  if (text === undefined || text === '') return DEFAULT_SHUTDOWN_GRACE_SECONDS * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds > 3600)
    throw new StartupError(`SHUTDOWN_GRACE_SECONDS must be a number of seconds from 0 to 3600, got "${env.SHUTDOWN_GRACE_SECONDS}"`);
  return seconds * 1000;
}

/** `app.listen`, with a busy or forbidden port explained in one line naming the setting that moves it. */
export async function listenOrExplain(
  app: FastifyInstance,
  where: { host: string; port: number; what: string; setting: string },
): Promise<string> {
  try {
    return await app.listen({ host: where.host, port: where.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(`port ${where.port} (${where.what}) is already in use: stop what uses it or set ${where.setting}`);
    if (code === 'EACCES')
      throw new StartupError(`port ${where.port} (${where.what}) needs privileges: choose another with ${where.setting}`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new StartupError(`cannot listen on ${where.host} (${where.what}): set HOST to an address of this machine`);
    throw error;
  }
}

export interface ShutdownStep {
  /** What is being stopped, for the log. */
  name: string;
  run(): Promise<void>;
}

export interface Lifecycle {
  /** Registers what was just started; steps run in reverse order of adding (the last started stops first). */
  add(step: ShutdownStep): void;
  /** True once a signal (or `shutdown`) has begun the drain. */
  stopping(): boolean;
  /** Runs every step once (also what a signal does), then exits with `exitCode` (1 if a step failed); later calls wait for the same run. */
  shutdown(reason: string, exitCode?: number): Promise<void>;
}

/**
 * Drains on SIGTERM and SIGINT: each step runs in turn (fastify's close stops accepting and waits for requests in
 * flight; then pools; then the database), all within `graceMs`. When the steps finish the process exits 0; when the
 * grace period runs out first, `onGraceExpired` cuts what is left and the process exits 1. A second signal while
 * draining is reported and otherwise ignored: the grace period bounds the wait.
 */
export function drainOnSignals(options: {
  graceMs: number;
  log: (line: string) => void;
  /** Called when the grace period runs out, before exiting: e.g. close the remaining connections. */
  onGraceExpired?: () => void;
  exit?: (code: number) => void;
}): Lifecycle {
  const steps: ShutdownStep[] = [];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode = 0) =>
    (running ??= (async () => {
      options.log(`${reason}: draining (in-flight requests get up to ${options.graceMs / 1000} s), then stopping`);
      const timer = setTimeout(() => {
        options.log(`shutdown outlasted the grace period (SHUTDOWN_GRACE_SECONDS); cutting what is left`);
        options.onGraceExpired?.();
        exit(1);
      }, options.graceMs);
      timer.unref();
      let failed = false;
      for (const step of [...steps].reverse()) {
        try {
          await step.run();
        } catch (error) {
          failed = true;
          options.log(`stopping ${step.name} failed: ${(error as Error).message}`);
        }
      }
      clearTimeout(timer);
      options.log('stopped');
      exit(failed ? 1 : exitCode);
    })());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // Ours alone: a library's handler (embedded PostgreSQL's exit hook, Apollo's) would race the orderly drain.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (running) options.log(`${signal}: already stopping`);
      else void shutdown(signal);
    });
  }
  return { add: (step) => steps.push(step), shutdown, stopping: () => running !== undefined };
}

/**
 * Runs an entry point's `main`: a start-up failure prints one line (`<name>: <message>`) and exits 1. A stack trace is
 * printed only for errors that are not an Error's plain message, or when LOG_LEVEL is debug or trace.
 */
export function runMain(name: string, main: () => Promise<void>, env: Env = process.env): void {
  main().catch((error: unknown) => {
    reportStartupError(name, error, env);
    process.exit(1);
  });
}

/** One line for an Error (its message's first line), the whole thing for anything else or at LOG_LEVEL debug/trace. */
export function reportStartupError(name: string, error: unknown, env: Env = process.env): void {
  const verbose = /^(debug|trace)$/i.test(env.LOG_LEVEL?.trim() ?? '');
  if (error instanceof Error && !verbose) console.error(`${name}: ${error.message.split('\n')[0]}`);
  else console.error(`${name}:`, error);
}
