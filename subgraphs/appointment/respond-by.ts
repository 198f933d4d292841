const DAY_MS = 86_400_000;

/**
 * When the proposed provider should answer a request: the response window after the request, but never after the
 * effective date (the start of `effectiveFrom`, UTC, PRI-018), so a request a few days out is overdue while the
 * provider can still accept it and the supplier still has time to act (PRI-026). A request effective today is due by
 * the end of today, the last instant it can be accepted (PRI-020).
 */
export function respondByFor(requestedAt: Date, effectiveFrom: string, responseWindowMs: number): Date {
  const windowEnd = requestedAt.getTime() + responseWindowMs;
  const effectiveStart = Date.parse(`${effectiveFrom}T00:00:00.000Z`);
  const deadline = effectiveStart > requestedAt.getTime() ? effectiveStart : effectiveStart + DAY_MS;
  return new Date(Math.min(windowEnd, deadline));
}
