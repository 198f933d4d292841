/**
 * Retries `assertion` until it passes or `timeoutMs` has gone by, then throws its last failure. For what another
 * process writes (its log lines reach us through a pipe, a little after its answer), never for the answer itself.
 */
export async function eventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (failure) {
      if (performance.now() > deadline) throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
