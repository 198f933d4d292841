import { gatewayRefusals } from './gateway-metrics';

/** Wraps the audit sink so every refusal it records is also counted, once per principle it cites. */
export function countingRefusals<Entry extends { event: string; principles?: readonly string[] }>(
  audit: (entry: Entry) => void,
): (entry: Entry) => void {
  return (entry) => {
    // An unreachable subgraph is a fault, not a refusal: /metrics counts it as a subgraph fetch error instead.
    if (entry.event === 'subgraph_unavailable') return audit(entry);
    const principles = entry.principles && entry.principles.length > 0 ? entry.principles : ['none'];
    for (const principle of new Set(principles)) gatewayRefusals.inc({ event: entry.event, principle });
    audit(entry);
  };
}
