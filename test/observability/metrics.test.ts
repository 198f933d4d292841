import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { readmeExampleOperation } from '../support/readme-example';
import { metricsListenerFromEnv, startMetricsServer } from '../../core';
import { createOperationLabeler } from '../../gateway/observability/operation-label';
import { subgraphs } from '../../subgraphs';

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const DASHBOARD = join(__dirname, '..', '..', 'docs', 'operating', 'grafana-dashboard.json');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

async function scrape(url = stack.gatewayUrl.replace('/graphql', '/metrics')): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series in Prometheus text format (0 when absent), e.g. sample(text, 'x_total', {a: 'b'}). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const seriesLabels = match[2] ?? '';
    if (wanted.every((pair) => seriesLabels.includes(pair))) total += Number(match[3]);
  }
  return total;
}

async function ask(actor: Actor, body: unknown) {
  return stack.postWithHeaders(body, { authorization: `Bearer ${await stack.token(actor)}` });
}

describe('GET /metrics (Prometheus, prom-client)', () => {
  it('counts requests by operation name, acting role and outcome, with their latency', async () => {
    const labels = { operation: 'MeteringPointOverview', role: 'SUPPLIER', outcome: 'ok' };
    const before = await scrape();
    const example = readmeExampleOperation();
    // The README's example is the named operation MeteringPointOverview.
    for (let i = 0; i < 3; i++) expect((await ask(SUPA, example)).status).toBe(200);
    const after = await scrape();
    expect(sample(after, 'mhhs_gateway_requests_total', labels) - sample(before, 'mhhs_gateway_requests_total', labels)).toBe(3);
    expect(
      sample(after, 'mhhs_gateway_request_duration_seconds_count', labels) -
        sample(before, 'mhhs_gateway_request_duration_seconds_count', labels),
    ).toBe(3);
    expect(sample(after, 'mhhs_gateway_request_duration_seconds_sum', labels)).toBeGreaterThan(
      sample(before, 'mhhs_gateway_request_duration_seconds_sum', labels),
    );
    // Invalid, unauthenticated and anonymous requests each have their own bounded label.
    expect((await ask(SUPA, { query: '{ noSuchField }' })).status).toBe(400);
    expect((await stack.postWithHeaders({ query: '{ gspGroups { id } }' }, {})).status).toBe(401);
    expect((await ask(SUPA, { query: '{ gspGroups { id } }' })).status).toBe(200);
    const later = await scrape();
    for (const [series, delta] of [
      [{ operation: 'anonymous', role: 'SUPPLIER', outcome: 'invalid' }, 1],
      [{ operation: 'none', role: 'none', outcome: 'unauthenticated' }, 1],
      [{ operation: 'anonymous', role: 'SUPPLIER', outcome: 'ok' }, 1],
    ] as const) {
      expect(sample(later, 'mhhs_gateway_requests_total', series) - sample(after, 'mhhs_gateway_requests_total', series)).toBe(delta);
    }
  });

  it('counts refusals by the principle they cite, as the audit log records them', async () => {
    const before = await scrape();
    const auditBefore = stack.auditLog.length;
    const { status } = await ask(MDS, { query: 'query Cra { bscParties { id name } }' });
    expect(status).toBe(400); // a hidden field answers like an unknown one (README "Security"), and is still audited
    const after = await scrape();
    const principles = (stack.auditLog[auditBefore] as { principles: string[] }).principles;
    expect(principles).toContain('PRI-003b');
    for (const principle of principles) {
      const series = { event: 'access_refused', principle };
      expect(sample(after, 'mhhs_gateway_refusals_total', series) - sample(before, 'mhhs_gateway_refusals_total', series)).toBe(1);
    }
    const refused = { operation: 'Cra', role: 'MARKET_WIDE_DATA_SERVICE', outcome: 'refused' };
    expect(sample(after, 'mhhs_gateway_requests_total', refused) - sample(before, 'mhhs_gateway_requests_total', refused)).toBe(1);
  });

  it('counts requests the gateway refuses before running them (operation limits, issue 11) as refused, by role', async () => {
    const refused = { operation: 'none', role: 'SUPPLIER', outcome: 'refused' };
    const before = await scrape();
    // Deeper than the default depth limit (10): refused before planning, never reaching Apollo Server.
    const deep = `{ meteringPoint(mpanCore: "1200000000420") ${'{ currentAppointments { meteringPoint '.repeat(6)}{ mpanCore }${' } }'.repeat(6)} }`;
    const { status, body } = await ask(SUPA, { query: deep });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    const after = await scrape();
    expect(sample(after, 'mhhs_gateway_requests_total', refused) - sample(before, 'mhhs_gateway_requests_total', refused)).toBe(1);
  });

  it("times each subgraph fetch, reports every subgraph's pool and SQL latency, and the event-loop lag", async () => {
    const before = await scrape();
    expect((await ask(SUPA, readmeExampleOperation())).status).toBe(200);
    const after = await scrape();
    for (const { name } of subgraphs) {
      const fetches = { subgraph: name, outcome: 'ok' };
      expect(
        sample(after, 'mhhs_gateway_subgraph_fetch_duration_seconds_count', fetches) -
          sample(before, 'mhhs_gateway_subgraph_fetch_duration_seconds_count', fetches),
      ).toBeGreaterThanOrEqual(1);
      const pool = `mhhs-${name}`;
      expect(sample(after, 'mhhs_db_pool_connections', { pool, state: 'total' })).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'mhhs_db_pool_max_connections', { pool })).toBe(10);
      expect(sample(after, 'mhhs_db_pool_connections', { pool, state: 'waiting' })).toBe(0);
      const subgraphRequests = { service: name, route: '/graphql', status_class: '2xx' };
      expect(
        sample(after, 'mhhs_http_request_duration_seconds_count', subgraphRequests) -
          sample(before, 'mhhs_http_request_duration_seconds_count', subgraphRequests),
      ).toBeGreaterThanOrEqual(1);
    }
    const statements = Object.values(stack.statementCounts()).reduce((sum, n) => sum + n, 0);
    expect(sample(after, 'mhhs_db_statement_duration_seconds_count')).toBeGreaterThanOrEqual(statements);
    expect(after).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(sample(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('operation names are bounded: beyond the first ones admitted, and invalid ones, count as "other"', () => {
    const label = createOperationLabeler(2);
    expect([label('A', true), label('B', true), label('C', true), label('A', true)]).toEqual(['A', 'B', 'other', 'A']);
    expect([label(null, true), label(undefined, false), label('x'.repeat(65), true)]).toEqual(['anonymous', 'none', 'other']);
  });

  it('METRICS_PORT serves /metrics on a listener of its own (METRICS_HOST, default 127.0.0.1); a bad port is refused', async () => {
    expect(metricsListenerFromEnv({})).toBeUndefined();
    expect(metricsListenerFromEnv({ METRICS_PORT: '9464' })).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(metricsListenerFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => metricsListenerFromEnv({ METRICS_PORT: 'abc' })).toThrow('METRICS_PORT must be a port number (0–65535), got "abc"');
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0 });
    try {
      const text = await scrape(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}/metrics`);
      expect(text).toContain('# TYPE mhhs_gateway_requests_total counter');
    } finally {
      await server.close();
    }
  });

  it('counts a subgraph that does not answer as a fetch error of that subgraph', async () => {
    const settlement = stack.subgraphs.find((s) => s.name === 'settlement')!;
    const before = await scrape();
    await settlement.app.close();
    const { status, body } = await ask(SUPA, readmeExampleOperation());
    expect(status).toBe(200);
    expect(body.errors?.length).toBeGreaterThan(0);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    const errors = delta('mhhs_gateway_subgraph_fetch_errors_total', { subgraph: 'settlement', kind: 'network_error' });
    // One per call the plan made to it, each also timed with its outcome; the other subgraphs answered.
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(delta('mhhs_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'settlement', outcome: 'network_error' })).toBe(errors);
    expect(delta('mhhs_gateway_subgraph_fetch_errors_total', { subgraph: 'registration' })).toBe(0);
    // An answer with data (null where the missing subgraph was needed) and errors: counted as partial.
    expect(body.data).toEqual({ meteringPoint: null });
    expect(delta('mhhs_gateway_requests_total', { operation: 'MeteringPointOverview', role: 'SUPPLIER', outcome: 'partial' })).toBe(1);
  });
});

describe('docs/operating/grafana-dashboard.json', () => {
  it('every metric a panel queries is one /metrics serves, with samples', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const text = await scrape();
    const served = new Set(text.split('\n').flatMap((line) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line)?.[1] ?? []));
    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) =>
        [...target.expr.matchAll(/\b((?:mhhs|nodejs|process)_[a-z0-9_]+)\b/g)].map((m) => ({ panel: panel.title, metric: m[1] })),
      ),
    );
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    expect(queried.filter(({ metric }) => !served.has(metric))).toEqual([]);
    // Every metric of ours has a panel.
    const ours = [...text.matchAll(/^# TYPE (mhhs_[a-z_]+) /gm)].map((m) => m[1]);
    const used = new Set(queried.map(({ metric }) => metric.replace(/_(bucket|count|sum)$/, '')));
    expect(ours.filter((metric) => !used.has(metric))).toEqual([]);
  });
});
