import { GraphQLError } from 'graphql';
import { ErrorCode, machineTimeMs } from '../core';
import type { GatewayContext } from './gateway-context';

/** A subgraph call that got no usable answer: logged with the request it belonged to. */
export interface SubgraphUnavailableAuditEntry {
  event: 'subgraph_unavailable';
  at: string;
  /** The gateway's id of the request (absent for the gateway's own calls, such as health checks). */
  requestId?: string;
  participant?: string;
  role?: string;
  serviceName: string;
  /** Why, as a code (ECONNREFUSED, UND_ERR_SOCKET, HTTP_503 …): never the subgraph's address. */
  cause: string;
}

/** HTTP statuses a proxy or a restarting server answers with while the subgraph itself cannot. */
const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * What a failed subgraph call becomes for the caller. @apollo/gateway passes a connection error through as it is
 * ("connect ECONNREFUSED 127.0.0.1:4001", no code, no subgraph name): internal topology for the caller and no way to
 * tell which part of the answer is missing. A subgraph that cannot be reached (no HTTP answer, or 502/503/504) becomes
 * SUBGRAPH_UNAVAILABLE naming the subgraph, and one `subgraph_unavailable` log line; any other error keeps its code and
 * gains the subgraph's name. The rest of the query plan goes on, so the caller gets every other subgraph's data.
 */
export function subgraphFailure(
  error: unknown,
  response: { status: number } | undefined,
  serviceName: string,
  context: Partial<GatewayContext> | undefined,
  log: (entry: SubgraphUnavailableAuditEntry) => void,
): GraphQLError {
  const unavailable = response === undefined || UNAVAILABLE_STATUSES.has(response.status);
  if (!unavailable) {
    const known = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(known?.message ?? `The ${serviceName} subgraph answered with an error`, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...known?.extensions, serviceName },
    });
  }
  log({
    event: 'subgraph_unavailable',
    at: new Date(machineTimeMs()).toISOString(),
    ...(context?.requestId ? { requestId: context.requestId } : {}),
    ...(context?.caller ? { participant: context.caller.participant, role: context.caller.role } : {}),
    serviceName,
    cause: response ? `HTTP_${response.status}` : causeCode(error),
  });
  return new GraphQLError(`The ${serviceName} subgraph is unavailable, so its part of the answer is missing; retry later`, {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName },
  });
}

/** The error's system or undici code (its message names the address, so it is not used). */
function causeCode(error: unknown): string {
  const { code, name, cause } = (error ?? {}) as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  if (typeof code === 'string') return code;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof name === 'string' ? name : 'UNKNOWN';
}
