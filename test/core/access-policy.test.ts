import { buildSchema, parse } from 'graphql';
import { buildRoleSchema } from '../../gateway/access/role-schema';
import {
  canRead,
  effectiveFieldRule,
  findUnruledCoordinates,
  mergeSubgraphPolicies,
  ownPartyOnly,
  principleOfDenial,
  readAccessPolicy,
} from '../../core';

const a = parse(`
  type Query { point: Point @access(roles: [SUPPLIER, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE]) }
  type Point @key(fields: "id") @access(roles: [SUPPLIER, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE]) {
    id: ID! @access(roles: [SUPPLIER, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE])
    owner: Party @access(roles: [SUPPLIER, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE])
    address: String @access(roles: [SUPPLIER, DISTRIBUTOR])
  }
  type Party @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT], principle: "PRI-003b") {
    name: String @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT], principle: "PRI-003b")
  }
`);
const b = parse(`
  type Point @key(fields: "id") @access(roles: [SUPPLIER, DISTRIBUTOR, MARKET_WIDE_DATA_SERVICE]) {
    id: ID! @access(roles: [SUPPLIER, MARKET_WIDE_DATA_SERVICE], principle: "PRI-006")
    reads: [Int] @access(roles: [SUPPLIER]) @requires(fields: "address")
    address: String @external @access(roles: [SUPPLIER, DISTRIBUTOR])
  }
`);

describe('access policy from @access rules', () => {
  it('lets a role read a field only when the field, its type and its return type all allow it', () => {
    const policy = readAccessPolicy(a);
    expect(canRead(policy, 'SUPPLIER', 'Point.owner')).toBe(true);
    expect(canRead(policy, 'DISTRIBUTOR', 'Point.owner')).toBe(false); // Party does not allow DISTRIBUTOR
    expect(canRead(policy, 'MARKET_WIDE_DATA_SERVICE', 'Point.address')).toBe(false);
    expect(canRead(policy, 'MARKET_WIDE_DATA_SERVICE', 'Query.point')).toBe(true);
  });

  it('names the principle of the rule that refused the role (PRI-003b)', () => {
    const policy = readAccessPolicy(a);
    expect(principleOfDenial(policy, 'MARKET_WIDE_DATA_SERVICE', 'Point.owner')).toBe('PRI-003b');
    expect(principleOfDenial(policy, 'MARKET_WIDE_DATA_SERVICE', 'Point.address')).toBeNull();
  });

  it('keeps only the roles every subgraph allows where a field is defined in several (the strictest wins)', () => {
    const merged = mergeSubgraphPolicies([a, b]);
    expect([...effectiveFieldRule(merged, 'Point.id')!.roles].sort()).toEqual(['MARKET_WIDE_DATA_SERVICE', 'SUPPLIER']);
    expect(effectiveFieldRule(merged, 'Point.id')!.principle).toBe('PRI-006');
  });

  it('intersects a field reached through @requires with the rules of the fields it requires', () => {
    const merged = mergeSubgraphPolicies([a, b]);
    expect([...effectiveFieldRule(merged, 'Point.reads')!.roles]).toEqual(['SUPPLIER']);
  });

  it('fails closed: a type or field with no rule is readable by nobody and is reported', () => {
    const doc = parse(`
      type Query { point: Point @access(roles: [SUPPLIER]) hidden: Int }
      type Point { id: ID! @access(roles: [SUPPLIER]) }
    `);
    expect(findUnruledCoordinates(doc)).toEqual(['Point', 'Query.hidden']);
    const policy = readAccessPolicy(doc);
    expect(canRead(policy, 'SUPPLIER', 'Point.id')).toBe(false);
    expect(canRead(policy, 'SUPPLIER', 'Query.hidden')).toBe(false);
  });
});

describe("fields a role reads only on its own party's rows (@access ownPartyOnly, issue 11)", () => {
  const unit = (ownOnly: string) =>
    parse(`
      type Unit @key(fields: "id") @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT]) {
        id: ID! @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT])
        calf: String @access(roles: [SUPPLIER, CENTRAL_REGISTRATION_AGENT], principle: "PRI-003b"${ownOnly})
      }
    `);

  it('marks only the listed roles, and only on the fields that say so', () => {
    const policy = readAccessPolicy(unit(', ownPartyOnly: [SUPPLIER]'));
    expect(ownPartyOnly(policy, 'SUPPLIER', 'Unit.calf')).toBe(true);
    expect(ownPartyOnly(policy, 'CENTRAL_REGISTRATION_AGENT', 'Unit.calf')).toBe(false);
    expect(ownPartyOnly(policy, 'SUPPLIER', 'Unit.id')).toBe(false);
    expect(canRead(policy, 'SUPPLIER', 'Unit.calf')).toBe(true);
  });

  it('keeps a role limited to its own party where any subgraph limits it (the strictest wins)', () => {
    const merged = mergeSubgraphPolicies([unit(''), unit(', ownPartyOnly: [SUPPLIER]')]);
    expect([...(effectiveFieldRule(merged, 'Unit.calf')!.ownPartyOnly ?? [])]).toEqual(['SUPPLIER']);
  });

  it('refuses a rule that limits a role it does not allow at all', () => {
    expect(() => readAccessPolicy(unit(', ownPartyOnly: [DISTRIBUTOR]'))).toThrow(
      '@access ownPartyOnly names DISTRIBUTOR, which its roles do not list',
    );
  });
});

describe('a role that may read no root field', () => {
  it('makes buildRoleSchema throw a clear error instead of looping', () => {
    const sdl = `directive @access(roles: [MarketRole!]!, principle: String) on OBJECT | FIELD_DEFINITION | INTERFACE
      enum MarketRole { SUPPLIER METER_READING_SERVICE }
      type Query { secret: Secret @access(roles: [SUPPLIER]) }
      type Secret @access(roles: [SUPPLIER]) { value: String @access(roles: [SUPPLIER]) }`;
    const policy = readAccessPolicy(parse(sdl));
    const schema = buildSchema(sdl);
    expect(Object.keys(buildRoleSchema(schema, policy, 'SUPPLIER').getQueryType()!.getFields())).toEqual(['secret']);
    expect(() => buildRoleSchema(schema, policy, 'METER_READING_SERVICE')).toThrow(/role METER_READING_SERVICE may read no field of Query/);
  });
});
