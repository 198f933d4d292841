import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchJob, LoadResult, WorkerReply } from './load-protocol';

export interface LoadClient {
  /** Runs one job in the load process; jobs run one at a time. */
  run(job: BenchJob): Promise<LoadResult>;
  close(): void;
}

/** Forks the load process (TypeScript through tsx's loader) and talks to it over IPC. */
export function startLoadClient(): LoadClient {
  const child: ChildProcess = fork(join(__dirname, 'load-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = (job: BenchJob) =>
    new Promise<LoadResult>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load process exited (${code}) during a ${job.kind} job`));
      child.once('exit', onExit);
      child.once('message', (reply: WorkerReply) => {
        child.off('exit', onExit);
        if (reply.ok) resolve(reply.result);
        else reject(new Error(`load process: ${reply.error}`));
      });
      child.send(job);
    });
  return {
    run(job) {
      const result = queue.then(() => runOne(job));
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      if (child.connected) child.disconnect();
      if (child.exitCode === null) child.kill();
    },
  };
}
