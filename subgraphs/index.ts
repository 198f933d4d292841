import type { Subgraph } from './kit/subgraph';
import type { RegistrationRows } from './registration/rows';
import type { MeteringDataRows } from './metering-data/rows';
import type { AppointmentRows } from './appointment/rows';
import type { SettlementRows } from './settlement/rows';
import { registration } from './registration';
import { meteringData } from './metering-data';
import { appointment } from './appointment';
import { settlement } from './settlement';

/** Every subgraph's rows (each declares its own in rows.ts): what a whole dataset holds. */
export type SubgraphRows = RegistrationRows & MeteringDataRows & AppointmentRows & SettlementRows;

/** Every subgraph, declared once: compose, start, seed, docker-compose checks and tests loop over this list. */
export const subgraphs: readonly Subgraph<unknown, SubgraphRows>[] = [registration, meteringData, appointment, settlement] as Subgraph<
  unknown,
  SubgraphRows
>[];

/** Finds a subgraph by name, or throws naming the ones that exist. */
export function findSubgraph(name: string): Subgraph<unknown, SubgraphRows> {
  const found = subgraphs.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph "${name}"; expected one of ${subgraphs.map((s) => s.name).join(', ')}`);
  return found;
}
