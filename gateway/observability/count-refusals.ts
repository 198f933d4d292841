import { gatewayRefusals } from './gateway-metrics';

/** Wraps the audit sink so every refusal it records is also counted, once per principle it cites. */
export function countingRefusals<Entry extends { event: string; principles?: readonly string[] }>(
  audit: (entry: Entry) => void,
): (entry: Entry) => void {
  return (entry) => {
    const principles = entry.principles && entry.principles.length > 0 ? entry.principles : ['none'];
    for (const principle of new Set(principles)) gatewayRefusals.inc({ event: entry.event, principle });
    audit(entry);
  };
}
