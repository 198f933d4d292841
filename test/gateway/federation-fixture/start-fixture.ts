import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { FIXTURE_SUBGRAPHS, OUTAGE_PROBE, type FixtureSubgraph } from './subgraphs';

export interface FixtureGraph {
  /** The supergraph composed from the fixture subgraphs, naming each one's real URL in join__graph. */
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
  /** GraphQL requests each subgraph has answered so far, by name. */
  requestCounts(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * One fixture subgraph over real HTTP on 127.0.0.1: POST /graphql runs graphql-js `graphql()` on the
 * buildSubgraphSchema schema and answers `{ data, errors }` as JSON, status 200 (or 400 for a body that is not a
 * GraphQL request). A body containing OUTAGE_PROBE gets HTTP 503 with a text body, as a failing upstream would send.
 */
async function serve(subgraph: FixtureSubgraph, schema: GraphQLSchema, onRequest: () => void): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (request.method !== 'POST' || request.url !== '/graphql') {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        onRequest();
        if (text.includes(OUTAGE_PROBE)) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end(`${subgraph.name} is down for maintenance`);
          return;
        }
        let body: { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
        try {
          body = JSON.parse(text);
        } catch {
          body = {};
        }
        if (typeof body.query !== 'string') {
          response
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ errors: [{ message: 'POST a JSON GraphQL request' }] }));
          return;
        }
        const result = await graphql({
          schema,
          source: body.query,
          variableValues: body.variables,
          operationName: body.operationName,
          contextValue: {},
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      })().catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });
  // Keep-alive sockets would hold close() open; the gateways reconnect as needed.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

/** Starts every fixture subgraph and composes the supergraph (with @apollo/composition, as `npm run compose` does). */
export async function startFixtureGraph(): Promise<FixtureGraph> {
  const counts: Record<string, number> = Object.fromEntries(FIXTURE_SUBGRAPHS.map((s) => [s.name, 0]));
  const running = await Promise.all(
    FIXTURE_SUBGRAPHS.map(async (subgraph) => ({
      subgraph,
      ...(await serve(
        subgraph,
        buildSubgraphSchema({ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }),
        () => counts[subgraph.name]++,
      )),
    })),
  );
  const stop = async () => {
    await Promise.all(
      running.map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  const composed = composeServices(running.map(({ subgraph, url }) => ({ name: subgraph.name, url, typeDefs: subgraph.typeDefs })));
  if (composed.errors) {
    await stop();
    throw new Error(`the fixture does not compose:\n${composed.errors.map((e) => e.message).join('\n')}`);
  }
  return {
    supergraphSdl: composed.supergraphSdl,
    subgraphUrls: Object.fromEntries(running.map(({ subgraph, url }) => [subgraph.name, url])),
    requestCounts: () => ({ ...counts }),
    stop,
  };
}
