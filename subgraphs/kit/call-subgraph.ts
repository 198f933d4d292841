import { fetchSubgraph } from './subgraph-unavailable';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, SpanKind, failSpan, injectTraceHeaders, tracerOf, withSpan } from '../../core';

/** Who a subgraph-to-subgraph call is made for: the caller's signed context and the request's id. */
export interface OnBehalfOf {
  contextToken: string;
  /** Absent only where no request is being served (tests of the kit alone). */
  requestId?: string;
}

/**
 * POSTs JSON to another subgraph as the same caller: the signed context, the request id (its logs join the request's)
 * and `traceparent` (its spans join the request's trace) go along; the call is a client span of its own.
 */
export function callSubgraph(from: string, to: string, url: string, onBehalfOf: OnBehalfOf, body: unknown): Promise<Response> {
  return withSpan(
    tracerOf(from),
    `subgraph ${to}`,
    { kind: SpanKind.CLIENT, attributes: { 'mhhs.subgraph': to, 'http.request.method': 'POST' } },
    async (span) => {
      // No HTTP answer at all becomes SUBGRAPH_UNAVAILABLE naming `to`, never its address.
      const response = await fetchSubgraph(to, url, {
        method: 'POST',
        headers: injectTraceHeaders({
          'content-type': 'application/json',
          [INTERNAL_CONTEXT_HEADER]: onBehalfOf.contextToken,
          ...(onBehalfOf.requestId ? { [REQUEST_ID_HEADER]: onBehalfOf.requestId } : {}),
        }),
        body: JSON.stringify(body),
      });
      span.setAttribute('http.response.status_code', response.status);
      if (!response.ok) failSpan(span, new Error(`${to} answered HTTP ${response.status}`));
      return response;
    },
  );
}
