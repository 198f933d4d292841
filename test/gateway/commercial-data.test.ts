import { startTestStack, type TestStack } from '../support/test-stack';
import type { Actor } from '../support/test-keys';

// Issue 11, item 5: CRA data that is commercially sensitive (credit assessment load factor, capacities, trading unit,
// qualification status) is readable only by the party itself and the central roles VOLUME_ALLOCATION_SERVICE and
// CENTRAL_REGISTRATION_AGENT; a BM unit's public registration (id, kind, GSP group, lead party) stays readable by every
// supplier. Another party's sensitive attributes answer null, exactly like a value that is not there, with no error.
// Demo: SUPA acts for AURORA, SUPB for BRIGHTW, SUPC for COBALT; STAYGEN (T_STAY-2) has no MPID in the demo.

const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const UNLINKED_SUPPLIER: Actor = { role: 'SUPPLIER', participant: 'SUPX' };
const VAS: Actor = { role: 'VOLUME_ALLOCATION_SERVICE', participant: 'VASV' };
const CRA: Actor = { role: 'CENTRAL_REGISTRATION_AGENT', participant: 'CRAG' };
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };

const UNITS = `{ bmUnits { id kind gspGroup { id } leadParty { id name } effectiveFrom
  creditAssessmentLoadFactor generationCapacityMw demandCapacityMw tradingUnit } }`;
const PARTIES = '{ bscParties { id name partyRoles effectiveFrom qualificationStatus } }';

const PARTY_NAMES: Record<string, string> = {
  AURORA: 'Aurora Energy Supply plc',
  BRIGHTW: 'Brightwater Power Ltd',
  COBALT: 'Cobalt Electricity Ltd',
  STAYGEN: 'Staythorpe Generation Ltd',
};

/** The demo's BM units with their CRA attributes, as a central role reads them. */
const ALL_UNITS = [
  unit('2__CSUPA001', 'AURORA', '_C', '0.35', '145'),
  unit('2__CSUPB001', 'BRIGHTW', '_C', '0.4', '185'),
  unit('2__CSUPB002', 'BRIGHTW', '_C', '0.4', '40', '2026-01-01'),
  unit('2__CSUPC001', 'COBALT', '_C', '0.45', '225'),
  unit('2__ESUPA001', 'AURORA', '_E', '0.35', '120'),
  unit('2__ESUPB001', 'BRIGHTW', '_E', '0.4', '160'),
  unit('2__ESUPC001', 'COBALT', '_E', '0.45', '200'),
  {
    ...unit('T_STAY-2', 'STAYGEN', '_E', '0.85', '8.5', '2010-07-01'),
    kind: 'DIRECTLY_CONNECTED',
    generationCapacityMw: '425',
    tradingUnit: 'TU_STAYTHORPE',
  },
];

function unit(id: string, party: string, gsp: string, calf: string, demand: string, from = '2024-01-01') {
  return {
    id,
    kind: 'SUPPLIER',
    gspGroup: { id: gsp },
    leadParty: { id: party, name: PARTY_NAMES[party] },
    effectiveFrom: from,
    creditAssessmentLoadFactor: calf,
    generationCapacityMw: '0',
    demandCapacityMw: demand,
    tradingUnit: null as string | null,
  };
}

/** What a supplier acting for `ownParty` reads: the public registration of every unit, the sensitive part of its own. */
function asSupplierOf(ownParty: string | null) {
  return ALL_UNITS.map((u) =>
    u.leadParty.id === ownParty
      ? u
      : { ...u, creditAssessmentLoadFactor: null, generationCapacityMw: null, demandCapacityMw: null, tradingUnit: null },
  );
}

const ALL_PARTIES = [
  { id: 'AURORA', partyRoles: ['SUPPLIER', 'TRADER'], effectiveFrom: '2019-04-01', qualificationStatus: 'QUALIFIED' },
  { id: 'BRIGHTW', partyRoles: ['SUPPLIER'], effectiveFrom: '2020-10-01', qualificationStatus: 'QUALIFIED' },
  { id: 'COBALT', partyRoles: ['SUPPLIER'], effectiveFrom: '2026-01-01', qualificationStatus: 'PENDING' },
  { id: 'STAYGEN', partyRoles: ['GENERATOR', 'TRADER'], effectiveFrom: '2010-07-01', qualificationStatus: 'QUALIFIED' },
].map((party) => ({ ...party, name: PARTY_NAMES[party.id] }));

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe("a BM unit's commercially sensitive CRA attributes (issue 11, item 5)", () => {
  it.each([
    ['VOLUME_ALLOCATION_SERVICE', VAS],
    ['CENTRAL_REGISTRATION_AGENT', CRA],
  ])('%s, a central role, reads every unit whole', async (_role, actor) => {
    const { status, body } = await stack.query(UNITS, undefined, actor);
    expect({ status, errors: body.errors, units: byId(body.data.bmUnits) }).toEqual({
      status: 200,
      errors: undefined,
      units: byId(ALL_UNITS),
    });
  });

  it("a supplier reads every unit's public registration, and the CALF, capacities and trading unit of its own party's units only (null for the others, no error)", async () => {
    const { status, body } = await stack.query(UNITS, undefined, SUPC);
    expect({ status, errors: body.errors, units: byId(body.data.bmUnits) }).toEqual({
      status: 200,
      errors: undefined,
      units: byId(asSupplierOf('COBALT')),
    });
  });

  it('another supplier reads the same units with its own figures and not COBALT’s', async () => {
    const { body } = await stack.query(UNITS, undefined, SUPA);
    expect(byId(body.data.bmUnits)).toEqual(byId(asSupplierOf('AURORA')));
  });

  it('a supplier MPID that acts for no BSC party reads no sensitive attribute at all', async () => {
    const { body } = await stack.query(UNITS, undefined, UNLINKED_SUPPLIER);
    expect({ errors: body.errors, units: byId(body.data.bmUnits) }).toEqual({ errors: undefined, units: byId(asSupplierOf(null)) });
  });

  it("another party's unit reached through its lead party answers null as well (the rule follows the type, whatever the path)", async () => {
    const { body } = await stack.query('{ bscParties { id bmUnits { id creditAssessmentLoadFactor demandCapacityMw } } }', undefined, SUPC);
    const figures = Object.fromEntries(
      body.data.bscParties.flatMap((p: { bmUnits: { id: string; creditAssessmentLoadFactor: string | null }[] }) =>
        p.bmUnits.map((u) => [u.id, u.creditAssessmentLoadFactor]),
      ),
    );
    expect({ errors: body.errors, figures }).toEqual({
      errors: undefined,
      figures: Object.fromEntries(asSupplierOf('COBALT').map((u) => [u.id, u.creditAssessmentLoadFactor])),
    });
  });

  it('the answer for another party is the same as for a value that is not there: nothing in it names the rule or the party', async () => {
    const { body } = await stack.query('{ bmUnits { id creditAssessmentLoadFactor } }', undefined, SUPC);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/FORBIDDEN|PRI-|own party|not available|errors/);
  });

  it('MARKET_WIDE_DATA_SERVICE is refused the sensitive attributes as unknown fields (PRI-003b), and still reads the identifiers', async () => {
    const refused = await stack.query('{ bmUnits { id demandCapacityMw } }', undefined, MDS);
    expect(refused).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Cannot query field "demandCapacityMw" on type "BmUnit".',
            locations: [{ line: 1, column: 16 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    });
    const allowed = await stack.query('{ bmUnits { id kind gspGroup { id } } }', undefined, MDS);
    expect(allowed.body.data.bmUnits).toHaveLength(ALL_UNITS.length);
  });
});

describe("a BSC party's qualification status (issue 11, item 5)", () => {
  it.each([
    ['VOLUME_ALLOCATION_SERVICE', VAS],
    ['CENTRAL_REGISTRATION_AGENT', CRA],
  ])('%s reads every party whole', async (_role, actor) => {
    const { status, body } = await stack.query(PARTIES, undefined, actor);
    expect({ status, errors: body.errors, parties: body.data.bscParties }).toEqual({
      status: 200,
      errors: undefined,
      parties: ALL_PARTIES,
    });
  });

  it("a supplier reads every party's public registration and only its own party's qualification status", async () => {
    const { status, body } = await stack.query(PARTIES, undefined, SUPC);
    expect({ status, errors: body.errors, parties: body.data.bscParties }).toEqual({
      status: 200,
      errors: undefined,
      parties: ALL_PARTIES.map((p) => (p.id === 'COBALT' ? p : { ...p, qualificationStatus: null })),
    });
  });
});
