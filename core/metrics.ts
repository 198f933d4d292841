import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus registry of this process. One per process, not per service: event-loop lag and memory belong to the
 * process, and under `npm start` the gateway and the four subgraphs share one (every series names its service).
 */
export const metricsRegistry = new Registry();

let processMetricsStarted = false;

/** Starts the process metrics (event-loop lag, heap, CPU, handles) once; each service calls it when it is built. */
export function startProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });
}

/** Latency buckets in seconds, from a cached read (a few ms) to the request deadline range (tens of seconds). */
export const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Every HTTP request a service answers, by route pattern (never the raw URL) and status class: bounded labels. */
export const httpRequestDuration = new Histogram({
  name: 'mhhs_http_request_duration_seconds',
  help: 'HTTP requests answered, by service, route pattern and status class (2xx, 4xx, 5xx)',
  labelNames: ['service', 'route', 'status_class'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** Serves `GET /metrics` (Prometheus text format) on `app`. */
export function registerMetricsRoute(app: FastifyInstance): void {
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('content-type', metricsRegistry.contentType)
      .header('cache-control', 'no-store')
      .send(await metricsRegistry.metrics()),
  );
}

/**
 * Where `/metrics` is served: on a listener of its own when METRICS_PORT is set (METRICS_HOST, default 127.0.0.1),
 * so the public port never answers it; else on each service's own port.
 */
export interface MetricsListenerSetting {
  host: string;
  port: number;
}

export function metricsListenerFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsListenerSetting | undefined {
  const text = env.METRICS_PORT?.trim();
  if (!text) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_PORT must be a port number (0–65535), got "${text}"`);
  return { host: env.METRICS_HOST?.trim() || '127.0.0.1', port };
}

/** Starts the separate metrics listener; its address is in `server.address()`. */
export async function startMetricsServer(setting: MetricsListenerSetting): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerMetricsRoute(app);
  await app.listen({ host: setting.host, port: setting.port });
  return app;
}
