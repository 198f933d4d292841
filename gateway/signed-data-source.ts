import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER } from '../core';
import type { GatewayContext } from './gateway-context';
import { subgraphFailure, type SubgraphUnavailableAuditEntry } from './subgraph-failure';

/** Calls a subgraph with the request's signed internal context, which the subgraph requires (defence in depth). */
export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraphName: string;
  private readonly logUnavailable: (entry: SubgraphUnavailableAuditEntry) => void;

  /** `subgraph.name` names it in errors and logs (never its address); `subgraph.log` takes `subgraph_unavailable` lines. */
  constructor(
    config: Partial<RemoteGraphQLDataSource<GatewayContext>>,
    subgraph: { name: string; log: (entry: SubgraphUnavailableAuditEntry) => void },
  ) {
    super(config);
    this.subgraphName = subgraph.name;
    this.logUnavailable = subgraph.log;
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const context = options.context as Partial<GatewayContext>;
    // Health checks and schema loading run without a caller; they get no context and so no data.
    if (context.internalContext) options.request.http?.headers.set(INTERNAL_CONTEXT_HEADER, await context.internalContext());
    // The subgraph logs under the caller's request id (core/request-id.ts).
    if (context.requestId) options.request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  // A failed call names its subgraph, never its address (gateway/subgraph-failure.ts).
  override didEncounterError(error: Error, _request: unknown, response?: { status: number }, context?: GatewayContext): void {
    throw subgraphFailure(error, response, this.subgraphName, context, this.logUnavailable);
  }
}
