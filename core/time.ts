/** The UTC calendar day of an instant, "YYYY-MM-DD": appointments and registrations run on a UTC basis (PRI-018). */
export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
