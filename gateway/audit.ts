import type { AccessAuditEntry } from './access/access-plugin';
import type { LimitAuditEntry } from './limits/edge-guard';

/** A request refused before any GraphQL work: no valid token, or an acting role the token does not hold. */
export interface AuthenticationAuditEntry {
  event: 'authentication_refused';
  at: string;
  status: number;
  code: string;
  /** What was wrong, as told to the caller; it never contains the token. */
  reason: string;
}

/** Every refusal the gateway records: one JSON line each. */
export type AuditEntry = AccessAuditEntry | AuthenticationAuditEntry | LimitAuditEntry;

/** The default audit sink: one JSON line per refusal on stdout, for the platform's log collector. */
export function writeAuditLine(entry: AuditEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}
