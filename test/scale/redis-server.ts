import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../dev/free-port';

/** Debian's redis-server on 127.0.0.1, in memory only: what the gateways share their rate-limit buckets through. */
export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  // Only PATH: never a faked clock (libfaketime runs the suite on other dates), under which Redis stops answering.
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (listening) return { url: `redis://127.0.0.1:${port}`, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error('redis-server did not listen (apt-get install -y redis-server)');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
