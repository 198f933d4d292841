import type { FastifyInstance } from 'fastify';
import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  print,
  type ExecutionResult,
  type FieldNode,
  type GraphQLOutputType,
  type OperationDefinitionNode,
} from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/fastify';
import { AuthError, type TokenVerifier } from './auth/verify-token';
import { redisWakers, timerWaker, type MessageWaker } from './message-wake-up';

/**
 * GET/POST /graphql/stream: the caller's message feed pushed as GraphQL over Server-Sent Events (graphql-sse,
 * "distinct connections" mode), `subscription { messages(after: $cursor) { cursor node { … } } }`.
 *
 * Why here and like this: @apollo/gateway plans no subscriptions, and the gateway holds no business data (PRI-024).
 * So the stream is a loop over the gateway's own POST /graphql `messages` query, made with the caller's own
 * headers: the same token check, acting role, per-role schema, limits and rate limit as any query, and the feed
 * itself stays in the subgraphs' databases. The only state is the open connection's cursor; a client that reconnects
 * passes the last cursor it processed (or none: the acknowledged position) and misses nothing (PRI-025).
 * Between two reads an idle stream waits MESSAGE_STREAM_POLL_MS, or with MESSAGE_FEED_REDIS_URL blocks on the caller's
 * Redis streams and wakes as soon as a message for it is relayed (gateway/message-wake-up.ts).
 */

export const DEFAULT_MESSAGE_STREAM_POLL_MS = 1000;

/** MESSAGE_STREAM_POLL_MS: how often an idle stream asks for new messages, 50 ms to 60 s. */
export function messageStreamPollMsFromEnv(env: NodeJS.ProcessEnv): number {
  const value = env.MESSAGE_STREAM_POLL_MS;
  if (value === undefined || value === '') return DEFAULT_MESSAGE_STREAM_POLL_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000)
    throw new Error(`MESSAGE_STREAM_POLL_MS must be a whole number of milliseconds from 50 to 60000, got "${value}"`);
  return ms;
}

/** Headers of the stream's request that its inner queries carry: who is asking, as whom, under which request id. */
const FORWARDED_HEADERS = ['authorization', 'x-acting-role', 'x-request-id', 'traceparent'] as const;

export interface MessageStreamOptions {
  /** The gateway's API schema: the stream's types are its MessageEdge and what that reaches. */
  apiSchema: GraphQLSchema;
  tokenVerifier: TokenVerifier;
  /** How long an idle stream waits before asking for new messages again (MESSAGE_STREAM_POLL_MS); with Redis, at most. */
  pollMs: number;
  /** MESSAGE_FEED_REDIS_URL: idle streams block on the caller's Redis streams (XREAD BLOCK) instead of sleeping. */
  messageFeedRedisUrl?: string;
  /** Messages asked per inner query. */
  pageSize?: number;
}

/** The schema a stream document is validated against: `Subscription.messages` over the API schema's MessageEdge. */
function streamSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  const edge = apiSchema.getType('MessageEdge');
  if (!edge) throw new Error('the supergraph has no MessageEdge type: the message stream needs Query.messages');
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { _: { type: GraphQLBoolean, description: 'Nothing: queries go to POST /graphql; this endpoint streams.' } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        messages: {
          type: new GraphQLNonNull(edge as GraphQLOutputType),
          description:
            "The caller's messages (PRI-021, PRI-022), one event each, oldest first, then each new one as it is written. `after`: the last cursor processed; omitted, the stream starts after the acknowledged position (acknowledgeMessages).",
          args: { after: { type: GraphQLString } },
        },
      },
    }),
  });
}

/** The `messages` field of a validated stream document, and the `after` it asks for. */
function streamedField(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): { field: FieldNode; after: string | null } {
  const field = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'messages');
  if (!field || operation.selectionSet.selections.length !== 1) throw new GraphQLError('subscribe to exactly one field: messages');
  const argument = field.arguments?.find((a) => a.name.value === 'after')?.value;
  const after =
    argument?.kind === Kind.STRING
      ? argument.value
      : argument?.kind === Kind.VARIABLE
        ? ((variables?.[argument.name.value] as string | null | undefined) ?? null)
        : null;
  return { field, after };
}

type StreamContext = Record<PropertyKey, unknown> & {
  headers: Record<string, string>;
  /** Whose streams wake it (a refused token never gets this far: onSubscribe answers first). */
  caller?: { participant: string; role: string };
};

/** Registers /graphql/stream; open streams end when the gateway closes, so a drain is never held up by one. */
export function registerMessageStream(app: FastifyInstance, options: MessageStreamOptions): void {
  const pageSize = options.pageSize ?? 100;
  const open = new Set<() => void>();
  const wakers = options.messageFeedRedisUrl ? redisWakers(options.messageFeedRedisUrl) : undefined;
  app.addHook('preClose', async () => {
    for (const stop of open) stop();
  });
  app.addHook('onClose', async () => wakers?.close());

  /** POSTs one `messages` query to this gateway's own /graphql, as the caller. */
  const ask = async (context: StreamContext, query: string, variables: Record<string, unknown>) => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { ...context.headers, 'content-type': 'application/json' },
      payload: { query, variables },
    });
    return JSON.parse(response.body) as ExecutionResult<{
      messages: { edges: Record<string, unknown>[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    }>;
  };

  const handler = createHandler<StreamContext>({
    schema: streamSchema(options.apiSchema),
    // Distinct connections only: a reservation ("single connection mode") would keep state in this one replica.
    authenticate: () => null,
    context: async (req) => ({
      headers: Object.fromEntries(
        FORWARDED_HEADERS.map((name) => [name, req.raw.headers[name]]).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      ),
      caller: wakers ? await options.tokenVerifier.verify(req.raw.headers).catch(() => undefined) : undefined,
    }),
    onSubscribe: async (req) => {
      // The stream is refused before it opens, with the same status and code as POST /graphql would answer.
      try {
        await options.tokenVerifier.verify(req.raw.headers);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        return [
          JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }),
          { status: error.status, statusText: error.code, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ] as const;
      }
      return undefined;
    },
    execute: () => ({
      errors: [new GraphQLError('this endpoint only streams `subscription { messages }`; send queries and mutations to POST /graphql')],
    }),
    subscribe: (args) => {
      const operation = args.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
      const { field, after } = streamedField(operation, args.variableValues);
      const fragments = args.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map(print);
      // The client's selection of MessageEdge, asked of `messages` page by page; `__cursor` carries the position.
      const query = [
        `query MessageStream($__after: String, $__first: Int) { messages(after: $__after, first: $__first) {
           edges { __cursor: cursor ${field.selectionSet ? print(field.selectionSet).slice(1, -1) : ''} }
           pageInfo { endCursor hasNextPage } } }`,
        ...fragments,
      ].join('\n');
      const caller = args.contextValue.caller;
      const waker = wakers && caller ? wakers.waker(caller) : timerWaker();
      return pollFeed({
        ask: (variables) => ask(args.contextValue, query, variables),
        after,
        pageSize,
        pollMs: options.pollMs,
        open,
        waker,
      });
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/graphql/stream',
    handler: async (request, reply) => {
      await handler(request, reply);
    },
  });
}

/**
 * The stream's events: every page of `messages` from `after`, then a new ask each time the waker wakes (a relayed
 * message, or `pollMs` at most) until it is stopped.
 */
function pollFeed(options: {
  ask(
    variables: Record<string, unknown>,
  ): Promise<ExecutionResult<{ messages: { edges: Record<string, unknown>[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }>>;
  after: string | null;
  pageSize: number;
  pollMs: number;
  open: Set<() => void>;
  waker: MessageWaker;
}): AsyncIterable<ExecutionResult> {
  let stopped = false;
  const stop = () => {
    stopped = true;
    options.waker.stop();
  };
  async function* events(): AsyncGenerator<ExecutionResult> {
    options.open.add(stop);
    try {
      let after = options.after;
      // Marked before the first read: a message relayed while a page is read wakes the next wait (at worst once too
      // often); each wake moves the mark past what woke it.
      await options.waker.mark();
      while (!stopped) {
        const result = await options.ask({ __after: after, __first: options.pageSize });
        if (result.errors?.length || !result.data) {
          // A refusal (a denied field, an expired token, a bad cursor) ends the stream with the query's own errors.
          yield { errors: result.errors };
          return;
        }
        for (const { __cursor, ...edge } of result.data.messages.edges) {
          if (stopped) return;
          yield { data: { messages: edge } };
          after = __cursor as string;
        }
        after = result.data.messages.pageInfo.endCursor;
        if (!result.data.messages.pageInfo.hasNextPage) await options.waker.wait(options.pollMs);
      }
    } finally {
      options.open.delete(stop);
      options.waker.stop();
    }
  }
  const generator = events();
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => generator.next(),
      // The client went away: wake the poll so the loop ends now, not after its sleep.
      return: () => {
        stop();
        return generator.return(undefined);
      },
    }),
  };
}
