import type { SubgraphContext } from '../kit/subgraph';
import type { OwnPartyChecks } from '../kit/enforce-access';
import type { SettlementLoaders } from './loaders';
import type * as store from './store';

type Context = SubgraphContext<SettlementLoaders>;

/** Whether the caller's participant (MPID) acts for BSC party `partyId` (table bsc_party_participant). */
async function actsFor(partyId: string, ctx: Context): Promise<boolean> {
  const parties = await ctx.loaders.partiesOfParticipant.load(ctx.caller.participant);
  return parties.some((row) => row.bscPartyId === partyId);
}

/**
 * Who owns the rows whose commercially sensitive CRA attributes are `@access(ownPartyOnly: …)`: a BM unit belongs to
 * its lead party, a BSC party to itself, and a participant owns what the party it acts for owns.
 */
export const settlementOwnParty: OwnPartyChecks = {
  BmUnit: (unit: store.BmUnit, ctx: Context) => actsFor(unit.leadPartyId, ctx),
  BscParty: (party: store.BscParty, ctx: Context) => actsFor(party.id, ctx),
};
