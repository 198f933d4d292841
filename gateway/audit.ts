import type { AccessAuditEntry } from './access/access-plugin';
import type { SubgraphUnavailableAuditEntry } from './subgraph-failure';
import type { LimitAuditEntry } from './limits/edge-guard';

/** A request refused before any GraphQL work: no valid token, or an acting role the token does not hold. */
export interface AuthenticationAuditEntry {
  event: 'authentication_refused';
  at: string;
  /** The request's id, as in its log lines and its `x-request-id` answer header. */
  requestId: string;
  /** The token's participant, when the token was valid but the request was refused (a role it does not hold). */
  participant?: string;
  status: number;
  code: string;
  /** What was wrong, as told to the caller; it never contains the token. */
  reason: string;
}

/** Every refusal, and every subgraph that could not be reached, the gateway records: one JSON line each. */
export type AuditEntry = AccessAuditEntry | AuthenticationAuditEntry | LimitAuditEntry | SubgraphUnavailableAuditEntry;

/** The default audit sink: one JSON line per refusal on stdout, for the platform's log collector. */
export function writeAuditLine(entry: AuditEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}
