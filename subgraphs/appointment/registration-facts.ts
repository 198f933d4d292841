import type { AskSubgraph } from '../kit/ask-subgraph';

/**
 * What the Registration Service says about a metering point on one UTC day, as the caller may see it (the supplier
 * registration itself is a responsibility, asked through ctx.responsibilities).
 */
export interface RegistrationFacts {
  /** The market segment in force that day; null when the caller cannot see the metering point or it has none. */
  marketSegment: string | null;
  /** The market roles the proposed provider holds; null when there is no such participant. */
  providerRoles: string[] | null;
}

const REGISTRATION_FACTS = `query RegistrationFacts($r: [_Any!]!, $at: DateTime!, $provider: ID!) {
  _entities(representations: $r) {
    ... on MeteringPoint { standingData(at: $at) { marketSegment } }
  }
  marketParticipants(ids: [$provider]) { roles }
}`;

interface Answer {
  _entities: ({ standingData: { marketSegment: string } | null } | null)[];
  marketParticipants: ({ roles: string[] } | null)[];
}

/**
 * Asks the registration subgraph, as the calling supplier, for the facts an appointment request is checked against
 * on `utcDay` (PRI-001: read from the owner at request time, never copied, PRI-004). Registration applies the caller's
 * row scope, so an MPAN the supplier may not see answers exactly like an unknown one.
 */
export async function readRegistrationFacts(
  askSubgraph: AskSubgraph,
  mpanCore: string,
  utcDay: string,
  providerId: string,
): Promise<RegistrationFacts> {
  const answer = await askSubgraph<Answer>('registration', REGISTRATION_FACTS, {
    r: [{ __typename: 'MeteringPoint', mpanCore }],
    at: `${utcDay}T00:00:00.000Z`,
    provider: providerId,
  });
  const meteringPoint = answer._entities[0];
  return {
    marketSegment: meteringPoint?.standingData?.marketSegment ?? null,
    providerRoles: answer.marketParticipants[0]?.roles ?? null,
  };
}
