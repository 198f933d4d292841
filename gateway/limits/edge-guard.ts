import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { type ErrorCode, machineTimeMs } from '../../core';
import type { Caller } from '../auth/verify-token';
import type { PersistedQueries, PersistedQueryExtension } from '../persisted-queries';
import type { OperationLimiter } from './operation-limits';
import { edgeErrorBody } from './edge-errors';

/** One line of the audit log per operation refused by a limit: who, what limit, by how much; never the query text. */
export interface LimitAuditEntry {
  event: 'limit_refused';
  at: string;
  requestId: string;
  participant: string;
  role: string;
  code: ErrorCode;
  measured: number;
  limit: number;
  operationName: string | null;
  /** SHA-256 of the query text, to find the operation in a client's code. */
  operationHash: string;
}

interface GraphQLRequestParts {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: { persistedQuery?: PersistedQueryExtension };
}

export interface EdgeGuardOptions {
  /** null: LIMITS=off. */
  limiter: OperationLimiter | null;
  /** The schema the acting role sees (the cost of a field it cannot see is that of an unknown field). */
  schemaFor(role: string): GraphQLSchema;
  /** null: APQ off (Apollo Server answers PERSISTED_QUERY_NOT_SUPPORTED). */
  persistedQueries: PersistedQueries | null;
  audit(entry: LimitAuditEntry): void;
}

export type EdgeRefusal = { status: number; body: ReturnType<typeof edgeErrorBody> };

/**
 * Checks a GraphQL request before Apollo Server sees it: resolves an APQ hash to its text (or refuses a hash that does
 * not match), then applies the operation limits on the acting role's schema. A refusal is one audit line and an answer
 * with the limit's code, the measured value and the limit; anything it cannot read is left for Apollo Server to answer.
 */
export function createEdgeGuard(options: EdgeGuardOptions) {
  return async (request: FastifyRequest, caller: Caller, requestId: string): Promise<EdgeRefusal | null> => {
    const parts = requestParts(request);
    if (!parts) return null;
    let query = typeof parts.query === 'string' ? parts.query : undefined;
    if (options.persistedQueries) {
      const outcome = await options.persistedQueries.resolve(query, parts.extensions?.persistedQuery);
      if (outcome.kind === 'refused') return { status: outcome.status, body: edgeErrorBody(outcome.code, outcome.message) };
      query = outcome.kind === 'query' ? outcome.query : undefined;
    }
    if (query === undefined || !options.limiter) return null;
    const refusal = options.limiter.check(
      { query, operationName: parts.operationName, variables: parts.variables },
      options.schemaFor(caller.role),
    );
    if (!refusal) return null;
    options.audit({
      event: 'limit_refused',
      at: new Date(machineTimeMs()).toISOString(),
      requestId,
      participant: caller.participant,
      role: caller.role,
      code: refusal.code,
      measured: refusal.measured,
      limit: refusal.limit,
      operationName: typeof parts.operationName === 'string' ? parts.operationName : null,
      operationHash: createHash('sha256').update(query).digest('hex'),
    });
    return { status: 400, body: edgeErrorBody(refusal.code, refusal.message, { measured: refusal.measured, limit: refusal.limit }) };
  };
}

/** The request's query, operation name, variables and extensions, from a POST body or a GET query string. */
function requestParts(request: FastifyRequest): GraphQLRequestParts | null {
  if (request.method === 'POST') {
    const body = request.body;
    // A batch (an array) or a body that is not JSON is refused by Apollo Server itself.
    return body && typeof body === 'object' && !Array.isArray(body) ? body : null;
  }
  const search = (request.query ?? {}) as Record<string, unknown>;
  return {
    query: typeof search.query === 'string' ? search.query : undefined,
    operationName: typeof search.operationName === 'string' ? search.operationName : null,
    variables: jsonObject(search.variables) as GraphQLRequestParts['variables'],
    extensions: jsonObject(search.extensions) as GraphQLRequestParts['extensions'],
  };
}

function jsonObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
