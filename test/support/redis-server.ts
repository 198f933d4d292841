import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from '../../dev/free-port';

/** A real redis-server (Debian's, as CI installs it) on a free port, with a client connected to it. */
export interface RedisServer {
  url: string;
  client: Redis;
  stop(): Promise<void>;
}

/** Starts redis-server without persistence and waits until it answers (at most 20 s). */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  // Only PATH: never a faked clock (libfaketime runs the suite on other dates), under which Redis stops answering.
  const server: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH },
  });
  // A fresh client per attempt until the server listens: a failed client would keep reconnecting on its own.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await client.connect();
      return {
        url: `redis://127.0.0.1:${port}`,
        client,
        async stop() {
          client.disconnect();
          if (server.exitCode !== null || server.signalCode !== null) return;
          const exited = new Promise((resolve) => server.once('exit', resolve));
          server.kill('SIGTERM');
          await exited;
        },
      };
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline) {
        server.kill('SIGTERM');
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
