import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GatewayContext } from '../gateway-context';
import { gatewayRequestDuration, gatewayRequests } from './gateway-metrics';
import { createOperationLabeler } from './operation-label';

/** Outcomes of a GraphQL request, as counted: a fixed set, so the label stays bounded. */
export type RequestOutcome = 'ok' | 'partial' | 'invalid' | 'refused' | 'error' | 'unauthenticated';

// Codes that mean "not allowed" (a rule said no) rather than "malformed" or "failed".
const REFUSAL_STATUS = new Set([401, 403, 413, 429]);
const REFUSAL_CODE = /^(FORBIDDEN|UNAUTHENTICATED|RATE_LIMITED|.*_TOO_.*)$/;

/**
 * Counts every GraphQL request Apollo Server answers (requests refused before it, for want of a valid token, are
 * counted where they are refused): by operation name, acting role and outcome, with its latency.
 */
export function createRequestMetricsPlugin(): ApolloServerPlugin<GatewayContext> {
  const operationLabel = createOperationLabeler();
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(context) {
          const labels = {
            operation: operationLabel(context.operationName ?? context.request.operationName, context.document !== undefined),
            role: (context.contextValue as Partial<GatewayContext>).caller?.role ?? 'none',
            outcome: outcomeOf(context),
          };
          gatewayRequests.inc(labels);
          gatewayRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

function outcomeOf(context: GraphQLRequestContextWillSendResponse<GatewayContext>): RequestOutcome {
  const body = context.response.body;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  const errors = result.errors ?? [];
  if (errors.length === 0) return 'ok';
  if ((context.contextValue as Partial<GatewayContext>).accessRefused) return 'refused';
  return outcomeOfError(context.response.http.status ?? 200, String(errors[0].extensions?.code ?? ''), Boolean(result.data));
}

/** The outcome of an answer with errors, from its HTTP status and its first error's code. */
export function outcomeOfError(status: number, code: string, hasData = false): RequestOutcome {
  if (REFUSAL_STATUS.has(status) || REFUSAL_CODE.test(code)) return 'refused';
  if (status === 400 || code.startsWith('GRAPHQL_') || code === 'BAD_USER_INPUT' || code.startsWith('PERSISTED_QUERY_')) return 'invalid';
  return hasData ? 'partial' : 'error';
}

/** Counts a request refused before Apollo Server saw it (no valid token, or a role the token does not hold). */
export function countUnauthenticatedRequest(secondsTaken: number): void {
  countRequestAnsweredAtEdge('unauthenticated', 'none', secondsTaken);
}

/**
 * Counts a request the gateway answered around Apollo Server: refused at the edge (limits, rate limit, persisted
 * query errors), cut at the deadline, or an answer too large to send. No operation was run, so `operation` is `none`.
 */
export function countRequestAnsweredAtEdge(outcome: RequestOutcome, role: string, secondsTaken: number): void {
  const labels = { operation: 'none', role, outcome };
  gatewayRequests.inc(labels);
  gatewayRequestDuration.observe(labels, secondsTaken);
}
