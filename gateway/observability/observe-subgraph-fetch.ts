import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { SpanKind, failSpan, injectTraceHeaders, tracerOf, withSpan } from '../../core';
import { subgraphFetchDuration, subgraphFetchErrors } from './gateway-metrics';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/**
 * The fetcher of one subgraph, observed: each call is a client span (its `traceparent` sent along, so the subgraph's
 * spans join the request's trace) and is timed by outcome; failures are counted by kind.
 */
export function observeSubgraphFetch(subgraph: string, fetch: Fetcher): Fetcher {
  const tracer = tracerOf('gateway');
  return (url, init) => {
    const started = process.hrtime.bigint();
    const record = (outcome: 'ok' | 'http_error' | 'network_error') => {
      subgraphFetchDuration.observe({ subgraph, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      if (outcome !== 'ok') subgraphFetchErrors.inc({ subgraph, kind: outcome });
    };
    return withSpan(
      tracer,
      `subgraph ${subgraph}`,
      { kind: SpanKind.CLIENT, attributes: { 'mhhs.subgraph': subgraph, 'http.request.method': init?.method ?? 'GET' } },
      async (span) => {
        const headers = injectTraceHeaders({ ...init?.headers });
        let response;
        try {
          response = await fetch(url, { ...init, headers });
        } catch (error) {
          record('network_error');
          throw error;
        }
        span.setAttribute('http.response.status_code', response.status);
        if (!response.ok) failSpan(span, new Error(`${subgraph} answered HTTP ${response.status}`));
        record(response.ok ? 'ok' : 'http_error');
        return response;
      },
    );
  };
}
