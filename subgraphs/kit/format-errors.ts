import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from './errors';

interface Execution {
  data?: Record<string, unknown> | null;
  errors: readonly GraphQLError[];
}

/**
 * Turns mercurius' errors into GraphQL responses the gateway can relay: always HTTP 200 with `errors`, every error
 * carrying `extensions.code`. Unexpected errors are logged and masked, so no SQL or stack reaches a client.
 */
export function formatSubgraphErrors(execution: Execution, ctx: { reply?: FastifyReply }) {
  const errors = execution.errors.flatMap((error) => {
    const nested = (error.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
    return Array.isArray(nested) ? nested.map((inner) => toFormatted(inner, true, ctx)) : [toFormatted(error, false, ctx)];
  });
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}

function toFormatted(error: GraphQLError, fromValidation: boolean, ctx: { reply?: FastifyReply }): GraphQLFormattedError {
  const own = error.extensions?.code as string | undefined;
  const original = (error.originalError as GraphQLError | undefined)?.extensions;
  if (own) return formatted(error, error.extensions);
  // A scalar's parse error arrives wrapped by validation; keep the scalar's own code and reason.
  if (original?.code) return formatted(error, { code: original.code, reason: original.reason });
  if (fromValidation || !error.path) return formatted(error, { code: ErrorCode.GRAPHQL_VALIDATION_FAILED });
  ctx.reply?.log.error({ err: error.originalError ?? error }, 'unexpected resolver error');
  return { message: 'Internal server error', path: error.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

function formatted(error: GraphQLError, extensions: Record<string, unknown> | undefined): GraphQLFormattedError {
  const { message, locations, path } = error;
  return { message, ...(locations ? { locations } : {}), ...(path ? { path } : {}), extensions };
}
