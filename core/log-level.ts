const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/**
 * The fastify logger setting for a server run alone (gateway/main.ts, scripts/serve-subgraph.ts): LOG_LEVEL, default
 * `info`, which logs every request. `warn` keeps errors and warnings only; a busy gateway spends a measurable share of
 * its CPU writing request lines (see BENCHMARKS.md).
 */
export function loggerFromEnv(env: NodeJS.ProcessEnv = process.env): { level: LogLevel } {
  const level = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level))
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}; got "${env.LOG_LEVEL}"`);
  return { level: level as LogLevel };
}
