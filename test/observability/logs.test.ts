import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { INTERNAL_CONTEXT_HEADER, loggerFromEnv, observeRequests, requestIdFrom, serverObservabilityOptions, traceIdOf } from '../../core';

describe('requestIdFrom', () => {
  it("takes a safe x-request-id, else a valid traceparent's trace id, else a fresh UUID", () => {
    expect(requestIdFrom({ 'x-request-id': '01HZX3J6Q4V8W7Y2K9M5N0P1RS' })).toBe('01HZX3J6Q4V8W7Y2K9M5N0P1RS');
    expect(requestIdFrom({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    // x-request-id wins over traceparent when both are sent.
    expect(
      requestIdFrom({ 'x-request-id': 'edge-1234-abcd', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    ).toBe('edge-1234-abcd');
    const generated = requestIdFrom({ 'x-request-id': 'new\nline-injected' });
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores invalid trace contexts (W3C: version ff, all-zero ids, wrong lengths, upper case)', () => {
    expect(traceIdOf('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBeUndefined();
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01')).toBeUndefined();
  });
});

describe('structured logs', () => {
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  beforeAll(async () => {
    app = Fastify(
      serverObservabilityOptions('registration', {
        level: 'info',
        stream: {
          write: (line) => {
            raw.push(line);
            lines.push(JSON.parse(line));
          },
        },
      }),
    );
    observeRequests(app, 'registration');
    // A careless handler that logs what it should not: every secret must come out censored.
    app.post('/leaky', async (request) => {
      request.log.info(
        {
          headers: request.headers,
          token: 'eyJhbGciOiJFZERTQSJ9.secret-token',
          jwk: { kty: 'OKP', crv: 'Ed25519', x: 'public-x', d: 'private-d' },
          key: { d: 'private-d-2' },
          tokens: [{ role: 'SUPPLIER', token: 'dev-token-value' }],
        },
        'handled',
      );
      return { ok: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('are JSON lines naming the service and the request id, with tokens, keys and the internal context censored', async () => {
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/leaky`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.caller-token',
        [INTERNAL_CONTEXT_HEADER]: 'eyJhbGciOiJFZERTQSJ9.signed-context',
        'content-type': 'application/json',
        'x-request-id': 'leaky-request-1',
      },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('leaky-request-1');
    const ofRequest = lines.filter((line) => line.requestId === 'leaky-request-1');
    expect(ofRequest.map((line) => line.msg)).toEqual(['incoming request', 'handled', 'request completed']);
    expect(ofRequest.every((line) => line.service === 'registration')).toBe(true);
    const handled = ofRequest[1] as any;
    expect(handled.headers.authorization).toBe('[redacted]');
    expect(handled.headers[INTERNAL_CONTEXT_HEADER]).toBe('[redacted]');
    expect(handled.token).toBe('[redacted]');
    expect(handled.jwk).toBe('[redacted]');
    expect(handled.key.d).toBe('[redacted]');
    expect(handled.tokens[0]).toEqual({ role: 'SUPPLIER', token: '[redacted]' });
    const everything = raw.join('');
    for (const secret of ['caller-token', 'signed-context', 'secret-token', 'private-d', 'dev-token-value'])
      expect(everything).not.toContain(secret);
  });

  it('LOG_LEVEL picks the level (default info); anything else is refused in one line', () => {
    expect(loggerFromEnv({})).toEqual({ level: 'info' });
    expect(loggerFromEnv({ LOG_LEVEL: 'WARN' })).toEqual({ level: 'warn' });
    expect(() => loggerFromEnv({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be one of');
  });
});
