/** The abusive operations of issue 11, as a holder of one supplier token sent them. */
export const ATTACK_MPAN = '1200000000420';

/** meteringPoint → currentAppointments → meteringPoint … `levels` deep: the answer doubled at every level. */
export function cyclicChain(levels: number): string {
  let selection = 'mpanCore';
  for (let level = 0; level < levels; level++) {
    selection = level % 2 === 0 ? `currentAppointments { id meteringPoint { ${selection} } }` : `mpanCore ${selection}`;
  }
  return `{ meteringPoint(mpanCore: "${ATTACK_MPAN}") { ${selection} } }`;
}

/** `count` aliases of one metering point, written compactly so the document stays under the size limit. */
export function aliasBomb(count: number): string {
  return `{${Array.from({ length: count }, (_, i) => `m${i}:meteringPoint(mpanCore:"${ATTACK_MPAN}"){mpanCore}`).join(' ')}}`;
}
