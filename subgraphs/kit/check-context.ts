import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Kind, parse } from 'graphql';
import type { Database } from './db';
import type { Subgraph } from './subgraph';
import { spendContextId } from './used-context-ids';
import {
  INTERNAL_CONTEXT_HEADER,
  InternalContextError,
  machineTimeMs,
  type ContextRefusalReason,
  type InternalContextVerifier,
  type VerifiedContext,
} from '../../core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, which the internal context's `bh` claim is checked against. */
    rawBody?: Buffer;
  }
}

/** One refused internal context: a JSON log line, so a replay or a forged call is visible (issue 11, item 4). */
export interface ContextRefusalEntry {
  event: 'context_refused';
  at: string;
  subgraph: string;
  path: string;
  status: 401;
  reason: ContextRefusalReason;
  message: string;
  /** Known only when the context itself verified (a replay): whose request was replayed. */
  requestId?: string;
  participant?: string;
}

/** The default sink: one JSON line on stdout, for the platform's log collector. */
export function writeContextRefusal(entry: ContextRefusalEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

/** Parses JSON bodies as fastify does, keeping the raw bytes on the request for the body-hash check. */
export function keepRawJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    // fastify's default JSON parser answers through `done`; its return value carries nothing.
    void parseJson(request, (body as Buffer).toString('utf8'), done);
  });
}

/**
 * Verifies the request's internal context against this subgraph and the exact body; a mutation's context id is then
 * spent in the subgraph's database (every replica sees it), and a question from another subgraph may not write.
 */
export async function checkContext(
  request: FastifyRequest,
  options: { subgraph: Pick<Subgraph, 'name' | 'dbSchema'>; db: Database; contextVerifier: InternalContextVerifier },
): Promise<{ caller: VerifiedContext } | { refusal: ContextRefusalEntry }> {
  const refusal = (error: InternalContextError, caller?: VerifiedContext) => ({
    refusal: {
      event: 'context_refused' as const,
      at: new Date(machineTimeMs()).toISOString(),
      subgraph: options.subgraph.name,
      path: request.routeOptions.url ?? request.url,
      status: 401 as const,
      reason: error.reason,
      message: error.message,
      ...(caller ? { requestId: caller.requestId, participant: caller.participant } : {}),
    },
  });
  let caller: VerifiedContext;
  try {
    caller = await options.contextVerifier.verify(request.headers[INTERNAL_CONTEXT_HEADER] as string | undefined, {
      audience: options.subgraph.name,
      body: request.rawBody ?? '',
    });
  } catch (error) {
    if (error instanceof InternalContextError) return refusal(error);
    throw error;
  }
  if (isMutation(request.body)) {
    if (caller.via)
      return refusal(
        new InternalContextError(`a question from subgraph ${caller.via} may only read`, 'CONTEXT_QUESTION_NOT_ALLOWED'),
        caller,
      );
    if (!(await spendContextId(options.db, options.subgraph.dbSchema, caller)))
      return refusal(new InternalContextError('internal context was already used for a mutation (replay)', 'CONTEXT_REPLAYED'), caller);
  }
  return { caller };
}

/** Whether a GraphQL POST body holds a mutation; a body that does not parse is left to mercurius to refuse. */
function isMutation(body: unknown): boolean {
  const query = (body as { query?: unknown } | undefined)?.query;
  // Cheap test first: most calls are reads, and "mutation" is a keyword every mutation document spells out.
  if (typeof query !== 'string' || !query.includes('mutation')) return false;
  try {
    return parse(query).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
  } catch {
    return false;
  }
}
