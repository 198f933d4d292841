/**
 * Sends abusive GraphQL bodies to a gateway from a process of its own (so the gateway's event loop, not the test's,
 * is what is measured): `workers` loops for `durationMs`, then prints the HTTP statuses seen as JSON and exits.
 * Talks only to the URL it is given (127.0.0.1 in the tests). Input on stdin: { url, token, bodies, workers, durationMs }.
 */
import { readFileSync } from 'node:fs';

interface AttackPlan {
  url: string;
  token: string;
  bodies: string[];
  workers: number;
  durationMs: number;
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(0, 'utf8')) as AttackPlan;
  const statuses: Record<number, number> = {};
  const deadline = Date.now() + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.workers }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i++) {
        const response = await fetch(plan.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` },
          body: plan.bodies[i % plan.bodies.length],
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  process.stdout.write(JSON.stringify(statuses));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
