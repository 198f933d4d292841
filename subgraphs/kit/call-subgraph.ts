import { fetchSubgraph } from './subgraph-unavailable';
import type { SignQuestion } from './question-signer';
import { INTERNAL_CONTEXT_HEADER, REQUEST_ID_HEADER, SpanKind, failSpan, injectTraceHeaders, tracerOf, withSpan } from '../../core';

/** Who a subgraph-to-subgraph call is made for: the caller, signed per question, and the request's id. */
export interface OnBehalfOf {
  /** Signs each question for its target subgraph and exact body (subgraphs/kit/question-signer.ts). */
  signQuestion: SignQuestion;
  /** Absent only where no request is being served (tests of the kit alone). */
  requestId?: string;
}

/**
 * POSTs JSON to another subgraph as the same caller: a context signed for that subgraph and body, the request id (its logs join the request's)
 * and `traceparent` (its spans join the request's trace) go along; the call is a client span of its own.
 */
export function callSubgraph(from: string, to: string, url: string, onBehalfOf: OnBehalfOf, body: unknown): Promise<Response> {
  return withSpan(
    tracerOf(from),
    `subgraph ${to}`,
    { kind: SpanKind.CLIENT, attributes: { 'mhhs.subgraph': to, 'http.request.method': 'POST' } },
    async (span) => {
      const json = JSON.stringify(body);
      // No HTTP answer at all becomes SUBGRAPH_UNAVAILABLE naming `to`, never its address.
      const response = await fetchSubgraph(to, url, {
        method: 'POST',
        headers: injectTraceHeaders({
          'content-type': 'application/json',
          [INTERNAL_CONTEXT_HEADER]: await onBehalfOf.signQuestion(to, json),
          ...(onBehalfOf.requestId ? { [REQUEST_ID_HEADER]: onBehalfOf.requestId } : {}),
        }),
        body: json,
      });
      span.setAttribute('http.response.status_code', response.status);
      if (!response.ok) failSpan(span, new Error(`${to} answered HTTP ${response.status}`));
      return response;
    },
  );
}
