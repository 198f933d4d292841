import {
  context,
  propagation,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

export { SpanKind };

/** The OpenTelemetry set-up of this process: one per process, shared by every service it hosts (`npm start`). */
export interface Tracing {
  /** Exports what is buffered; called when a service closes so its last spans are not lost. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let installed: (Tracing & { provider: TracerProvider }) | undefined;

/**
 * Installs tracing for this process: W3C `traceparent` propagation, async context, and spans sent to `exporter`.
 * A second call returns the first set-up: the global tracer provider can be set once per process.
 * `immediate` exports each span as it ends (tests); otherwise spans are batched.
 */
export function startTracing(options: { serviceName: string; exporter: SpanExporter; immediate?: boolean; sampler?: Sampler }): Tracing {
  if (installed) return installed;
  const processor: SpanProcessor = options.immediate
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: options.exporter });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
    sampler: options.sampler,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  installed = { provider, flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
  return installed;
}

/**
 * Tracing as the environment asks: on when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is
 * set, exporting OTLP over HTTP (the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself); the service
 * is OTEL_SERVICE_NAME, else `serviceName`. Off (no spans, no cost beyond a no-op call) otherwise.
 */
export function startTracingFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  if (!/^https?:\/\/[^/]/.test(endpoint) || !URL.canParse(endpoint)) {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://otel-collector:4318, got "${endpoint}"`);
  }
  return startTracing({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    exporter: new OTLPTraceExporter(),
    sampler: samplerFromEnv(env),
  });
}

const SAMPLERS = ['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio', 'always_on', 'always_off', 'traceidratio'];

/**
 * The standard OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (a ratio, 0–1, for the `traceidratio` samplers).
 * Default `parentbased_always_on`: every request is traced unless the caller's traceparent says it is not sampled.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on').toLowerCase();
  if (!SAMPLERS.includes(name))
    throw new Error(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}; got "${env.OTEL_TRACES_SAMPLER}"`);
  const ratioText = env.OTEL_TRACES_SAMPLER_ARG?.trim() || '1';
  const ratio = Number(ratioText);
  if (name.endsWith('traceidratio') && !(ratio >= 0 && ratio <= 1))
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for ${name}; got "${ratioText}"`);
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

/** Exports buffered spans, if tracing is on; never throws (a collector that is down must not stop a shutdown). */
export async function flushTracing(): Promise<void> {
  await installed?.flush().catch(() => undefined);
}

/** The tracer of one of our services (`gateway`, `registration` …): its name is the span's instrumentation scope. */
export function tracerOf(service: string): Tracer {
  return trace.getTracer(`mhhs-${service}`);
}

/**
 * Runs `work` inside a new active span (a child of the current one), marking it failed when `work` throws.
 * With tracing off this costs a no-op span.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with the error's message (never its stack, which may name internal hosts). */
export function failSpan(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Adds `traceparent` (when a span is active and tracing is on) to outgoing request headers. */
export function injectTraceHeaders(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

/** The context a caller's `traceparent` names (the active one when absent or tracing is off). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}
