import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';

/**
 * Request headers a browser app may send cross-origin: the token, JSON, the acting role, Apollo's CSRF headers, and
 * its own request id or W3C trace context (README "Logs and request ids").
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-acting-role',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'traceparent',
  'tracestate',
];
/** Response headers a browser app may read beyond the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id'];
/** How long a browser may keep a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Reads CORS_ORIGINS: a comma-separated list of exact origins (`scheme://host[:port]`, no path, no wildcard). Empty or
 * unset allows no origin. A malformed entry is refused at start-up, so a typo never silently blocks (or opens) an origin.
 */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const entries = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry) => {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`CORS_ORIGINS: "${entry}" is not an origin; give scheme://host[:port], e.g. https://portal.example.com`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
      throw new Error(
        `CORS_ORIGINS: "${entry}" is not an origin; give scheme://host[:port] with no path or wildcard, e.g. ${url.origin === 'null' ? 'https://portal.example.com' : url.origin}`,
      );
    }
    return url.origin;
  });
}

/**
 * Lets browser apps on the listed origins call the gateway: preflights are answered for GET and POST with the headers
 * above, and answers name the caller's origin (never `*`). No credentials: the API takes bearer tokens, never
 * cookies. A request from any other origin gets no CORS header at all, so the browser keeps its answer from the page.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
