import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header that carries a request's id in and out of every service (and on every subgraph call). */
export const REQUEST_ID_HEADER = 'x-request-id';
/** W3C Trace Context: `version-traceid-parentid-flags`. */
export const TRACEPARENT_HEADER = 'traceparent';

// A caller's id is copied into logs and audit lines: bounded and of a safe alphabet, so it can never forge a log line
// or grow one without limit. UUIDs, ULIDs and most proxies' ids (AWS, nginx, Envoy) fit.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The id of one request: the caller's `x-request-id` when it is safe to log, else the trace id of a valid W3C
 * `traceparent` (so logs and traces of one request share an id), else a fresh UUID.
 */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const given = single(headers[REQUEST_ID_HEADER]);
  if (given !== undefined && SAFE_REQUEST_ID.test(given)) return given;
  const traceId = traceIdOf(single(headers[TRACEPARENT_HEADER]));
  return traceId ?? randomUUID();
}

/** The trace id of a valid `traceparent`, or undefined (version ff and all-zero ids are invalid, per the spec). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]) || /^0+$/.test(match[3])) return undefined;
  return match[2];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
