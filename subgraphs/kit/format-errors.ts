import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../../core';
import { databaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

/** What of mercurius' context the formatter reads: the reply's logger and the caller's request id. */
interface FormatContext {
  reply?: FastifyReply;
  caller?: { requestId: string };
}

/** Failures of a part of the platform, not of the request: logged as warnings with the request id, passed on as coded. */
const UNAVAILABLE_CODES: ReadonlySet<unknown> = new Set([ErrorCode.SUBGRAPH_UNAVAILABLE, ErrorCode.DATABASE_UNAVAILABLE]);

interface Execution {
  data?: Record<string, unknown> | null;
  errors: readonly GraphQLError[];
}

/**
 * Turns mercurius' errors into GraphQL responses the gateway can relay: always HTTP 200 with `errors`, every error
 * carrying `extensions.code`. Unexpected errors are logged and masked, so no SQL or stack reaches a client.
 */
export function formatSubgraphErrors(execution: Execution, ctx: FormatContext) {
  const errors = execution.errors.flatMap((error) => {
    const nested = (error.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
    return Array.isArray(nested) ? nested.map((inner) => toFormatted(inner, true, ctx)) : [toFormatted(error, false, ctx)];
  });
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}

function toFormatted(error: GraphQLError, fromValidation: boolean, ctx: FormatContext): GraphQLFormattedError {
  const original = error.originalError as GraphQLError | undefined;
  if (UNAVAILABLE_CODES.has(original?.extensions?.code)) {
    ctx.reply?.log.warn({ requestId: ctx.caller?.requestId, code: original!.extensions.code }, original!.message);
  }
  // A scalar's parse error arrives wrapped by validation or variable coercion; keep its code, reason and explanation.
  if (original?.extensions?.code) {
    return formatted(withExplanation(error, original.message), original.extensions);
  }
  if (error.extensions?.code) return formatted(error, error.extensions);
  if (isDatabaseUnavailable(original)) {
    // Expected while PostgreSQL restarts: a coded answer at once, and a warning rather than an error in the log.
    ctx.reply?.log.warn({ requestId: ctx.caller?.requestId, cause: (original as { code?: string }).code }, 'database unavailable');
    const { message, extensions } = databaseUnavailableError();
    return formatted({ message, locations: error.locations, path: error.path }, extensions);
  }
  if (fromValidation || !error.path) return formatted(error, { code: ErrorCode.GRAPHQL_VALIDATION_FAILED });
  ctx.reply?.log.error({ err: original ?? error }, 'unexpected resolver error');
  return { message: 'Internal server error', path: error.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** graphql-jit (compiled queries) words a scalar's refusal as "Expected type X."; put the scalar's own message back. */
function withExplanation(error: GraphQLError, explanation: string): Pick<GraphQLError, 'message' | 'locations' | 'path'> {
  const message = error.message.includes(explanation) ? error.message : error.message.replace(/Expected type [^.;]+\.$/, explanation);
  return { message, locations: error.locations, path: error.path };
}

function formatted(
  error: Pick<GraphQLError, 'message' | 'locations' | 'path'>,
  extensions: Record<string, unknown> | undefined,
): GraphQLFormattedError {
  const { message, locations, path } = error;
  return { message, ...(locations ? { locations } : {}), ...(path ? { path } : {}), extensions };
}
