import type { FastifyInstance, FastifyRequest } from 'fastify';
import { context, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { REQUEST_ID_HEADER } from './request-id';
import { extractTraceContext, tracerOf } from './tracing';
import { httpRequestDuration } from './metrics';

interface Observed {
  span: Span;
  parent: Context;
  started: bigint;
}

/**
 * Observes every request `app` answers: the request id goes back in `x-request-id` (on errors and 404s too), a server
 * span (child of the caller's `traceparent`) is active while the handler runs, and its latency is counted by route.
 */
export function observeRequests(app: FastifyInstance, service: string): void {
  const tracer = tracerOf(service);
  const observed = new WeakMap<FastifyRequest, Observed>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    const route = request.routeOptions.url ?? 'unknown';
    const parent = extractTraceContext(request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route, 'mhhs.request_id': request.id, 'mhhs.service': service },
      },
      parent,
    );
    observed.set(request, { span, parent, started: process.hrtime.bigint() });
  });

  // The handler (and all it awaits: subgraph calls, SQL) runs inside the request's span. A callback hook, so the rest
  // of the request's hooks and its handler are called from within `context.with`.
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = observed.get(request);
    if (!entry) return done();
    context.with(trace.setSpan(entry.parent, entry.span), done);
  });

  app.addHook('onResponse', async (request, reply) => {
    const entry = observed.get(request);
    if (!entry) return;
    const status = reply.statusCode;
    entry.span.setAttribute('http.response.status_code', status);
    if (status >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
    entry.span.end();
    const seconds = Number(process.hrtime.bigint() - entry.started) / 1e9;
    httpRequestDuration.observe(
      { service, route: request.routeOptions.url ?? 'unknown', status_class: `${Math.floor(status / 100)}xx` },
      seconds,
    );
  });
}
