import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLFormattedError } from 'graphql';
import type { KeyLike } from 'jose';
import { checkSubgraphsReady } from './readiness';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_HTML, registerPlayground } from './playground';
import { registerCors } from './cors';
import { SignedContextDataSource } from './signed-data-source';
import { createContextSigner } from './context-signer';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { AuthError, TokenVerifier } from './auth/verify-token';
import {
  machineTimeMs,
  ErrorCode,
  type Clock,
  type LoggerSetting,
  flushTracing,
  observeRequests,
  registerMetricsRoute,
  serverObservabilityOptions,
  startProcessMetrics,
} from '../core';
import { createAccessPlugin } from './access/access-plugin';
import { withAccessNotes } from './access/access-notes';
import { AuditEntry, writeAuditLine } from './audit';
import type { GatewayContext } from './gateway-context';
import { observeSubgraphFetch } from './observability/observe-subgraph-fetch';
import {
  countRequestAnsweredAtEdge,
  countUnauthenticatedRequest,
  createRequestMetricsPlugin,
  outcomeOfError,
} from './observability/request-metrics-plugin';
import { countingRefusals } from './observability/count-refusals';
import { DEFAULT_EDGE, type EdgeSettings } from './limits/edge-settings';
import { buildSchemasByRole, limitSchemaFor, type SchemasByRole } from './limits/role-schemas';
import { createOperationLimiter } from './limits/operation-limits';
import { createEdgeGuard } from './limits/edge-guard';
import { edgeErrorBody, registerEdgeErrors } from './limits/edge-errors';
import { withDeadline } from './limits/request-deadline';
import { registerRateLimit } from './rate-limit';
import { PersistedQueries } from './persisted-queries';
import { DEFAULT_MESSAGE_STREAM_POLL_MS, registerMessageStream } from './message-stream';

/**
 * graphql-js's hints, exactly as it words them at the end of a message: ` Did you mean "a"?`, `… "a" or "b"?`,
 * `… "a", "b", or "c"?`, `Did you mean the enum value "X"?`, `Did you mean to use an inline fragment on "T"?`.
 */
const SUGGESTION = / ?Did you mean (?:the enum value |to use an inline fragment on )?"[^"]*"(?:, "[^"]*")*(?:,? or "[^"]*")?\?$/;

/**
 * What leaves the gateway in an error, beyond Apollo Server's own hiding:
 * - graphql-js also hints at enum values when coercing variables ("Did you mean the enum value …?"); the plugins only
 *   cover validation, so the hint is cut from the gateway's own messages. A subgraph's answer (it carries
 *   `serviceName`) is business wording, never a graphql-js hint about the API schema, and is left whole (issue 11,
 *   item 5);
 * - when a subgraph answers with an HTTP error, @apollo/gateway puts the subgraph's internal URL and its whole response
 *   body in `extensions.response`: internal topology, not the caller's business. The message ("503: Service
 *   Unavailable"), code and subgraph name stay.
 */
export function withoutSchemaHintsOrSubgraphDetails(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const fromSubgraph = typeof formatted.extensions?.serviceName === 'string';
  const message = fromSubgraph ? formatted.message : formatted.message.replace(SUGGESTION, '');
  const { response: _hidden, ...extensions } = formatted.extensions ?? {};
  return formatted.extensions ? { ...formatted, message, extensions } : { ...formatted, message };
}

export interface GatewayOptions {
  /** The composed supergraph SDL (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** GraphQL URL of each subgraph by name (gateway/main.ts: the supergraph's, unless `<NAME>_URL` says otherwise). */
  subgraphUrls: Record<string, string>;
  /** Verifies bearer tokens and picks the acting role. */
  tokenVerifier: TokenVerifier;
  /** Signs the internal context every subgraph call carries. */
  internalContextKey: KeyLike;
  /** Business time: each request takes its instant from it once and every subgraph decides on that instant. */
  clock: Clock;
  /**
   * Dev only (dev keys in use): mints one token per demo role for the playground's "act as" list. Absent in
   * production, where tokens come from the participants' identity provider.
   */
  devTokens?: () => Promise<{ role: string; participant: string; name: string; token: string }[]>;
  /**
   * false turns off the gateway's per-role schemas (ACCESS=off): for comparing federation behaviour with plain Apollo
   * Gateway and for measuring what enforcement costs. Callers are still authenticated and every subgraph still
   * enforces @access and row scope on the signed context, so this never opens data to anyone. Default true.
   */
  accessEnforcement?: boolean;
  /** Where refusals and unreachable subgraphs are written: one JSON line each (default: stdout). */
  audit?: (entry: AuditEntry) => void;
  /** fastify's logger: false (default), true, or a level such as { level: 'warn' } (JSON lines, secrets redacted). */
  logger?: LoggerSetting;
  /** false: no `/metrics` on this port (METRICS_PORT serves it on a listener of its own). Default true. */
  metricsRoute?: boolean;
  /** Browser origins allowed to call the API (CORS_ORIGINS, gateway/cors.ts); none by default. */
  corsOrigins?: readonly string[];
  /** Operation limits, bounds on work, rate limit and APQ (README "Security"); DEFAULT_EDGE when absent. */
  edge?: EdgeSettings;
  /** How often an idle message stream asks for new messages (MESSAGE_STREAM_POLL_MS); default 1000 ms. */
  messageStreamPollMs?: number;
  /** MESSAGE_FEED_REDIS_URL: idle message streams block on the caller's Redis streams instead of polling. */
  messageFeedRedisUrl?: string;
}

/**
 * Builds (does not start) the gateway: Apollo Gateway on Apollo Server, served by fastify on POST/GET /graphql, with
 * the offline playground on GET /graphql from a browser, GET /healthz (alive) and GET /readyz (every subgraph ready).
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  // @apollo/gateway reports telemetry to Apollo unless told not to; this product never phones home.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const edge = options.edge ?? DEFAULT_EDGE;
  const fetcher = createSubgraphFetcher({
    timeoutMs: edge.bounds.subgraphTimeoutMs,
    maxResponseBytes: edge.bounds.subgraphResponseBytes,
  });
  const writeAudit = options.audit ?? writeAuditLine;
  // Every refusal is counted by principle on its way to the audit log (an unreachable subgraph is a fault, not a
  // refusal: /metrics counts it as a subgraph fetch error).
  const audit = countingRefusals(writeAudit);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`no URL for subgraph "${name}": set its *_URL environment variable`);
      return new SignedContextDataSource<GatewayContext>({
        name,
        url,
        fetcher: observeSubgraphFetch(name, fetcher.fetch),
        // Health checks and schema loading run without a caller; they get no context and so no data.
        signerOf: (context) => (context as Partial<GatewayContext>).signContext,
        logUnavailable: writeAudit,
      });
    },
  });
  const contextSignerFor = createContextSigner(options.internalContextKey);
  const accessEnforcement = options.accessEnforcement !== false;
  const schemas = buildSchemasByRole(options.supergraphSdl, accessEnforcement);
  const persistedQueries = edge.persistedQueries ? new PersistedQueries() : null;
  const guard = createEdgeGuard({
    limiter: edge.limits ? createOperationLimiter(edge.limits, schemas.apiSchema) : null,
    schemaFor: (role) => limitSchemaFor(schemas, role),
    persistedQueries,
    audit,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // No "Did you mean …" hints and no stack traces: error text must not reveal schema beyond what a caller asked.
    hideSchemaDetailsFromClientErrors: true,
    // The process that hosts the gateway owns its signals and closes fastify, which stops Apollo Server in turn; Apollo's
    // own handler would stop it first and re-raise the signal, racing the host's orderly shutdown.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: withoutSchemaHintsOrSubgraphDetails,
    // APQ only when asked for (PERSISTED_QUERIES=on), with the cache the edge guard reads hashes from.
    persistedQueries: persistedQueries ? { cache: persistedQueries.cache } : false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDisableSuggestions(),
      createRequestMetricsPlugin(),
      ...(accessEnforcement ? [buildAccessPlugin(schemas, audit)] : []),
    ],
  });
  await apollo.start();

  const app = Fastify({ ...serverObservabilityOptions('gateway', options.logger), bodyLimit: edge.bounds.bodyLimitBytes });
  // Request ids, spans and latency for every route; /metrics unless it has a listener of its own (METRICS_PORT).
  observeRequests(app, 'gateway');
  startProcessMetrics();
  if (options.metricsRoute !== false) registerMetricsRoute(app);
  registerEdgeErrors(app, edge.bounds.bodyLimitBytes);
  if (edge.rateLimit) {
    await registerRateLimit(app, edge.rateLimit, async (request) => {
      try {
        return (await options.tokenVerifier.verify(request.headers)).participant;
      } catch {
        return null;
      }
    });
  }
  // A rate-limited request is answered by @fastify/rate-limit before any handler: counted here, with no role read.
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 429 && request.routeOptions.url === '/graphql')
      countRequestAnsweredAtEdge('refused', 'none', reply.elapsedTime / 1000);
  });
  if (options.corsOrigins && options.corsOrigins.length > 0) await registerCors(app, options.corsOrigins);
  app.addHook('onClose', async () => {
    await apollo.stop();
    await fetcher.close();
    await flushTracing();
  });

  const handleGraphQL = async (request: FastifyRequest, reply: FastifyReply) => {
    let caller: GatewayContext['caller'];
    try {
      caller = await options.tokenVerifier.verify(request.headers);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // The provider's keys being out of reach is an operator's problem, not the caller's: say so in the log too.
      if (error.code === 'AUTH_KEYS_UNAVAILABLE') request.log.error({ code: error.code }, error.message);
      countUnauthenticatedRequest(reply.elapsedTime / 1000);
      audit({
        event: 'authentication_refused',
        at: new Date(machineTimeMs()).toISOString(),
        requestId: request.id,
        ...(error.participant ? { participant: error.participant } : {}),
        status: error.status,
        code: error.code,
        reason: error.message,
      });
      return reply.code(error.status).send({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
    // fastify's request id (core/request-id.ts): the caller's x-request-id or trace id, else a UUID.
    const requestId = request.id;
    const now = options.clock.now();
    const contextValue: GatewayContext = {
      caller,
      requestId,
      signContext: contextSignerFor({ participant: caller.participant, role: caller.role, requestId, now }),
    };
    const refusal = await guard(request, caller, requestId);
    if (refusal) {
      const code = String(refusal.body.errors[0]?.extensions?.code ?? '');
      countRequestAnsweredAtEdge(outcomeOfError(refusal.status, code), caller.role, reply.elapsedTime / 1000);
      return reply.code(refusal.status).send(refusal.body);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const answered = await withDeadline(edge.bounds.requestTimeoutMs, async () => {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: request.method, headers, search, body: request.body },
        context: async () => contextValue,
      });
      if (response.body.kind === 'complete') return { response, body: response.body.string };
      // Incremental delivery is not used by this API; concatenate for completeness.
      let body = '';
      for await (const chunk of response.body.asyncIterator) body += chunk;
      return { response, body };
    });
    if (answered === 'timed-out') {
      countRequestAnsweredAtEdge('error', caller.role, reply.elapsedTime / 1000);
      const seconds = edge.bounds.requestTimeoutMs / 1000;
      return reply.code(504).send(
        edgeErrorBody(ErrorCode.REQUEST_TIMEOUT, `The request took longer than ${seconds} s and was stopped`, {
          limit: edge.bounds.requestTimeoutMs,
        }),
      );
    }
    if (Buffer.byteLength(answered.body) > edge.bounds.responseBytes) {
      // Apollo Server counted the operation as answered; the caller gets a refusal instead, counted apart.
      countRequestAnsweredAtEdge('refused', caller.role, reply.elapsedTime / 1000);
      return reply
        .code(400)
        .send(
          edgeErrorBody(
            ErrorCode.RESPONSE_TOO_LARGE,
            `The answer is larger than ${edge.bounds.responseBytes} bytes: ask for fewer items or pages`,
            { limit: edge.bounds.responseBytes },
          ),
        );
    }
    for (const [key, value] of answered.response.headers) reply.header(key, value);
    reply.code(answered.response.status ?? 200);
    return reply.send(answered.body);
  };

  app.post('/graphql', handleGraphQL);
  app.get('/graphql', async (request, reply) => {
    const wantsPage = (request.headers.accept ?? '').includes('text/html') && !request.url.includes('query=');
    if (wantsPage)
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PLAYGROUND_CONTENT_SECURITY_POLICY)
        .send(PLAYGROUND_HTML);
    return handleGraphQL(request, reply);
  });
  app.get('/', async (_request, reply) => reply.redirect('/graphql'));
  registerPlayground(app);
  // Browsers ask for it on every playground visit; answering keeps their consoles free of a 404.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  if (options.devTokens) {
    const devTokens = options.devTokens;
    app.get('/dev/tokens', async (_request, reply) => reply.header('cache-control', 'no-store').send({ tokens: await devTokens() }));
  }
  // The message feed pushed over SSE (gateway/message-stream.ts); a supergraph without `messages` has no stream.
  if (schemas.apiSchema.getType('MessageEdge')) {
    registerMessageStream(app, {
      apiSchema: schemas.apiSchema,
      tokenVerifier: options.tokenVerifier,
      pollMs: options.messageStreamPollMs ?? DEFAULT_MESSAGE_STREAM_POLL_MS,
      messageFeedRedisUrl: options.messageFeedRedisUrl,
    });
  }
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const [subgraphs, keys] = await Promise.all([checkSubgraphsReady(options.subgraphUrls), options.tokenVerifier.keys()]);
    // Stale keys still verify tokens (the last good set is kept), so only having no keys at all makes it unready.
    const ready = subgraphs.every((s) => s.ready) && keys.state !== 'unavailable';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', subgraphs, keys });
  });
  return app;
}

/** The @access enforcement plugin: rules read from the supergraph by coordinate, one API schema per role, built once. */
function buildAccessPlugin({ apiSchema, policy, roleSchemas }: SchemasByRole, audit: (entry: AuditEntry) => void) {
  const introspectionSchemas = new Map([...roleSchemas].map(([role, schema]) => [role, withAccessNotes(schema, policy)]));
  return createAccessPlugin({ apiSchema, policy, roleSchemas, introspectionSchemas, audit });
}
