import { buildDemoDataset } from '../../../dev/build-dataset';
import { makeMpanCore } from '../../../core';
import { GraphQLBody, openSubgraphs, SubgraphHarness } from '../../support/subgraph-inject';
import { TEST_NOW } from '../../support/test-clock';

const dataset = buildDemoDataset(TEST_NOW);
/** Distributor 12, Smart, supplied by SUPA since 2025-06-01 after SUPB. */
const first = dataset.meteringPoints[0];
/** De-energised from 2026-02-01: its standing data has two versions. */
const deEnergised = dataset.meteringPoints[3];
/** A Smart meter with a communications fault. */
const commsFault = dataset.meteringPoints[5];
const UNREGISTERED_MPAN = '1000000000012';

let harness: SubgraphHarness;
const query = (text: string, variables?: Record<string, unknown>) => harness.query('registration', text, variables);

/** The errors of a response without their locations, which say nothing about the behaviour under test. */
const errorsOf = (body: GraphQLBody) =>
  body.errors?.map(({ message, path, extensions }) => ({ message, ...(path ? { path } : {}), extensions }));

beforeAll(async () => {
  harness = await openSubgraphs(['registration']);
});

afterAll(async () => {
  await harness.close();
});

describe('meteringPoint', () => {
  it('returns a metering point with its current standing data, distributor, meters and supplier', async () => {
    const meter = dataset.meters.find((m) => m.mpanCore === first.mpanCore)!;
    const body = await query(`{ meteringPoint(mpanCore: "${first.mpanCore}") {
      mpanCore distributor { id name kind homeGspGroup { id } } gspGroup { id name } marketSegment energisationStatus
      connectionType energyDirection metered duosTariffId address { line1 line2 town postcode }
      legacyTopLine { profileClass meterTimeswitchCode lineLossFactorClass }
      meters { meterId meterType esmeGuid location registerDigits installedOn assetProvider { id name } communicationsFault }
      currentSupplier { supplier { id name roles } effectiveFrom effectiveTo } } }`);
    expect(body).toEqual({
      data: {
        meteringPoint: {
          mpanCore: '1200000000420',
          distributor: { id: '12', name: 'London Power Networks', kind: 'DNO', homeGspGroup: { id: '_C' } },
          gspGroup: { id: '_C', name: 'London' },
          marketSegment: 'SMART',
          energisationStatus: 'ENERGISED',
          connectionType: 'WHOLE_CURRENT',
          energyDirection: 'IMPORT',
          metered: true,
          duosTariffId: 'LDN-DOM1',
          address: first.address,
          legacyTopLine: { profileClass: '01', meterTimeswitchCode: '801', lineLossFactorClass: 'A01' },
          meters: [
            {
              meterId: meter.meterId,
              meterType: 'SMART',
              esmeGuid: meter.esmeGuid,
              location: 'Under stairs',
              registerDigits: 6,
              installedOn: '2023-06-15',
              assetProvider: { id: 'MSSA', name: 'Sigma Smart Metering' },
              communicationsFault: false,
            },
          ],
          currentSupplier: {
            supplier: { id: 'SUPA', name: 'Aurora Energy Supply', roles: ['SUPPLIER'] },
            effectiveFrom: '2025-06-01',
            effectiveTo: null,
          },
        },
      },
    });
  });

  it('returns null for a valid MPAN core that is not registered', async () => {
    expect(await query(`{ meteringPoint(mpanCore: "${UNREGISTERED_MPAN}") { mpanCore } }`)).toEqual({ data: { meteringPoint: null } });
  });

  it('shows a smart meter with a communications fault', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${commsFault.mpanCore}") { meters { meterId meterType communicationsFault } } }`);
    expect(body).toEqual({
      data: {
        meteringPoint: { meters: [{ meterId: `M${commsFault.mpanCore.slice(2, 12)}`, meterType: 'SMART', communicationsFault: true }] },
      },
    });
  });

  it('returns no meters and no legacy top line for an unmetered supply', async () => {
    const unmetered = dataset.meteringPoints[9];
    const body = await query(
      `{ meteringPoint(mpanCore: "${unmetered.mpanCore}") { marketSegment metered legacyTopLine { profileClass } meters { meterId } } }`,
    );
    expect(body).toEqual({ data: { meteringPoint: { marketSegment: 'UNMETERED', metered: false, legacyTopLine: null, meters: [] } } });
  });
});

describe('effective-dated standing data', () => {
  const standing = `effectiveFrom gspGroup { id } marketSegment energisationStatus connectionType energyDirection metered duosTariffId`;

  it('keeps every version of the standing data, newest first, and answers "now" from the newest', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${deEnergised.mpanCore}") {
      energisationStatus standingData { effectiveFrom energisationStatus } standingDataHistory { ${standing} } } }`);
    const common = {
      gspGroup: { id: '_E' },
      marketSegment: 'SMART',
      connectionType: 'WHOLE_CURRENT',
      energyDirection: 'IMPORT',
      metered: true,
      duosTariffId: 'MID-DOM1',
    };
    expect(body).toEqual({
      data: {
        meteringPoint: {
          energisationStatus: 'DE_ENERGISED',
          standingData: { effectiveFrom: '2026-02-01', energisationStatus: 'DE_ENERGISED' },
          standingDataHistory: [
            { effectiveFrom: '2026-02-01', energisationStatus: 'DE_ENERGISED', ...common },
            { effectiveFrom: '2024-01-01', energisationStatus: 'ENERGISED', ...common },
          ],
        },
      },
    });
  });

  it('answers standingData(at:) with the version in force on that UTC day, and null before the first version', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${deEnergised.mpanCore}") {
      before: standingData(at: "2023-12-31T23:59:59Z") { effectiveFrom }
      early: standingData(at: "2025-01-01T00:00:00Z") { effectiveFrom energisationStatus }
      lastDayEnergised: standingData(at: "2026-01-31T23:59:59Z") { energisationStatus }
      firstDayDeEnergised: standingData(at: "2026-02-01T00:00:00Z") { energisationStatus }
      localMidnight: standingData(at: "2026-02-01T00:30:00+01:00") { energisationStatus } } }`);
    expect(body).toEqual({
      data: {
        meteringPoint: {
          before: null,
          early: { effectiveFrom: '2024-01-01', energisationStatus: 'ENERGISED' },
          lastDayEnergised: { energisationStatus: 'ENERGISED' },
          firstDayDeEnergised: { energisationStatus: 'DE_ENERGISED' },
          // 00:30 at +01:00 is still 31 January in UTC: registration is effective-dated on a UTC basis (PRI-018).
          localMidnight: { energisationStatus: 'ENERGISED' },
        },
      },
    });
  });

  it('resolves the GSP group of a standing data version', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${first.mpanCore}") { standingDataHistory { gspGroup { id name } } } }`);
    expect(body).toEqual({ data: { meteringPoint: { standingDataHistory: [{ gspGroup: { id: '_C', name: 'London' } }] } } });
  });

  it('refuses an `at` without an offset with BAD_USER_INPUT INVALID_DATE_TIME', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${first.mpanCore}") { standingData(at: "2026-01-01") { effectiveFrom } } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE_TIME' });
    expect(body.errors![0].message).toContain('expected ISO 8601 with an offset');
  });
});

describe('supplier registrations', () => {
  it('lists supplier registrations newest first', async () => {
    const body = await query(
      `{ meteringPoint(mpanCore: "${first.mpanCore}") { supplierRegistrations { supplier { id } effectiveFrom effectiveTo } } }`,
    );
    expect(body).toEqual({
      data: {
        meteringPoint: {
          supplierRegistrations: [
            { supplier: { id: 'SUPA' }, effectiveFrom: '2025-06-01', effectiveTo: null },
            { supplier: { id: 'SUPB' }, effectiveFrom: '2024-01-01', effectiveTo: '2025-06-01' },
          ],
        },
      },
    });
  });

  it('answers currentSupplier(at:) with the supplier registered on that day: SUPB before the change, SUPA from it', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${first.mpanCore}") {
      beforeAny: currentSupplier(at: "2023-12-31T12:00:00Z") { supplier { id } }
      lastDayOfOld: currentSupplier(at: "2025-05-31T23:59:59Z") { supplier { id } effectiveTo }
      firstDayOfNew: currentSupplier(at: "2025-06-01T00:00:00Z") { supplier { id } effectiveFrom }
      now: currentSupplier { supplier { id } } } }`);
    expect(body).toEqual({
      data: {
        meteringPoint: {
          beforeAny: null,
          lastDayOfOld: { supplier: { id: 'SUPB' }, effectiveTo: '2025-06-01' },
          firstDayOfNew: { supplier: { id: 'SUPA' }, effectiveFrom: '2025-06-01' },
          now: { supplier: { id: 'SUPA' } },
        },
      },
    });
  });
});

describe('meteringPoints', () => {
  it('keeps the order asked, repeats a repeated key and answers null for an unknown one', async () => {
    const [a, b] = [dataset.meteringPoints[2].mpanCore, dataset.meteringPoints[0].mpanCore];
    const body = await query('query($m: [MpanCore!]!) { meteringPoints(mpanCores: $m) { mpanCore } }', { m: [a, UNREGISTERED_MPAN, b, a] });
    expect(body).toEqual({ data: { meteringPoints: [{ mpanCore: a }, null, { mpanCore: b }, { mpanCore: a }] } });
  });

  it('answers 500 keys, the limit', async () => {
    const mpans = Array.from({ length: 500 }, (_, i) => makeMpanCore('12', 9_000_000 + i));
    mpans[499] = first.mpanCore;
    const body = await query('query($m: [MpanCore!]!) { meteringPoints(mpanCores: $m) { mpanCore } }', { m: mpans });
    expect(body.errors).toBeUndefined();
    expect(body.data.meteringPoints).toHaveLength(500);
    expect(body.data.meteringPoints.filter((mp: unknown) => mp !== null)).toEqual([{ mpanCore: first.mpanCore }]);
  });

  it('refuses 501 keys with BAD_USER_INPUT TOO_MANY_KEYS', async () => {
    const mpans = Array.from({ length: 501 }, (_, i) => makeMpanCore('12', 9_000_000 + i));
    const body = await query('query($m: [MpanCore!]!) { meteringPoints(mpanCores: $m) { mpanCore } }', { m: mpans });
    expect(body.data ?? null).toBeNull();
    expect(errorsOf(body)).toEqual([
      {
        message: 'mpanCores: at most 500 per call, got 501',
        path: ['meteringPoints'],
        extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_KEYS' },
      },
    ]);
  });

  it('loads many metering points and their children with one SQL statement per kind of data', async () => {
    const mpans = dataset.meteringPoints.slice(0, 20).map((mp) => mp.mpanCore);
    const db = harness.database('registration');
    const before = db.statementCount;
    const body = await query(
      'query($m: [MpanCore!]!) { meteringPoints(mpanCores: $m) { mpanCore distributor { id } standingData { effectiveFrom } currentSupplier { supplier { id } } meters { meterId } } }',
      { m: mpans },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.meteringPoints.map((mp: { mpanCore: string }) => mp.mpanCore)).toEqual(mpans);
    // Metering points, distributors, standing data, supplier registrations, their suppliers, meters: one statement each.
    expect(db.statementCount - before).toBe(6);
  });
});

describe('the MpanCore scalar', () => {
  it('refuses a literal with a wrong check digit with BAD_USER_INPUT INVALID_MPAN_CORE naming the check digit', async () => {
    const body = await query('{ meteringPoint(mpanCore: "1234567890123") { mpanCore } }');
    expect(body.data ?? null).toBeNull();
    expect(errorsOf(body)).toEqual([
      {
        message: 'MpanCore: MPAN core "1234567890123" fails its check digit: the first 12 digits give 6, the last digit is 3',
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' },
      },
    ]);
  });

  it('refuses a variable with a wrong check digit the same way', async () => {
    const body = await query('query($m: MpanCore!) { meteringPoint(mpanCore: $m) { mpanCore } }', { m: '1234567890123' });
    expect(body.data ?? null).toBeNull();
    expect(errorsOf(body)).toEqual([
      {
        message:
          'Variable "$m" got invalid value "1234567890123"; MpanCore: MPAN core "1234567890123" fails its check digit: the first 12 digits give 6, the last digit is 3',
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' },
      },
    ]);
  });

  it('explains a wrong check digit in a variable every time, also on the request that makes mercurius JIT-compile the query', async () => {
    // mercurius compiles an operation with graphql-jit on its second run (jit: 1) and skips graphql-js' variable
    // coercion on that run; the alias keeps this operation's run count to this test.
    const operation = 'query($m: MpanCore!) { jitProbe: meteringPoint(mpanCore: $m) { mpanCore } }';
    const messages: string[] = [];
    for (const mpanCore of [first.mpanCore, '1234567890123', '1234567890123', '1234567890123']) {
      const body = await query(operation, { m: mpanCore });
      if (body.errors) {
        expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' });
        messages.push(body.errors[0].message);
      }
    }
    const explained =
      'Variable "$m" got invalid value "1234567890123"; MpanCore: MPAN core "1234567890123" fails its check digit: the first 12 digits give 6, the last digit is 3';
    expect(messages).toEqual([explained, explained, explained]);
  });

  it('refuses a 12-digit value saying an MPAN core has 13 digits', async () => {
    const body = await query('query($m: [MpanCore!]!) { meteringPoints(mpanCores: $m) { mpanCore } }', { m: ['123456789012'] });
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' });
    expect(body.errors![0].message).toContain('an MPAN core has 13 digits; "123456789012" has 12');
  });

  it('refuses a number literal with a message that shows the value given', async () => {
    const body = await query('{ meteringPoint(mpanCore: 1200000000420) { mpanCore } }');
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' });
    expect(body.errors![0].message).toContain('1200000000420');
  });

  it('refuses a value with other characters than digits', async () => {
    const body = await query('{ meteringPoint(mpanCore: "12000000004X0") { mpanCore } }');
    expect(errorsOf(body)).toEqual([
      {
        message: 'MpanCore: an MPAN core has digits only; "12000000004X0" contains other characters',
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_MPAN_CORE' },
      },
    ]);
  });
});

describe('reference data', () => {
  it('lists every distributor ordered by id, with its GSP groups', async () => {
    const body = await query('{ distributors { id name kind participant { id } homeGspGroup { id } gspGroups { id } duosTariffIds } }');
    expect(body).toEqual({
      data: {
        distributors: dataset.distributors.map((d) => ({
          id: d.id,
          name: d.name,
          kind: d.kind,
          participant: { id: d.participantId },
          homeGspGroup: d.homeGspGroupId ? { id: d.homeGspGroupId } : null,
          gspGroups: d.gspGroupIds.map((id) => ({ id })),
          duosTariffIds: d.duosTariffIds,
        })),
      },
    });
  });

  it('lists every GSP group ordered by id', async () => {
    const body = await query('{ gspGroups { id name } }');
    expect(body).toEqual({ data: { gspGroups: [...dataset.gspGroups].sort((a, b) => a.id.localeCompare(b.id)) } });
  });

  it('answers marketParticipants in the order asked with null for an unknown id', async () => {
    const body = await query('{ marketParticipants(ids: ["RSVC", "NOBODY", "SDSA"]) { id name roles } }');
    expect(body).toEqual({
      data: {
        marketParticipants: [
          { id: 'RSVC', name: 'Registration Service', roles: ['REGISTRATION_SERVICE'] },
          null,
          { id: 'SDSA', name: 'Alpha Smart Data Services', roles: ['SMART_DATA_SERVICE'] },
        ],
      },
    });
  });

  it('refuses 501 participant ids with BAD_USER_INPUT TOO_MANY_KEYS', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `P${i}`);
    const body = await query('query($ids: [ID!]!) { marketParticipants(ids: $ids) { id } }', { ids });
    expect(errorsOf(body)).toEqual([
      {
        message: 'ids: at most 500 per call, got 501',
        path: ['marketParticipants'],
        extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_KEYS' },
      },
    ]);
  });
});

describe('invalid operations', () => {
  it('refuses a field the schema does not have with GRAPHQL_VALIDATION_FAILED', async () => {
    const body = await query(`{ meteringPoint(mpanCore: "${first.mpanCore}") { consumption } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(body.errors![0].message).toContain('Cannot query field "consumption" on type "MeteringPoint"');
  });
});
