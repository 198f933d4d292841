/**
 * The names of the message feed's Redis streams (README "Messages"), in core because the subgraphs' relay writes them
 * and the gateway's message stream blocks on them: one stream per participant (PRI-021) and one per role (PRI-022).
 */
export const MESSAGE_STREAM_PREFIX = 'mhhs:messages';

/** The Redis stream of one recipient: `mhhs:messages:participant:SUPA`, `mhhs:messages:role:SUPPLIER`. */
export function messageStreamKey(recipient: { participant: string } | { role: string }, prefix = MESSAGE_STREAM_PREFIX): string {
  return 'participant' in recipient ? `${prefix}:participant:${recipient.participant}` : `${prefix}:role:${recipient.role}`;
}
