export interface SubgraphReadiness {
  name: string;
  ready: boolean;
  reason?: string;
}

const READINESS_TIMEOUT_MS = 2000;

/** The readiness URL of a subgraph served at `.../graphql`. */
export function readinessUrlOf(graphqlUrl: string): string {
  return new URL('/readyz', graphqlUrl).toString();
}

/**
 * Asks every subgraph's /readyz (which checks its database) at once; a subgraph is ready only when it answers 200
 * within the timeout. The gateway itself holds no database connection (PRI-024).
 */
export async function checkSubgraphsReady(subgraphUrls: Record<string, string>): Promise<SubgraphReadiness[]> {
  return Promise.all(
    Object.entries(subgraphUrls).map(async ([name, url]) => {
      try {
        const response = await fetch(readinessUrlOf(url), { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
        return response.ok ? { name, ready: true } : { name, ready: false, reason: `readyz answered ${response.status}` };
      } catch (error) {
        return { name, ready: false, reason: `unreachable: ${(error as Error).message}` };
      }
    }),
  );
}
