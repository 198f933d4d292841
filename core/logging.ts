import { LogController, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { INTERNAL_CONTEXT_HEADER } from './internal-context';
import { requestIdFrom } from './request-id';

/** fastify's logger setting: off, on at `info`, or a level (and, for tests, a destination stream). */
export type LoggerSetting = boolean | { level: string; stream?: { write(line: string): void } };

/**
 * Log fields that hold secrets, censored wherever they appear: the bearer token, the signed internal context,
 * tokens and keys (a JWK's private part is `d`). fastify logs no headers by default; this holds if anyone adds them.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  `req.headers["${INTERNAL_CONTEXT_HEADER}"]`,
  'headers.authorization',
  `headers["${INTERNAL_CONTEXT_HEADER}"]`,
  'authorization',
  'token',
  '*.token',
  'tokens[*].token',
  '*.tokens[*].token',
  'jwk',
  '*.jwk',
  'privateKey',
  '*.privateKey',
  'd',
  '*.d',
  'password',
  '*.password',
];

/**
 * The fastify options every service of ours is built with: the request id of core/request-id.ts as
 * fastify's own (`requestId` in each log line, the same in audit lines and on the `x-request-id` answer), and JSON
 * logs naming the service with secrets censored.
 */
export function serverObservabilityOptions(
  service: string,
  logger: LoggerSetting | undefined,
): Pick<FastifyServerOptions, 'genReqId' | 'logController' | 'requestIdHeader' | 'logger'> {
  return {
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    logger: loggerOptions(service, logger),
  };
}

function loggerOptions(service: string, logger: LoggerSetting | undefined): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const { level, stream } = logger === true ? { level: 'info', stream: undefined } : logger;
  return {
    level,
    base: { service, pid: process.pid, hostname: hostname() },
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}
