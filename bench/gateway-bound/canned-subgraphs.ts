/**
 * Canned subgraphs for the `gateway-bound` scenario: one tiny node:http server per subgraph that answers from memory,
 * so the subgraphs cost next to nothing and every gateway gets identical input.
 *
 * They start in "record" mode: a request not seen before is forwarded, headers and body as they came (the gateway's
 * signed context is bound to that body and subgraph, so the real subgraph accepts it), to the real subgraph, and its
 * answer is filed under the request's key (request-key.ts). After every gateway has sent the scenario's requests once,
 * `replay` switches them off from the real subgraphs: a known request gets its recorded answer; an unknown one a 500
 * (counted as a miss). The signed context is not checked in replay, but counted: each gateway still signs every call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { INTERNAL_CONTEXT_HEADER } from '../../core';
import { subgraphRequestKey } from './request-key';

export interface CannedStats {
  mode: 'record' | 'replay';
  /** Answers filed (distinct request keys). */
  recorded: number;
  /** Requests answered from memory. */
  hits: number;
  /** Requests in replay mode with no recorded answer. */
  misses: number;
  /** Requests forwarded to the real subgraph while recording. */
  forwarded: number;
  /** Requests that carried a signed internal context header. */
  signed: number;
}

export interface CannedSubgraphs {
  /** Subgraph name → its canned GraphQL URL. */
  urls: Record<string, string>;
  /** Stops forwarding: from now on only recorded answers are served. */
  replay(): void;
  stats(): Record<string, CannedStats>;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__canned/';
// Headers passed on to the real subgraph while recording; nothing else a gateway sends changes an answer.
const FORWARDED_HEADERS = ['content-type', 'accept', INTERNAL_CONTEXT_HEADER, 'x-request-id'];
// Exact request bodies remembered beside their keys, so a repeat costs one map look-up (bounded: bodies rotate).
const MAX_EXACT_BODIES = 20_000;

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
};

/**
 * Starts one canned server per entry of `upstreams` (subgraph name → real URL) on 127.0.0.1, on `ports[name]` or an
 * ephemeral port. Every server also answers `POST /__canned/replay` and `GET /__canned/stats` for the whole set.
 */
export async function startCannedSubgraphs(options: {
  upstreams: Record<string, string>;
  ports?: Record<string, number>;
}): Promise<CannedSubgraphs> {
  let mode: CannedStats['mode'] = 'record';
  const stats: Record<string, CannedStats> = {};
  const servers: Server[] = [];
  const urls: Record<string, string> = {};

  const control = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && request.url === `${CONTROL_PREFIX}replay`) {
      mode = 'replay';
      for (const s of Object.values(stats)) s.mode = mode;
      return send(response, 200, JSON.stringify(stats));
    }
    if (request.url === `${CONTROL_PREFIX}stats`) return send(response, 200, JSON.stringify(stats));
    send(response, 404, '{"errors":[{"message":"unknown control request"}]}');
  };

  for (const [name, upstream] of Object.entries(options.upstreams)) {
    const answers = new Map<string, string>();
    const exact = new Map<string, string>();
    const own: CannedStats = { mode, recorded: 0, hits: 0, misses: 0, forwarded: 0, signed: 0 };
    stats[name] = own;

    const record = async (request: IncomingMessage, body: string, key: string): Promise<{ status: number; text: string }> => {
      const headers: Record<string, string> = {};
      for (const header of FORWARDED_HEADERS) {
        const value = request.headers[header];
        if (typeof value === 'string') headers[header] = value;
      }
      own.forwarded++;
      const answer = await fetch(upstream, { method: 'POST', headers, body });
      const text = await answer.text();
      if (answer.ok) {
        answers.set(key, text);
        own.recorded = answers.size;
      }
      return { status: answer.status, text };
    };

    const server = createServer((request, response) => {
      if (request.url?.startsWith(CONTROL_PREFIX)) return control(request, response);
      readBody(request)
        .then(async (body) => {
          if (request.headers[INTERNAL_CONTEXT_HEADER]) own.signed++;
          const known = exact.get(body);
          if (known !== undefined) {
            own.hits++;
            return send(response, 200, known);
          }
          const key = subgraphRequestKey(body);
          const recorded = answers.get(key);
          if (recorded !== undefined) {
            own.hits++;
            if (exact.size < MAX_EXACT_BODIES) exact.set(body, recorded);
            return send(response, 200, recorded);
          }
          if (mode === 'replay') {
            own.misses++;
            return send(response, 500, `{"errors":[{"message":"canned ${name}: no recorded answer for this request"}]}`);
          }
          const { status, text } = await record(request, body, key);
          send(response, status, text);
        })
        .catch((error: unknown) => send(response, 502, JSON.stringify({ errors: [{ message: `canned ${name}: ${String(error)}` }] })));
    });
    // Closed-loop load keeps connections open between requests, as a gateway's pool does.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.ports?.[name] ?? 0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    const address = server.address();
    urls[name] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  }

  return {
    urls,
    replay: () => {
      mode = 'replay';
      for (const s of Object.values(stats)) s.mode = mode;
    },
    stats: () => structuredClone(stats),
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** Switches a canned set in another process to replay, through any of its servers (`url` is one of its GraphQL URLs). */
export async function replayCannedSubgraphs(url: string): Promise<Record<string, CannedStats>> {
  const response = await fetch(new URL(`${CONTROL_PREFIX}replay`, url), { method: 'POST' });
  return (await response.json()) as Record<string, CannedStats>;
}

/** The stats of a canned set in another process. */
export async function cannedSubgraphStats(url: string): Promise<Record<string, CannedStats>> {
  const response = await fetch(new URL(`${CONTROL_PREFIX}stats`, url));
  return (await response.json()) as Record<string, CannedStats>;
}
