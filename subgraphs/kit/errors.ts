import { GraphQLError } from 'graphql';

/** Every error code a client can see (DESIGN.md contract); `extensions.code` carries one of these. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Stable domain reason codes with the message shown to the caller; a message says what was wrong and what is accepted.
 * Kept in one place so the README's table and the code cannot disagree.
 */
export const Reason = {
  INVALID_MPAN_CORE: 'INVALID_MPAN_CORE',
  INVALID_DECIMAL: 'INVALID_DECIMAL',
  INVALID_DATE_TIME: 'INVALID_DATE_TIME',
  INVALID_DATE: 'INVALID_DATE',
  INVALID_RANGE: 'INVALID_RANGE',
  INVALID_PAGE_SIZE: 'INVALID_PAGE_SIZE',
  INVALID_CURSOR: 'INVALID_CURSOR',
  TOO_MANY_KEYS: 'TOO_MANY_KEYS',
  INVALID_PERIOD_LENGTH: 'INVALID_PERIOD_LENGTH',
  UNALIGNED_PERIOD_START: 'UNALIGNED_PERIOD_START',
  INVALID_SETTLEMENT_PERIOD: 'INVALID_SETTLEMENT_PERIOD',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

/** A caller's mistake: BAD_USER_INPUT with a stable reason code. */
export function badUserInput(reason: Reason, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason } });
}
