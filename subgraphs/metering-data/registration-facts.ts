import type { AskSubgraph } from '../kit/ask-subgraph';

/** One version of a metering point's standing data, as the registration subgraph owns it (PRI-001). */
export interface StandingDataVersion {
  effectiveFrom: string;
  marketSegment: 'SMART' | 'ADVANCED' | 'UNMETERED';
  energisationStatus: 'ENERGISED' | 'DE_ENERGISED';
  /** Whether the metering point measures import or export (its meters' registers record that direction only). */
  energyDirection: 'IMPORT' | 'EXPORT';
}

/** What the metering-data checks need to know about a metering point from registration. */
export interface RegisteredMeteringPoint {
  mpanCore: string;
  standingDataHistory?: StandingDataVersion[];
  meters?: { meterId: string; registerDigits: number }[];
}

/** Registration facts a check may ask for. */
export const STANDING_DATA = 'standingDataHistory { effectiveFrom marketSegment energisationStatus energyDirection }';
export const METERS = 'meters { meterId registerDigits }';

/**
 * Reads `selection` of each metering point from the registration subgraph in one request, as the caller (so only those
 * the caller may see come back): read at request time, never copied (PRI-001, PRI-019). A metering point the caller
 * may not see, or that is not registered, is absent from the map.
 */
export async function askRegisteredMeteringPoints(
  askSubgraph: AskSubgraph,
  mpanCores: readonly string[],
  selection: string,
): Promise<Map<string, RegisteredMeteringPoint>> {
  if (mpanCores.length === 0) return new Map();
  const answer = await askSubgraph<{ _entities: (RegisteredMeteringPoint | null)[] }>(
    'registration',
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on MeteringPoint { mpanCore ${selection} } } }`,
    { r: mpanCores.map((mpanCore) => ({ __typename: 'MeteringPoint', mpanCore })) },
  );
  return new Map(answer._entities.filter((mp): mp is RegisteredMeteringPoint => mp !== null).map((mp) => [mp.mpanCore, mp]));
}

/** The standing data in force on a UTC day (PRI-018), or null before the first version. History order does not matter. */
export function standingDataOn(history: readonly StandingDataVersion[], day: string): StandingDataVersion | null {
  let found: StandingDataVersion | null = null;
  for (const version of history) {
    if (version.effectiveFrom <= day && (!found || version.effectiveFrom > found.effectiveFrom)) found = version;
  }
  return found;
}
