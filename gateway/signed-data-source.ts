import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, type ContextBinding } from '../core';
import { subgraphFailure, type SubgraphUnavailableAuditEntry } from './subgraph-failure';
import type { GatewayContext } from './gateway-context';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
/** Signs the internal context of one subgraph call, bound to that subgraph and that exact body. */
export type SignContext = (binding: ContextBinding) => Promise<string>;

/**
 * Calls one subgraph with a signed internal context bound to that call (issue 11, item 4): audience = this subgraph,
 * `bh` = the hash of the exact body sent. The body only exists once RemoteGraphQLDataSource serialises the request,
 * after `willSendRequest`; so `willSendRequest` leaves a one-time ticket in the header and the fetcher, which receives
 * the final body, swaps it for the signature. A ticket is never a credential: the subgraphs refuse anything unsigned.
 */
// RemoteGraphQLDataSource's own constraint on its context type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class SignedContextDataSource<TContext extends Record<string, any>> extends RemoteGraphQLDataSource<TContext> {
  private readonly pending = new Map<string, SignContext>();

  constructor(
    private readonly options: {
      /** Names the subgraph in errors and logs, never its address; also the audience of its contexts. */
      name: string;
      url: string;
      /** The fetcher to sign in front of; @apollo/gateway's default when absent. */
      fetcher?: Fetcher;
      /** This request's signer; undefined for calls without a caller (health checks, schema loading): no context. */
      signerOf(context: TContext): SignContext | undefined;
      /**
       * Set by our gateway: a failed call then names its subgraph (never its address) and writes a
       * `subgraph_unavailable` line here. Absent (the bench's plain gateway): @apollo/gateway's own error handling.
       */
      logUnavailable?: (entry: SubgraphUnavailableAuditEntry) => void;
    },
  ) {
    super({ url: options.url, ...(options.fetcher ? { fetcher: options.fetcher } : {}) });
    const inner = this.fetcher;
    this.fetcher = async (url, init) => {
      const headers: Record<string, string> = { ...init?.headers };
      const ticket = headers[INTERNAL_CONTEXT_HEADER];
      const sign = ticket === undefined ? undefined : this.pending.get(ticket);
      if (ticket !== undefined) {
        this.pending.delete(ticket);
        if (sign) headers[INTERNAL_CONTEXT_HEADER] = await sign({ audience: this.options.name, body: String(init?.body ?? '') });
        else delete headers[INTERNAL_CONTEXT_HEADER];
      }
      return inner(url, { ...init, headers });
    };
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<TContext>): void {
    const context = options.context as Partial<GatewayContext>;
    // The subgraph logs under the caller's request id (core/request-id.ts).
    if (context.requestId) options.request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
    const sign = this.options.signerOf(options.context as TContext);
    if (!sign) return;
    const ticket = randomUUID();
    this.pending.set(ticket, sign);
    options.request.http?.headers.set(INTERNAL_CONTEXT_HEADER, ticket);
  }

  // A failed call names its subgraph, never its address (gateway/subgraph-failure.ts).
  override didEncounterError(
    error: Error,
    request: Parameters<RemoteGraphQLDataSource['didEncounterError']>[1],
    response?: { status: number },
    context?: TContext,
  ): void {
    const log = this.options.logUnavailable;
    if (!log) return super.didEncounterError(error, request, response as never, context);
    throw subgraphFailure(error, response, this.options.name, context, log);
  }
}
