import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** A server the bench runs in a process of its own, so it has its own event loop and its own RSS. */
export interface ChildServer {
  name: string;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildServerOptions {
  name: string;
  /** A TypeScript entry file, run by this Node with tsx's loader. */
  entry: string;
  /** Flags for node itself (before the entry), such as the gateway's GATEWAY_NODE_FLAGS. */
  nodeArgs?: readonly string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Ready once every one of these ports on 127.0.0.1 accepts a connection. */
  ports: number[];
  readyTimeoutMs?: number;
}

// A server that has not listened by then failed; generous, for a 2-core machine other work keeps busy.
const READY_TIMEOUT_MS = 180_000;

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const logTail = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
};

/**
 * Starts `entry` as `node --import tsx entry` (the node process itself, not a wrapper, so its pid is the server's) and
 * waits until it listens on all its ports. A child that exits first fails the start with the end of its log.
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', options.entry], {
      env: options.env,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitCode: number | null | undefined;
  let exitSignal: NodeJS.Signals | null = null;
  let stopping = false;
  let ready = false;
  child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
    exitSignal = signal;
    // A server that dies mid-run shows up as failed requests; this says which one and why.
    if (ready && !stopping)
      console.error(`${options.name} (pid ${child.pid}) exited unexpectedly (${signal ?? code}):\n${logTail(options.logFile)}`);
  });

  const stop = async (graceMs = 5_000) => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${options.name} exited (${exitSignal ?? exitCode}) before it listened:\n${logTail(options.logFile)}`);
    if ((await Promise.all(options.ports.map(canConnect))).every(Boolean)) break;
    if (Date.now() > deadline) {
      await stop(1_000);
      throw new Error(
        `${options.name} did not listen on ${options.ports.join(', ')} within ${(options.readyTimeoutMs ?? READY_TIMEOUT_MS) / 1000} s:\n${logTail(options.logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  ready = true;
  return { name: options.name, pid: child.pid!, stop };
}
