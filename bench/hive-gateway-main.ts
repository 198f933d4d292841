/**
 * Hive Gateway as a bench target, in a process of its own: `createGatewayRuntime` with default settings on
 * SUPERGRAPH_FILE (whose `@join__graph` URLs are the real subgraphs), served by `node:http` on 127.0.0.1:PORT.
 * The one addition is what our subgraphs require of any gateway: a signed internal context on every subgraph request,
 * for the participant and role in the bench headers, exactly as the plain baseline adds it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { INTERNAL_CONTEXT_HEADER, signInternalContext, isMarketRole } from '../core';
import { ACTOR_PARTICIPANT_HEADER, ACTOR_ROLE_HEADER } from './plain-gateway';
import { loadStackSecurity } from '../dev/security';
import { dataDirFromEnv } from '../dev/data-dir';

async function main(): Promise<void> {
  const supergraphFile = process.env.SUPERGRAPH_FILE;
  if (!supergraphFile) throw new Error('SUPERGRAPH_FILE is required');
  const { internalContextKey } = await loadStackSecurity(process.env, dataDirFromEnv());
  const gateway = createGatewayRuntime({
    supergraph: readFileSync(supergraphFile, 'utf8'),
    propagateHeaders: {
      // Called once per subgraph request: one signature each, as ours and the plain baseline sign.
      fromClientToSubgraphs: async ({ request }) => {
        const role = request.headers.get(ACTOR_ROLE_HEADER);
        const participant = request.headers.get(ACTOR_PARTICIPANT_HEADER);
        if (!isMarketRole(role) || !participant) return undefined;
        return {
          [INTERNAL_CONTEXT_HEADER]: await signInternalContext(internalContextKey, {
            participant,
            role,
            requestId: randomUUID(),
            now: new Date(),
          }),
        };
      },
    },
  });
  // The runtime answers every request itself, errors included; node:http has no use for the promise it returns.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT), '127.0.0.1', resolve));
  console.log(`Hive Gateway on http://127.0.0.1:${process.env.PORT}/graphql`);
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
