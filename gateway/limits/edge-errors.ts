import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../core';
import { RateLimitedError } from '../rate-limit';

/** A GraphQL-shaped error answer: what every refusal at the edge looks like to a client. */
export function edgeErrorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...details } }] };
}

/**
 * Answers the refusals fastify and its plugins raise before the GraphQL handler runs in the API's own terms: a body
 * over the limit is 413 REQUEST_TOO_LARGE, a rate-limited participant 429 RATE_LIMITED (Retry-After is set by the
 * limiter). Anything else keeps fastify's default answer.
 */
export function registerEdgeErrors(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof RateLimitedError) {
      return reply
        .code(429)
        .send(edgeErrorBody(ErrorCode.RATE_LIMITED, error.message, { retryAfterSeconds: error.retryAfterSeconds, limit: error.limit }));
    }
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(413)
        .send(
          edgeErrorBody(ErrorCode.REQUEST_TOO_LARGE, `The request body is larger than ${bodyLimitBytes} bytes`, { limit: bodyLimitBytes }),
        );
    }
    throw error;
  });
}
