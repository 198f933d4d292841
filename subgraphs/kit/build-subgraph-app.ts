import Fastify, { FastifyInstance, RouteOptions } from 'fastify';
import mercurius from 'mercurius';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Database } from './db';
import type { Subgraph, SubgraphContext } from './subgraph';
import { formatSubgraphErrors } from './format-errors';
import {
  ErrorCode,
  InternalContextVerifier,
  readAccessPolicy,
  flushTracing,
  observeRequests,
  registerMetricsRoute,
  serverObservabilityOptions,
  startProcessMetrics,
  type LoggerSetting,
  type VerifiedContext,
} from '../../core';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';
import type { KeyLike } from 'jose';
import { enforceAccess } from './enforce-access';
import { createScopeLoader, createVisibilityLoader } from './scope';
import { createResponsibilities, isResponsibility } from './responsibility';
import { createAskSubgraph } from './ask-subgraph';
import { createQuestionSigner } from './question-signer';
import { createMessageFeed, registerOutboxRoute } from './message-feed';
import { checkContext, keepRawJsonBody, writeContextRefusal, type ContextRefusalEntry } from './check-context';
import { startTimedWork, type TimedWorkSettings } from './timed-work';

/** Routes answered only for a caller the gateway (or a subgraph on its behalf) signed a context for. */
const SIGNED_ROUTES = new Set(['/graphql', '/internal/responsibilities', '/internal/outbox']);

export interface SubgraphAppOptions {
  subgraph: Subgraph;
  db: Database;
  /** Verifies the gateway's signed context (and other subgraphs' questions); a request without a valid one gets nothing. */
  contextVerifier: InternalContextVerifier;
  /** Signs this subgraph's questions to other subgraphs (SUBGRAPH_QUESTION_PRIVATE_JWK); never the gateway's key. */
  questionKey: KeyLike;
  /** Where refused contexts are logged: one `context_refused` JSON line each (default: stdout). */
  logRefusal?: (entry: ContextRefusalEntry) => void;
  /** GraphQL URL of every subgraph by name (filled in once all listen), for asking a responsibility owner. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** fastify's logger: false (default), true, or a level such as { level: 'warn' } (JSON lines, secrets redacted). */
  logger?: LoggerSetting;
  /** false: no `/metrics` on this port (METRICS_PORT serves it on a listener of its own). Default true. */
  metricsRoute?: boolean;
  /** The subgraph's sweep and its outbox relay (kit/timed-work.ts), from ready to close; none when absent. */
  timedWork?: TimedWorkSettings;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: VerifiedContext;
  }
}

/**
 * Builds (does not start) the HTTP app of one subgraph: POST /graphql through mercurius with JIT, GET /healthz
 * (alive) and GET /readyz (the database answers). Each request gets fresh DataLoaders, so batches never mix callers.
 */
export async function buildSubgraphApp({
  subgraph,
  db,
  contextVerifier,
  questionKey,
  subgraphUrls,
  logRefusal = writeContextRefusal,
  logger = false,
  metricsRoute = true,
  timedWork,
}: SubgraphAppOptions): Promise<FastifyInstance> {
  // The gateway's x-request-id is this request's id in every log line; its traceparent is the parent of our spans.
  const app = Fastify({ ...serverObservabilityOptions(subgraph.name, logger), bodyLimit: 64 * 1024 * 1024 });
  observeRequests(app, subgraph.name);
  startProcessMetrics();
  if (metricsRoute) registerMetricsRoute(app);
  // The last spans of a stopping subgraph are exported, not lost with the process.
  app.addHook('onClose', flushTracing);
  // The resolver map is typed by each subgraph's own context; buildSubgraphSchema only stores it.
  const schema = enforceAccess(
    buildSubgraphSchema({ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers as GraphQLResolverMap<unknown> }),
    readAccessPolicy(subgraph.typeDefs),
    subgraph.ownParty,
  );

  // Only the gateway can call /graphql, with a context signed for this subgraph and this exact body; a mutation's context
  // is spent on first use. Everything else, _entities and _service included, is refused before GraphQL runs.
  keepRawJsonBody(app);
  app.addHook('preHandler', async (request, reply) => {
    if (!SIGNED_ROUTES.has(request.routeOptions.url ?? '')) return;
    let outcome: Awaited<ReturnType<typeof checkContext>>;
    try {
      outcome = await checkContext(request, { subgraph, db, contextVerifier });
    } catch (error) {
      // A mutation's context id is spent in this subgraph's database: with it down, say so as the resolvers would.
      if (!isDatabaseUnavailable(error)) throw error;
      if (request.routeOptions.url !== '/graphql') {
        return reply.code(503).send({ error: 'database unavailable', code: ErrorCode.DATABASE_UNAVAILABLE });
      }
      const { message, extensions } = databaseUnavailableError();
      return reply.code(200).send({ data: null, errors: [{ message, extensions }] });
    }
    if ('caller' in outcome) {
      request.caller = outcome.caller;
      return;
    }
    logRefusal(outcome.refusal);
    const { message, reason, status } = outcome.refusal;
    return reply.code(status).send({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED', reason } }] });
  });

  app.addHook('onRoute', allowNumericErrorPaths);
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    jit: 1,
    context: (request): SubgraphContext<unknown> => {
      // Questions to other subgraphs carry the caller signed per question, the request's id and its trace
      // (subgraphs/kit/call-subgraph.ts).
      const onBehalfOf = {
        signQuestion: createQuestionSigner(questionKey, request.caller!, subgraph.name),
        requestId: request.caller!.requestId,
      };
      const responsibilities = createResponsibilities({
        self: { name: subgraph.name, db, owner: subgraph.responsibilityOwner },
        ...onBehalfOf,
        subgraphBaseUrl: (name) => new URL(subgraphUrls[name]).origin,
      });
      const scope = createScopeLoader(request.caller!, responsibilities);
      return {
        db,
        caller: request.caller!,
        now: request.caller!.now,
        loaders: subgraph.createLoaders(db, request.caller!.now),
        askSubgraph: createAskSubgraph(subgraph.name, onBehalfOf, (name) => subgraphUrls[name]),
        responsibilities,
        scope,
        visibility: createVisibilityLoader(request.caller!, responsibilities, scope),
        messageFeed: createMessageFeed({
          self: { name: subgraph.name, dbSchema: subgraph.dbSchema, db },
          sources: Object.keys(subgraphUrls),
          caller: request.caller!,
          onBehalfOf,
          subgraphBaseUrl: (name) => new URL(subgraphUrls[name]).origin,
        }),
      };
    },
    errorFormatter: formatSubgraphErrors,
  });

  // An owner answers other subgraphs: who held these responsibilities for these MPANs, when. The question must come
  // with a signed context (checked above), so only a subgraph serving a gateway request can ask it.
  app.post<{ Body: { responsibilities?: unknown; mpanCores?: unknown } }>('/internal/responsibilities', async (request, reply) => {
    const { responsibilities: asked, mpanCores } = request.body ?? {};
    const owner = subgraph.responsibilityOwner;
    if (
      !owner ||
      !Array.isArray(asked) ||
      !asked.every((r) => isResponsibility(r) && owner.owns.includes(r)) ||
      !Array.isArray(mpanCores) ||
      !mpanCores.every((m) => typeof m === 'string')
    ) {
      return reply.code(400).send({
        error: `POST {"responsibilities": [..], "mpanCores": [..]} asking only for what ${subgraph.name} owns: ${owner?.owns.join(', ') || 'nothing'}`,
      });
    }
    const responsibilities = createResponsibilities({
      self: { name: subgraph.name, db, owner },
      signQuestion: createQuestionSigner(questionKey, request.caller!, subgraph.name),
      requestId: request.caller!.requestId,
      subgraphBaseUrl: (name) => new URL(subgraphUrls[name]).origin,
    });
    try {
      return { periods: await owner.findPeriods({ db, responsibilities }, asked, mpanCores) };
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // The asking subgraph relays the code, so its caller learns to retry rather than meeting an internal error.
      return reply.code(503).send({ error: 'database unavailable', code: ErrorCode.DATABASE_UNAVAILABLE });
    }
  });

  // Every subgraph answers for its own outbox; the subgraph serving `messages` asks each (kit/message-feed.ts).
  registerOutboxRoute(app, subgraph, db, (request) => (request as { caller: VerifiedContext }).caller);

  if (timedWork) {
    let work: { stop(): Promise<void> } | undefined;
    app.addHook('onReady', async () => {
      work = startTimedWork({
        subgraph,
        db,
        questionKey,
        subgraphUrls,
        settings: timedWork,
        log: (line) => process.stderr.write(`${JSON.stringify({ event: 'timed_work_failed', subgraph: subgraph.name, message: line })}\n`),
      });
    });
    // Before the pool closes: a run in flight finishes first.
    app.addHook('preClose', async () => work?.stop());
  }

  app.get('/healthz', async () => ({ status: 'ok', subgraph: subgraph.name }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ready', subgraph: subgraph.name };
    } catch {
      return reply.code(503).send({ status: 'unavailable', subgraph: subgraph.name, reason: 'database does not answer' });
    }
  });
  return app;
}

/**
 * mercurius' response schema types error path items as strings, which turns `["_entities", 0, …]` into
 * `["_entities", "0", …]`; the gateway then cannot put an entity's error at the caller's path. Allow integers too.
 */
function allowNumericErrorPaths(route: RouteOptions): void {
  const response = route.schema?.response as Record<string, { properties?: Record<string, unknown> }> | undefined;
  if (!response?.['2xx']?.properties?.errors) return;
  // A JSON schema object of mercurius's own, patched in place at one known path.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const fixed = structuredClone(response['2xx']) as any;
  fixed.properties.errors.items.properties.path.items = { type: ['string', 'integer'] };
  route.schema = { ...route.schema, response: { ...response, '2xx': fixed } };
}
