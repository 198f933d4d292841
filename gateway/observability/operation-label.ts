/** How many distinct operation names get a series of their own; later ones share `other`. */
export const MAX_OPERATION_LABELS = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * The `operation` label of a request: its operation name, bounded. Operation names are chosen by callers, so an
 * unbounded label would let anyone grow the metrics without limit: names are admitted first come up to
 * MAX_OPERATION_LABELS, after which new ones count as `other`; no name is `anonymous`, and a request that never
 * reached an operation (unparsable, refused before parsing) is `none`.
 */
export function createOperationLabeler(max = MAX_OPERATION_LABELS): (operationName: string | null | undefined, parsed: boolean) => string {
  const admitted = new Set<string>();
  return (operationName, parsed) => {
    if (!parsed) return 'none';
    if (!operationName) return 'anonymous';
    if (admitted.has(operationName)) return operationName;
    if (admitted.size >= max || !NAME.test(operationName)) return 'other';
    admitted.add(operationName);
    return operationName;
  };
}
