import { Gauge, Histogram } from 'prom-client';
import type { Pool } from 'pg';
import { LATENCY_BUCKETS, SpanKind, metricsRegistry, tracerOf, withSpan } from '../../../core';

const pools = new Map<string, Set<Pool>>();

/** Connections of each subgraph's pool by state, read when Prometheus scrapes. */
new Gauge({
  name: 'mhhs_db_pool_connections',
  help: "Connections of each subgraph's PostgreSQL pool: total open, idle, and requests waiting for one",
  labelNames: ['pool', 'state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [name, set] of pools) {
      const sum = (read: (pool: Pool) => number) => [...set].reduce((total, pool) => total + read(pool), 0);
      this.set(
        { pool: name, state: 'total' },
        sum((pool) => pool.totalCount),
      );
      this.set(
        { pool: name, state: 'idle' },
        sum((pool) => pool.idleCount),
      );
      this.set(
        { pool: name, state: 'waiting' },
        sum((pool) => pool.waitingCount),
      );
    }
  },
});

new Gauge({
  name: 'mhhs_db_pool_max_connections',
  help: "The size limit of each subgraph's PostgreSQL pool",
  labelNames: ['pool'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [name, set] of pools)
      this.set(
        { pool: name },
        [...set].reduce((total, pool) => total + pool.options.max, 0),
      );
  },
});

const statementDuration = new Histogram({
  name: 'mhhs_db_statement_duration_seconds',
  help: 'Time of each SQL statement (connection wait included), by pool and outcome',
  labelNames: ['pool', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** Reports `pool`'s use under `name` until the returned function is called (when the pool closes). */
export function observePool(name: string, pool: Pool): () => void {
  const set = pools.get(name) ?? new Set<Pool>();
  set.add(pool);
  pools.set(name, set);
  return () => {
    set.delete(pool);
    if (set.size === 0) pools.delete(name);
  };
}

// Statement text is recorded without its parameters (which hold business data), cut to a sane length.
const MAX_STATEMENT_TEXT = 1000;

/** Runs one SQL statement as a client span of the current request's trace, timed by outcome. */
export function observeStatement<T>(pool: string, sql: string, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const text = sql.trim();
  const verb = /^\w+/.exec(text)?.[0].toUpperCase() ?? 'SQL';
  return withSpan(
    tracerOf(pool.replace(/^mhhs-/, '')),
    `SQL ${verb}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, MAX_STATEMENT_TEXT), 'mhhs.pool': pool },
    },
    async () => {
      let outcome = 'error';
      try {
        const result = await run();
        outcome = 'ok';
        return result;
      } finally {
        statementDuration.observe({ pool, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
  );
}
