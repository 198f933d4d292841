import { RemoteGraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER } from '../core';
import type { GatewayContext } from './gateway-context';

/** Calls a subgraph with the request's signed internal context, which the subgraph requires (defence in depth). */
export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const context = options.context as Partial<GatewayContext>;
    // Health checks and schema loading run without a caller; they get no context and so no data.
    if (context.internalContext) options.request.http?.headers.set(INTERNAL_CONTEXT_HEADER, await context.internalContext());
    // The subgraph logs under the caller's request id (core/request-id.ts).
    if (context.requestId) options.request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}
