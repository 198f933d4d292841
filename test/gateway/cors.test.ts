import type { Browser } from 'playwright-core';
import { startTestStack, TestStack } from '../support/test-stack';
import { launchChromium } from '../support/browser';
import { serveStaticPage, StaticPageServer } from '../support/static-page-server';
import { corsOriginsFromEnv } from '../../gateway/cors';
import type { Actor } from '../support/test-keys';

const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const QUERY = '{ meteringPoint(mpanCore: "1200000000420") { mpanCore } }';

describe('CORS_ORIGINS', () => {
  it('is a comma list of exact origins, none when unset or blank', () => {
    expect(corsOriginsFromEnv({})).toEqual([]);
    expect(corsOriginsFromEnv({ CORS_ORIGINS: ' ' })).toEqual([]);
    expect(corsOriginsFromEnv({ CORS_ORIGINS: 'https://portal.example.com, http://localhost:5173,' })).toEqual([
      'https://portal.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses at start-up what is not an origin: a wildcard, a path, another scheme', () => {
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: '*' })).toThrow('CORS_ORIGINS: "*" is not an origin');
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: 'https://portal.example.com/app' })).toThrow(
      'with no path or wildcard, e.g. https://portal.example.com',
    );
    expect(() => corsOriginsFromEnv({ CORS_ORIGINS: 'ftp://portal.example.com' })).toThrow('"ftp://portal.example.com" is not an origin');
  });
});

/** The allowed page is listed in CORS_ORIGINS; the other page is on another port of the same host, so another origin. */
let stack: TestStack;
let allowedPage: StaticPageServer;
let otherPage: StaticPageServer;
let plainStack: TestStack;

beforeAll(async () => {
  allowedPage = await serveStaticPage('<!doctype html><title>allowed app</title>');
  otherPage = await serveStaticPage('<!doctype html><title>other app</title>');
  stack = await startTestStack(undefined, { corsOrigins: [allowedPage.origin] });
  plainStack = await startTestStack();
});
afterAll(async () => {
  await Promise.all([stack?.close(), plainStack?.close(), allowedPage?.close(), otherPage?.close()]);
});

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-acting-role',
    },
  });

const corsHeadersOf = (response: Response) => [...response.headers].filter(([name]) => name.startsWith('access-control-'));

describe('the gateway over HTTP', () => {
  it('answers a preflight from an allowed origin with its origin, GET and POST, the token, JSON and acting-role headers, and no credentials', async () => {
    const response = await preflight(stack.gatewayUrl, allowedPage.origin);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(corsHeadersOf(response))).toEqual({
      'access-control-allow-origin': allowedPage.origin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers':
        'authorization, content-type, x-acting-role, apollo-require-preflight, x-apollo-operation-name, x-request-id, traceparent, tracestate',
      'access-control-expose-headers': 'x-request-id',
      'access-control-max-age': '600',
    });
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('answers a preflight from any other origin with no CORS header at all', async () => {
    const response = await preflight(stack.gatewayUrl, otherPage.origin);
    expect(response.status).toBe(404);
    expect(corsHeadersOf(response)).toEqual([]);
  });

  it('names the allowed origin on the answer itself and exposes x-request-id; another origin gets no CORS header', async () => {
    const ask = async (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${await stack.token(SUPA)}` },
        body: JSON.stringify({ query: QUERY }),
      });
    const allowed = await ask(allowedPage.origin);
    expect(allowed.status).toBe(200);
    expect(Object.fromEntries(corsHeadersOf(allowed))).toEqual({
      'access-control-allow-origin': allowedPage.origin,
      'access-control-expose-headers': 'x-request-id',
    });
    const other = await ask(otherPage.origin);
    expect(corsHeadersOf(other)).toEqual([]);
  });

  it('allows no origin when CORS_ORIGINS is not set: the preflight is not found and carries no CORS header', async () => {
    const response = await preflight(plainStack.gatewayUrl, allowedPage.origin);
    expect(response.status).toBe(404);
    expect(corsHeadersOf(response)).toEqual([]);
  });
});

describe('from a page on another origin in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  /** Runs fetch in a page loaded from `pageOrigin`: the browser does the preflight and enforces the answer. */
  const fetchFromPage = async (pageOrigin: string, token: string) => {
    const page = await browser.newPage();
    try {
      await page.goto(pageOrigin);
      return await page.evaluate(
        async ({ url, token, query }) => {
          try {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-acting-role': 'SUPPLIER' },
              body: JSON.stringify({ query }),
            });
            return { status: response.status, body: await response.json() };
          } catch (error) {
            return { refused: String(error) };
          }
        },
        { url: stack.gatewayUrl, token, query: QUERY },
      );
    } finally {
      await page.close();
    }
  };

  it('lets a page on an allowed origin call the API with a bearer token and x-acting-role', async () => {
    expect(await fetchFromPage(allowedPage.origin, await stack.token(SUPA))).toEqual({
      status: 200,
      body: { data: { meteringPoint: { mpanCore: '1200000000420' } } },
    });
  });

  it('keeps the answer from a page on an origin that is not allowed: fetch fails', async () => {
    expect(await fetchFromPage(otherPage.origin, await stack.token(SUPA))).toEqual({ refused: 'TypeError: Failed to fetch' });
  });
});
