import { rmSync } from 'node:fs';

/** Stops the embedded PostgreSQL started by global-setup and removes its temp directory. */
export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void>; dataDir: string } }).__EMBEDDED_PG__;
  if (!embedded) return;
  await embedded.stop();
  rmSync(embedded.dataDir, { recursive: true, force: true });
}
