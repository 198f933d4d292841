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
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
  // A refused connection to a host with several addresses arrives as an AggregateError of socket errors.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGE.test(error.message);
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
