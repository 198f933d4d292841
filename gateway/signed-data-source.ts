import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, type ContextBinding } from '../core';
import { subgraphFailure, type SubgraphUnavailableAuditEntry } from './subgraph-failure';
import type { GatewayContext } from './gateway-context';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type ProcessOptions = Parameters<RemoteGraphQLDataSource['process']>[0];
type SubgraphRequest = ProcessOptions['request'];
type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
/** Signs the internal context of one subgraph call, bound to that subgraph and that exact body. */
export type SignContext = (binding: ContextBinding) => string | Promise<string>;

/**
 * Calls one subgraph with a signed internal context bound to that call (issue 11, item 4): audience = this subgraph,
 * `bh` = the hash of the exact body sent. RemoteGraphQLDataSource serialises the request in its `sendRequest` (private
 * in its types, a plain method at run time), so that one method is replaced here: the body is made once, signed, and
 * sent with its signature. Otherwise it does what RemoteGraphQLDataSource's does, less the node-fetch `Request` it
 * builds for every call and reads only on an error, which neither ours nor @apollo/gateway's error handling uses
 * (issue 17: the gateway-bound profile). `process` (headers, willSendRequest, cache hints) stays @apollo/gateway's.
 */
// RemoteGraphQLDataSource's own constraint on its context type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class SignedContextDataSource<TContext extends Record<string, any>> extends RemoteGraphQLDataSource<TContext> {
  constructor(
    private readonly options: {
      /** Names the subgraph in errors and logs, never its address; also the audience of its contexts. */
      name: string;
      url: string;
      /** The fetcher to use; @apollo/gateway's default when absent. */
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
    (this as unknown as { sendRequest: SignedContextDataSource<TContext>['send'] }).sendRequest = (request, context) =>
      this.send(request, context);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<TContext>): void {
    const context = options.context as Partial<GatewayContext>;
    // The subgraph logs under the caller's request id (core/request-id.ts).
    if (context.requestId) options.request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  private async send(request: SubgraphRequest, context: TContext): Promise<SubgraphResponse> {
    if (!request.http) throw new Error("Internal error: Only 'http' requests are supported.");
    const { http, ...withoutHttp } = request;
    const body = JSON.stringify(withoutHttp);
    const headers: Record<string, string> = Object.fromEntries(http.headers);
    const sign = this.options.signerOf(context);
    if (sign) {
      const signed = sign({ audience: this.options.name, body });
      headers[INTERNAL_CONTEXT_HEADER] = typeof signed === 'string' ? signed : await signed;
    }
    const init = { method: http.method, headers, body };
    let response: Awaited<ReturnType<Fetcher>> | undefined;
    try {
      response = await this.fetcher(http.url, init);
      if (!response.ok) throw await this.errorFromResponse(response);
      const parsed: unknown = await this.parseBody(response, undefined, context);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
      return { ...(parsed as SubgraphResponse), http: response };
    } catch (error) {
      this.didEncounterError(error as Error, undefined as never, response, context);
      throw error;
    }
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
