/**
 * Runs `work` but stops waiting for it after `timeoutMs`: the caller then answers 504 REQUEST_TIMEOUT and the request's
 * memory is let go. The work itself ends soon after: each subgraph call has its own shorter timeout and each
 * statement PostgreSQL's statement_timeout.
 */
export async function withDeadline<T>(timeoutMs: number, work: () => Promise<T>): Promise<T | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
