import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { KeyLike } from 'jose';
import { signInternalContext, isMarketRole, type MarketRole } from '../core';
import { SignedContextDataSource } from '../gateway/signed-data-source';

/** Headers the bench sends to the baseline to say whom its subgraph calls act for (it verifies no token). */
export const ACTOR_ROLE_HEADER = 'x-bench-role';
export const ACTOR_PARTICIPANT_HEADER = 'x-bench-participant';

interface PlainContext {
  participant?: string;
  role?: MarketRole;
}

export interface PlainGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * The baseline: `@apollo/gateway` on `@apollo/server` with default settings over the same supergraph and subgraph
 * URLs, listening on 127.0.0.1. The acting participant and role come from bench headers, not from a token.
 */
export async function startPlainGateway(options: {
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
  internalContextKey: KeyLike;
  port?: number;
}): Promise<PlainGateway> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // Adds only what our subgraphs require: an internal context signed for each subgraph call (audience and body bound),
    // over @apollo/gateway's default fetcher.
    buildService: ({ name }) =>
      new SignedContextDataSource<PlainContext>({
        name,
        url: options.subgraphUrls[name],
        signerOf: ({ participant, role }) =>
          participant && role
            ? (binding) =>
                signInternalContext(options.internalContextKey, { participant, role, requestId: randomUUID(), now: new Date() }, binding)
            : undefined,
      }),
  });
  const server = new ApolloServer<PlainContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: options.port ?? 0 },
    context: async ({ req }) => {
      const role = req.headers[ACTOR_ROLE_HEADER];
      const participant = req.headers[ACTOR_PARTICIPANT_HEADER];
      return { role: isMarketRole(role) ? role : undefined, participant: typeof participant === 'string' ? participant : undefined };
    },
  });
  return { url: new URL('/', url).toString().replace('localhost', '127.0.0.1'), stop: () => server.stop() };
}
