import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, metricsRegistry } from '../../core';

/** GraphQL requests at the gateway, by operation name (bounded, see operation-label.ts), acting role and outcome. */
export const gatewayRequests = new Counter({
  name: 'mhhs_gateway_requests_total',
  help: 'GraphQL requests answered by the gateway, by operation name, acting role and outcome',
  labelNames: ['operation', 'role', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const gatewayRequestDuration = new Histogram({
  name: 'mhhs_gateway_request_duration_seconds',
  help: 'Time from receiving a GraphQL request to its answer, by operation name, acting role and outcome',
  labelNames: ['operation', 'role', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** Refusals written to the audit log, by event and by the principle they cite ("none" when no principle applies). */
export const gatewayRefusals = new Counter({
  name: 'mhhs_gateway_refusals_total',
  help: 'Requests refused (one audit line each), by audit event and cited principle (PRI-0xx)',
  labelNames: ['event', 'principle'] as const,
  registers: [metricsRegistry],
});

export const subgraphFetchDuration = new Histogram({
  name: 'mhhs_gateway_subgraph_fetch_duration_seconds',
  help: 'Time of each call from the gateway to a subgraph, by subgraph and outcome (ok, http_error, network_error)',
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const subgraphFetchErrors = new Counter({
  name: 'mhhs_gateway_subgraph_fetch_errors_total',
  help: 'Failed calls from the gateway to a subgraph: an HTTP error status or no answer at all',
  labelNames: ['subgraph', 'kind'] as const,
  registers: [metricsRegistry],
});
