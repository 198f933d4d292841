import type { Subgraph } from './kit/subgraph';
import { registration } from './registration';
import { meteringData } from './metering-data';
import { appointment } from './appointment';
import { settlement } from './settlement';

/** Every subgraph, declared once: compose, start, seed, docker-compose checks and tests loop over this list. */
export const subgraphs: readonly Subgraph[] = [registration, meteringData, appointment, settlement] as Subgraph[];

/** Finds a subgraph by name, or throws naming the ones that exist. */
export function findSubgraph(name: string): Subgraph {
  const found = subgraphs.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph "${name}"; expected one of ${subgraphs.map((s) => s.name).join(', ')}`);
  return found;
}
