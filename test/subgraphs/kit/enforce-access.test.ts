import { buildSchema, graphql, parse } from 'graphql';
import { readAccessPolicy } from '../../../core';
import { enforceAccess } from '../../../subgraphs/kit/enforce-access';

// @access(ownPartyOnly: …) in a subgraph (issue 11, item 5): a role limited to its own party's rows gets null on
// another party's row, with no error; a field declared that way without a null to answer or an owner fails at start-up.

const sdl = (calfType: string) => `
  directive @access(roles: [MarketRole!]!, principle: String, ownPartyOnly: [MarketRole!]) on OBJECT | FIELD_DEFINITION | INTERFACE
  enum MarketRole { SUPPLIER CENTRAL_REGISTRATION_AGENT }
  type Query { units: [Unit!]! @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT]) }
  type Unit @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT]) {
    id: ID! @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT])
    calf: ${calfType} @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT], ownPartyOnly: [SUPPLIER])
  }
`;

const UNITS = [
  { id: 'U1', party: 'P1', calf: '0.35' },
  { id: 'U2', party: 'P2', calf: '0.45' },
];
const PARTY_OF: Record<string, string> = { SUPA: 'P1' };
const owners = {
  Unit: async (unit: { party: string }, ctx: { caller: { participant: string } }) => PARTY_OF[ctx.caller.participant] === unit.party,
};

function enforced(calfType = 'String') {
  const schema = buildSchema(sdl(calfType));
  schema.getQueryType()!.getFields().units.resolve = () => UNITS;
  return enforceAccess(schema, readAccessPolicy(parse(sdl(calfType))), owners);
}

const ask = (role: string, participant: string) =>
  graphql({ schema: enforced(), source: '{ units { id calf } }', contextValue: { caller: { role, participant } } });

describe('a field readable by a role only on its own party rows', () => {
  it("answers the party's own row and null for another's, with no error", async () => {
    expect(await ask('SUPPLIER', 'SUPA')).toEqual({
      data: {
        units: [
          { id: 'U1', calf: '0.35' },
          { id: 'U2', calf: null },
        ],
      },
    });
  });

  it('answers every row to a role the rule does not limit', async () => {
    expect(await ask('CENTRAL_REGISTRATION_AGENT', 'CRAG')).toEqual({
      data: {
        units: [
          { id: 'U1', calf: '0.35' },
          { id: 'U2', calf: '0.45' },
        ],
      },
    });
  });

  it('refuses to start when the field is non-null: there would be no null to answer with', () => {
    expect(() => enforced('String!')).toThrow("Unit.calf is limited to the caller's own party (ownPartyOnly), so it must be nullable");
  });

  it('refuses to start when the subgraph does not say who owns a row of the type', () => {
    const schema = buildSchema(sdl('String'));
    expect(() => enforceAccess(schema, readAccessPolicy(parse(sdl('String'))))).toThrow(
      "Unit.calf is limited to the caller's own party (ownPartyOnly), but the subgraph does not say who owns a Unit",
    );
  });
});
