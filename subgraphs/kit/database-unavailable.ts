import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../core';

/**
 * SQLSTATEs of a server that is going away or not there yet: shutdown (57P01–57P03, also sent while it restarts) and
 * connection exceptions (class 08).
 */
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|08\d\d\d)$/;
/** Socket-level failures of the connection itself. */
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** node-postgres reports a lost or never-made connection with these messages and no code. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether `error` says the database cannot be reached, as opposed to a fault in the statement or the data. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Read by shape, not `instanceof`: socket errors are made by Node's own realm, which is not always the caller's.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
  // A refused connection to a host with several addresses arrives as an AggregateError of socket errors.
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/**
 * What the caller sees: that nothing of this part was written (every write is one transaction) and to retry; the
 * gateway adds the subgraph's name (`serviceName`). No address, SQL or driver text.
 */
export function databaseUnavailableError(whose = 'The database'): GraphQLError {
  return new GraphQLError(`${whose} is unavailable, so nothing was read or written there; retry later`, {
    extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
  });
}
