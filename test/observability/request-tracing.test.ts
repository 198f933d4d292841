import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTestStack, TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';
import { readmeExampleOperation } from '../support/readme-example';
import { startTracing } from '../../core';
import { subgraphs } from '../../subgraphs';

// Tracing is per process: installed once for this file, before the stack, exporting every span as it ends.
const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'mhhs-test', exporter, immediate: true });

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const EXAMPLE = readmeExampleOperation();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const logLines: Record<string, any>[] = [];
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(undefined, {
    logger: { level: 'info', stream: { write: (line: string) => void logLines.push(JSON.parse(line)) } },
  });
});
afterAll(() => stack.close());

async function ask(actor: Actor, body: unknown, headers: Record<string, string> = {}) {
  const token = await stack.token(actor);
  const response = await stack.postWithHeaders(body, { authorization: `Bearer ${token}`, ...headers });
  return { ...response, token, requestId: response.headers.get('x-request-id') };
}

/** Spans are exported as they end; the server span of the gateway ends just after the answer is sent. */
async function spansOfTrace(traceId: string, until: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    if (until(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the spans of trace ${traceId} did not all arrive`);
}

const isGatewayServerSpan = (span: ReadableSpan) => span.instrumentationScope.name === 'mhhs-gateway' && span.name === 'POST /graphql';

describe('request ids', () => {
  it('a request without an id gets a fresh UUID, returned in x-request-id', async () => {
    const first = await ask(SUPA, { query: '{ gspGroups { id } }' });
    const second = await ask(SUPA, { query: '{ gspGroups { id } }' });
    expect(first.status).toBe(200);
    expect(first.requestId).toMatch(UUID);
    expect(second.requestId).toMatch(UUID);
    expect(second.requestId).not.toBe(first.requestId);
  });

  it("the caller's x-request-id is kept when it is safe to log, replaced when it is not", async () => {
    expect((await ask(SUPA, { query: '{ gspGroups { id } }' }, { 'x-request-id': 'portal-7f3a.9:call_12' })).requestId).toBe(
      'portal-7f3a.9:call_12',
    );
    for (const unsafe of ['x'.repeat(129), 'has spaces in it', '{"forged":"line"}', 'short']) {
      expect((await ask(SUPA, { query: '{ gspGroups { id } }' }, { 'x-request-id': unsafe })).requestId).toMatch(UUID);
    }
  });

  it("a W3C traceparent's trace id is the request id when no x-request-id is given", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect((await ask(SUPA, { query: '{ gspGroups { id } }' }, { traceparent })).requestId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // Invalid trace contexts (all-zero trace id, bad shape) are ignored.
    const zero = '00-00000000000000000000000000000000-00f067aa0ba902b7-01';
    expect((await ask(SUPA, { query: '{ gspGroups { id } }' }, { traceparent: zero })).requestId).toMatch(UUID);
  });

  it('every log line of a request, at the gateway and at each subgraph it called, carries its request id', async () => {
    const { status, requestId, token } = await ask(SUPA, EXAMPLE);
    expect(status).toBe(200);
    const lines = logLines.filter((line) => line.requestId === requestId);
    // An incoming and a completed line at the gateway and at each of the four subgraphs (some are called twice).
    const services = new Set(lines.map((line) => line.service));
    expect([...services].sort()).toEqual(['gateway', ...subgraphs.map((s) => s.name)].sort());
    for (const service of services) {
      const completed = lines.filter((line) => line.service === service && line.msg === 'request completed');
      expect(completed.length).toBeGreaterThan(0);
      expect(completed.every((line) => line.res.statusCode === 200 && typeof line.responseTime === 'number')).toBe(true);
    }
    // Structured: every line is a JSON object with a level, a time and the service that wrote it.
    expect(lines.every((line) => typeof line.level === 'number' && typeof line.time === 'number' && typeof line.pid === 'number')).toBe(
      true,
    );
    expect(JSON.stringify(logLines)).not.toContain(token);
  });

  it('an access refusal writes one audit line with the request id the caller got back', async () => {
    const before = stack.auditLog.length;
    const { status, requestId } = await ask(MDS, { query: '{ bscParties { id name } }' });
    expect(status).toBe(400); // a hidden field answers like an unknown one (README "Security"), and is still audited
    expect(stack.auditLog.slice(before)).toEqual([expect.objectContaining({ event: 'access_refused', requestId, participant: 'MDSV' })]);
  });

  it('an authentication refusal names the request id, and the participant when the token was valid (issue 11)', async () => {
    const before = stack.auditLog.length;
    const notHeld = await ask(
      SUPA,
      { query: '{ gspGroups { id } }' },
      { 'x-acting-role': 'DISTRIBUTOR', 'x-request-id': 'role-probe-0001' },
    );
    expect(notHeld.status).toBe(403);
    expect(notHeld.requestId).toBe('role-probe-0001');
    const forged = await stack.postWithHeaders({ query: '{ gspGroups { id } }' }, { authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    expect(stack.auditLog.slice(before)).toEqual([
      expect.objectContaining({ event: 'authentication_refused', requestId: 'role-probe-0001', participant: 'SUPA', code: 'FORBIDDEN' }),
      expect.objectContaining({ event: 'authentication_refused', requestId: forged.headers.get('x-request-id'), code: 'UNAUTHENTICATED' }),
    ]);
    // An invalid token names no participant: nothing in it can be trusted.
    expect(stack.auditLog[before + 1]).not.toHaveProperty('participant');
  });

  it('x-request-id is on every answer: a 404, the health check, a refused preflight-free GET', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '');
    for (const path of ['/nowhere', '/healthz']) {
      const response = await fetch(`${base}${path}`, { headers: { 'x-request-id': 'probe-request-42' } });
      expect(response.headers.get('x-request-id')).toBe('probe-request-42');
    }
  });
});

describe('OpenTelemetry traces (exported in memory here, by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set)', () => {
  it('one request is one trace: gateway → every subgraph call → the subgraph → every SQL statement', async () => {
    const before = stack.statementCounts();
    const { status, requestId } = await ask(SUPA, EXAMPLE);
    expect(status).toBe(200);
    const after = stack.statementCounts();
    const statements = Object.values(after).reduce((sum, count) => sum + count, 0) - Object.values(before).reduce((sum, n) => sum + n, 0);
    const server = exporter
      .getFinishedSpans()
      .filter((span) => isGatewayServerSpan(span) && span.attributes['mhhs.request_id'] === requestId);
    expect(server).toHaveLength(1);
    const traceId = server[0].spanContext().traceId;
    const spans = await spansOfTrace(traceId, (all) => all.filter((span) => span.name.startsWith('SQL ')).length >= statements);
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');

    // The gateway's span is the root; every other span of the request descends from it.
    expect(server[0].parentSpanContext).toBeUndefined();
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const parent = parentOf(span);
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    for (const span of spans) if (span !== server[0]) expect(ancestors(span)).toContain(server[0]);

    // Every SQL statement the subgraphs ran for it is a span, under the server span of the subgraph that ran it.
    const sql = spans.filter((span) => span.name.startsWith('SQL '));
    expect(sql).toHaveLength(statements);
    for (const statement of sql) {
      const subgraphServer = ancestors(statement).find(
        (span) => span.name === 'POST /graphql' || span.name === 'POST /internal/responsibilities',
      );
      expect(subgraphServer?.instrumentationScope.name).toBe(statement.instrumentationScope.name);
      expect(statement.attributes['db.system.name']).toBe('postgresql');
      expect(String(statement.attributes['db.query.text'])).toMatch(/^(SELECT|WITH)/i);
    }

    // Each subgraph the example reads was called by the gateway, and its server span is that call's child.
    const fetches = spans.filter((span) => span.instrumentationScope.name === 'mhhs-gateway' && span.name.startsWith('subgraph '));
    expect(new Set(fetches.map((span) => span.attributes['mhhs.subgraph']))).toEqual(new Set(subgraphs.map((s) => s.name)));
    for (const fetchSpan of fetches) {
      const children = spans.filter((span) => parentOf(span) === fetchSpan);
      expect(children.map((span) => `${span.instrumentationScope.name} ${span.name}`)).toEqual([
        `mhhs-${fetchSpan.attributes['mhhs.subgraph']} POST /graphql`,
      ]);
    }
    // Apollo Gateway's own spans (validation, each fetch of the plan, post-processing) are part of the same trace.
    expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(['gateway.validate', 'gateway.fetch', 'gateway.postprocessing']));
  });

  it("a caller's traceparent makes the request's spans part of the caller's trace", async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const { status } = await ask(
      SUPA,
      { query: '{ meteringPoint(mpanCore: "1200000000420") { mpanCore } }' },
      {
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
      },
    );
    expect(status).toBe(200);
    const spans = await spansOfTrace(traceId, (all) => all.some(isGatewayServerSpan) && all.some((span) => span.name.startsWith('SQL ')));
    expect(spans.find(isGatewayServerSpan)?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });
});
