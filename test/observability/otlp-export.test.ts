import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { samplerFromEnv, startTracingFromEnv } from '../../core';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** A real HTTP server standing in for an OpenTelemetry collector: it records what is posted to it. */
let collector: Server;
const received: { url: string; contentType: string; body: string }[] = [];
beforeAll(async () => {
  collector = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', contentType: request.headers['content-type'] ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

describe('OTLP export (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('a process with OTEL_EXPORTER_OTLP_ENDPOINT set posts its spans to <endpoint>/v1/traces, named by OTEL_SERVICE_NAME', async () => {
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    await run(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'emit-one-span.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'gateway-eu-1' },
      timeout: 30_000,
    });
    const traces = received.filter((request) => request.url === '/v1/traces');
    expect(traces.length).toBeGreaterThanOrEqual(1);
    const body = traces.map((request) => request.body).join('\n');
    // OTLP/HTTP carries the span name, its attributes and the service name as strings (JSON or protobuf alike).
    expect(body).toContain('probe span');
    expect(body).toContain('otlp-probe-0001');
    expect(body).toContain('gateway-eu-1');
  });

  it('is off without an endpoint, and a malformed endpoint is refused in one line', () => {
    expect(startTracingFromEnv('gateway', {})).toBeUndefined();
    expect(() => startTracingFromEnv('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://otel-collector:4318, got "collector:4318"',
    );
  });

  it('samples as OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG say (default: every request, unless the caller says not)', () => {
    expect(samplerFromEnv({}).toString()).toBe(
      'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    );
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).toString()).toContain(
      'root=TraceIdRatioBased{0.1}',
    );
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString()).toBe('AlwaysOffSampler');
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow('OTEL_TRACES_SAMPLER must be one of');
    expect(() => samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      'OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for traceidratio; got "2"',
    );
  });
});
