/**
 * Hive Gateway as a bench target, in a process of its own: `createGatewayRuntime` with default settings on
 * SUPERGRAPH_FILE (whose `@join__graph` URLs are the real subgraphs), served by `node:http` on 127.0.0.1:PORT.
 * The one addition is what our subgraphs require of any gateway: a signed internal context on every subgraph request,
 * for the participant and role in the bench headers, bound to the subgraph and body (onFetch), as the plain baseline adds it.
 * HIVE_ROUTER_RUNTIME=true: the same with Hive Router's Rust query planner (`@graphql-hive/router-runtime`), as the
 * Hive docs enable it (`unifiedGraphHandler`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { INTERNAL_CONTEXT_HEADER, signInternalContext, isMarketRole } from '../core';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER } from './plain-gateway';
import { loadStackSecurity } from '../dev/security';
import { joinGraphUrls } from './join-graph-urls';
import { dataDirFromEnv } from '../dev/data-dir';

async function main(): Promise<void> {
  const supergraphFile = process.env.SUPERGRAPH_FILE;
  if (!supergraphFile) throw new Error('SUPERGRAPH_FILE is required');
  const { internalContextKey } = await loadStackSecurity(process.env, dataDirFromEnv());
  const supergraph = readFileSync(supergraphFile, 'utf8');
  // Our subgraphs take a context bound to their name and the exact body, so it is signed where the body exists: onFetch.
  const subgraphByUrl = new Map(Object.entries(joinGraphUrls(supergraph)).map(([name, url]) => [url, name]));
  const rustPlanner = process.env.HIVE_ROUTER_RUNTIME === 'true';
  const gateway = createGatewayRuntime({
    supergraph,
    ...(rustPlanner ? { unifiedGraphHandler } : {}),
    plugins: () => [
      {
        onFetch: async ({ url, options, setOptions, context }) => {
          const audience = subgraphByUrl.get(url);
          const headers = (context as { request?: Request } | undefined)?.request?.headers;
          const role = headers?.get(ACTOR_ROLE_HEADER);
          const participant = headers?.get(ACTOR_PARTICIPANT_HEADER);
          if (!audience || !isMarketRole(role) || !participant) return;
          const signed = await signInternalContext(
            internalContextKey,
            { participant, role, requestId: randomUUID(), now: new Date() },
            { audience, body: String(options.body ?? '') },
          );
          setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), [INTERNAL_CONTEXT_HEADER]: signed } });
        },
      },
    ],
  });
  // The runtime answers every request itself, errors included; node:http has no use for the promise it returns.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT), '127.0.0.1', resolve));
  console.log(`Hive Gateway${rustPlanner ? ' (Rust query planner)' : ''} on http://127.0.0.1:${process.env.PORT}/graphql`);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
