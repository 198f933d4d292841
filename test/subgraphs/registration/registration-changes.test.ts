import { buildDemoDataset } from '../../../dev/build-dataset';
import { startTestStack, TestStack } from '../../support/test-stack';
import type { Actor } from '../../support/test-keys';
import { TEST_NOW } from '../../support/test-clock';
import { expectHidden } from '../../support/hidden-field';

// Registration changes by the Registration Service and the metering point listing for central services, through the
// real gateway with role tokens. Each test uses metering points of its own from the demo dataset (MPAN index i:
// distributor 24 (iDNO) when i % 5 = 4, else 12 (London, _C) for even i and 14 (Midlands, _E) for odd i; supplier
// ['SUPA','SUPB','SUPC'][i % 3], with an earlier supplier when i % 5 = 0; Smart when i % 10 < 6, Advanced < 9, else
// Unmetered).

const dataset = buildDemoDataset(TEST_NOW);
const mpan = (index: number) => dataset.meteringPoints[index].mpanCore;
const UNREGISTERED_MPAN = '1000000000012';

const RS: Actor = { role: 'REGISTRATION_SERVICE', participant: 'RSVC' };
const MDS: Actor = { role: 'MARKET_WIDE_DATA_SERVICE', participant: 'MDSV' };
const SUPA: Actor = { role: 'SUPPLIER', participant: 'SUPA' };
const SUPB: Actor = { role: 'SUPPLIER', participant: 'SUPB' };
const SUPC: Actor = { role: 'SUPPLIER', participant: 'SUPC' };
const LOND: Actor = { role: 'DISTRIBUTOR', participant: 'LOND' };
const SDSA: Actor = { role: 'SMART_DATA_SERVICE', participant: 'SDSA' };

const RECORD_SUPPLIER = `mutation($input: RecordSupplierRegistrationInput!) {
  recordSupplierRegistration(input: $input) { supplier { id } effectiveFrom effectiveTo } }`;
const RECORD_STANDING_DATA = `mutation($input: RecordStandingDataInput!) {
  recordStandingData(input: $input) { effectiveFrom gspGroup { id } marketSegment energisationStatus connectionType energyDirection metered duosTariffId } }`;
const REGISTRATIONS = `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { supplierRegistrations { supplier { id } effectiveFrom effectiveTo } } }`;
const STANDING_HISTORY = `query($m: MpanCore!) { meteringPoint(mpanCore: $m) { standingDataHistory { effectiveFrom energisationStatus gspGroup { id } } } }`;
const PAGE = `query($first: Int, $after: String) { meteringPointPage(first: $first, after: $after) { nodes { mpanCore } endCursor hasNextPage } }`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

/** The one error of a response: its message, code and reason. */
function refusal(body: any) {
  expect(body.errors).toHaveLength(1);
  const [{ message, extensions }] = body.errors;
  return { message, code: extensions.code, reason: extensions.reason };
}

const recordSupplier = async (input: { mpanCore: string; supplierId: string; effectiveFrom: string }, as: Actor = RS) =>
  (await stack.query(RECORD_SUPPLIER, { input }, as)).body;

const registrations = async (mpanCore: string) =>
  (await stack.query(REGISTRATIONS, { m: mpanCore }, RS)).body.data.meteringPoint.supplierRegistrations;

/** A valid standing data version for MPAN `index`: its current one, from `effectiveFrom`, with `changes`. */
function standingData(index: number, effectiveFrom: string, changes: Record<string, unknown> = {}) {
  const { mpanCore, gspGroupId, marketSegment, energisationStatus, connectionType, energyDirection, metered, duosTariffId } =
    dataset.standingData.find((row) => row.mpanCore === mpan(index))!;
  return {
    mpanCore,
    effectiveFrom,
    gspGroupId,
    marketSegment,
    energisationStatus,
    connectionType,
    energyDirection,
    metered,
    duosTariffId,
    ...changes,
  };
}

const recordStandingData = async (input: Record<string, unknown>, as: Actor = RS) => stack.query(RECORD_STANDING_DATA, { input }, as);

describe('recordSupplierRegistration', () => {
  it('PRI-001: only the Registration Service records a change of supplier', async () => {
    const { status, body } = await stack.query(
      RECORD_SUPPLIER,
      { input: { mpanCore: mpan(1), supplierId: 'SUPA', effectiveFrom: '2026-12-01' } },
      SUPA,
    );
    expectHidden({ status, body }, 'Mutation.recordSupplierRegistration');
    expect(await registrations(mpan(1))).toEqual([{ supplier: { id: 'SUPB' }, effectiveFrom: '2024-01-01', effectiveTo: null }]);
  });

  it('PRI-001: a change of supplier ends the previous registration on its effective date, so registrations never overlap', async () => {
    // MPAN 1: SUPB since 2024-01-01.
    expect(await recordSupplier({ mpanCore: mpan(1), supplierId: 'SUPC', effectiveFrom: '2026-12-01' })).toEqual({
      data: { recordSupplierRegistration: { supplier: { id: 'SUPC' }, effectiveFrom: '2026-12-01', effectiveTo: null } },
    });
    expect(await registrations(mpan(1))).toEqual([
      { supplier: { id: 'SUPC' }, effectiveFrom: '2026-12-01', effectiveTo: null },
      { supplier: { id: 'SUPB' }, effectiveFrom: '2024-01-01', effectiveTo: '2026-12-01' },
    ]);
    // Registrations are on a UTC basis: the last day of the old supplier, then the first of the new.
    const { body } = await stack.query(
      `query($m: MpanCore!) { meteringPoint(mpanCore: $m) {
        before: currentSupplier(at: "2026-11-30T23:59:59Z") { supplier { id } }
        after: currentSupplier(at: "2026-12-01T00:00:00Z") { supplier { id } } } }`,
      { m: mpan(1) },
      RS,
    );
    expect(body.data.meteringPoint).toEqual({ before: { supplier: { id: 'SUPB' } }, after: { supplier: { id: 'SUPC' } } });
    // The new supplier's row scope follows the registration at once: it now lists the metering point.
    const page = (await stack.query(PAGE, { first: 1000 }, SUPC)).body.data.meteringPointPage;
    expect(page.nodes.map((n: { mpanCore: string }) => n.mpanCore)).toContain(mpan(1));
  });

  it('refuses a participant that does not hold the SUPPLIER role, and an unknown one, changing nothing', async () => {
    const before = await registrations(mpan(7));
    expect(refusal(await recordSupplier({ mpanCore: mpan(7), supplierId: 'SDSA', effectiveFrom: '2026-12-01' }))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_SUPPLIER',
      message: 'supplierId: SDSA holds SMART_DATA_SERVICE, not SUPPLIER; only a participant with the SUPPLIER role can be registered',
    });
    expect(refusal(await recordSupplier({ mpanCore: mpan(7), supplierId: 'NOBODY', effectiveFrom: '2026-12-01' }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'PARTICIPANT_NOT_FOUND',
      message: 'supplierId: no market participant has MPID "NOBODY"; give the MPID of a registered supplier',
    });
    expect(await registrations(mpan(7))).toEqual(before);
  });

  it('refuses an effective date that is not after the start of the current registration', async () => {
    // MPAN 10: SUPC from 2024-01-01 to 2025-06-01, then SUPB.
    for (const effectiveFrom of ['2025-05-31', '2025-06-01']) {
      expect(refusal(await recordSupplier({ mpanCore: mpan(10), supplierId: 'SUPA', effectiveFrom }))).toEqual({
        code: 'BAD_USER_INPUT',
        reason: 'BEFORE_CURRENT_REGISTRATION',
        message: `effectiveFrom: ${mpan(10)} is registered to SUPB from 2025-06-01; a change of supplier must take effect after that day, got ${effectiveFrom}`,
      });
    }
    expect(await registrations(mpan(10))).toEqual([
      { supplier: { id: 'SUPB' }, effectiveFrom: '2025-06-01', effectiveTo: null },
      { supplier: { id: 'SUPC' }, effectiveFrom: '2024-01-01', effectiveTo: '2025-06-01' },
    ]);
  });

  it('refuses the registered supplier as its own successor (CONFLICT)', async () => {
    // MPAN 13: SUPB since 2024-01-01.
    expect(refusal(await recordSupplier({ mpanCore: mpan(13), supplierId: 'SUPB', effectiveFrom: '2026-12-01' }))).toEqual({
      code: 'CONFLICT',
      reason: 'ALREADY_REGISTERED_SUPPLIER',
      message: `SUPB is already the registered supplier of ${mpan(13)} (since 2024-01-01); a change of supplier needs a different supplier`,
    });
  });

  it('refuses an MPAN the Registration Service does not hold (NOT_FOUND)', async () => {
    expect(refusal(await recordSupplier({ mpanCore: UNREGISTERED_MPAN, supplierId: 'SUPA', effectiveFrom: '2026-12-01' }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'METERING_POINT_NOT_FOUND',
      message: `mpanCore: ${UNREGISTERED_MPAN} is not a registered metering point; give the MPAN core of one`,
    });
  });

  it('PRI-001: two changes of supplier for one MPAN at once: exactly one wins and the history never overlaps', async () => {
    // MPAN 16: SUPB since 2024-01-01.
    const answers = await Promise.all(
      ['SUPA', 'SUPC'].map((supplierId) => recordSupplier({ mpanCore: mpan(16), supplierId, effectiveFrom: '2027-01-01' })),
    );
    const winners = answers.filter((body) => body.data?.recordSupplierRegistration);
    const losers = answers.filter((body) => body.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map((body) => refusal(body).reason)).toEqual(['BEFORE_CURRENT_REGISTRATION']);
    const winner = winners[0].data.recordSupplierRegistration.supplier.id;
    expect(await registrations(mpan(16))).toEqual([
      { supplier: { id: winner }, effectiveFrom: '2027-01-01', effectiveTo: null },
      { supplier: { id: 'SUPB' }, effectiveFrom: '2024-01-01', effectiveTo: '2027-01-01' },
    ]);
  });
});

describe('recordStandingData', () => {
  it('PRI-001: only the Registration Service records standing data', async () => {
    const { status, body } = await recordStandingData(standingData(11, '2026-12-01'), LOND);
    expectHidden({ status, body }, 'Mutation.recordStandingData');
  });

  it('PRI-012: stores a version validated against industry standing data, in force from its effective date', async () => {
    // MPAN 11: distributor 14 (Midlands, _E), Smart, energised since 2024-01-01.
    const { body } = await recordStandingData(standingData(11, '2026-12-01', { energisationStatus: 'DE_ENERGISED' }));
    expect(body).toEqual({
      data: {
        recordStandingData: {
          effectiveFrom: '2026-12-01',
          gspGroup: { id: '_E' },
          marketSegment: 'SMART',
          energisationStatus: 'DE_ENERGISED',
          connectionType: 'WHOLE_CURRENT',
          energyDirection: 'IMPORT',
          metered: true,
          duosTariffId: 'MID-DOM1',
        },
      },
    });
    const history = await stack.query(STANDING_HISTORY, { m: mpan(11) }, RS);
    expect(history.body.data.meteringPoint.standingDataHistory).toEqual([
      { effectiveFrom: '2026-12-01', energisationStatus: 'DE_ENERGISED', gspGroup: { id: '_E' } },
      { effectiveFrom: '2024-01-01', energisationStatus: 'ENERGISED', gspGroup: { id: '_E' } },
    ]);
    const onDays = await stack.query(
      `query($m: MpanCore!) { meteringPoint(mpanCore: $m) {
        before: standingData(at: "2026-11-30T23:30:00Z") { energisationStatus }
        from: standingData(at: "2026-12-01T00:00:00Z") { energisationStatus } } }`,
      { m: mpan(11) },
      MDS,
    );
    expect(onDays.body.data.meteringPoint).toEqual({
      before: { energisationStatus: 'ENERGISED' },
      from: { energisationStatus: 'DE_ENERGISED' },
    });
  });

  it('PRI-012: refuses a GSP group that is not valid for the distributor', async () => {
    const { body } = await recordStandingData(standingData(21, '2026-12-01', { gspGroupId: '_C' }));
    expect(refusal(body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'GSP_GROUP_NOT_VALID_FOR_DISTRIBUTOR',
      message: 'gspGroupId: "_C" is not a GSP group of distributor 14 (Midlands West Networks) (PRI-012); accepted: _E',
    });
  });

  it('PRI-012: accepts any GSP group of an iDNO, which is valid in many', async () => {
    // MPAN 4: distributor 24 (iDNO in _A, _C, _E, _H), in _C.
    const { body } = await recordStandingData(standingData(4, '2026-12-01', { gspGroupId: '_H' }));
    expect(body.data.recordStandingData.gspGroup).toEqual({ id: '_H' });
    expect(refusal((await recordStandingData(standingData(4, '2026-12-02', { gspGroupId: '_B' }))).body)).toMatchObject({
      reason: 'GSP_GROUP_NOT_VALID_FOR_DISTRIBUTOR',
      message: expect.stringContaining('accepted: _A, _C, _E, _H'),
    });
  });

  it('PRI-012: refuses a DUoS tariff the distributor does not publish', async () => {
    const { body } = await recordStandingData(standingData(23, '2026-12-01', { duosTariffId: 'LDN-DOM1' }));
    expect(refusal(body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_DUOS_TARIFF',
      message:
        'duosTariffId: "LDN-DOM1" is not a DUoS tariff of distributor 14 (Midlands West Networks) (PRI-012); accepted: MID-DOM1, MID-HH1, MID-UMS1',
    });
  });

  it('PRI-012: refuses a segment, energisation or other code that is not known, before anything runs', async () => {
    for (const changes of [
      { marketSegment: 'DOMESTIC' },
      { energisationStatus: 'X' },
      { connectionType: 'LV' },
      { energyDirection: 'BOTH' },
    ]) {
      const { body } = await recordStandingData(standingData(25, '2026-12-01', changes));
      const [field, value] = Object.entries(changes)[0];
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining(`Value "${value}" does not exist in`),
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
      expect(body.errors[0].message).toContain(`at "input.${field}"`);
    }
    const history = await stack.query(STANDING_HISTORY, { m: mpan(25) }, RS);
    expect(history.body.data.meteringPoint.standingDataHistory).toHaveLength(1);
  });

  it('PRI-012: refuses a metered indicator that does not fit the market segment', async () => {
    // MPAN 29: Unmetered.
    const { body } = await recordStandingData(standingData(29, '2026-12-01', { metered: true }));
    expect(refusal(body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INCONSISTENT_METERED_INDICATOR',
      message: 'metered: the UNMETERED segment is unmetered (PRI-012); send metered: false',
    });
  });

  it('refuses a second version from the same effective date (CONFLICT), keeping the first', async () => {
    const { body } = await recordStandingData(standingData(27, '2024-01-01', { energisationStatus: 'DE_ENERGISED' }));
    expect(refusal(body)).toEqual({
      code: 'CONFLICT',
      reason: 'STANDING_DATA_EXISTS',
      message: `${mpan(27)} already has standing data effective from 2024-01-01; record the change from another date (each version keeps its own effective date)`,
    });
    const history = await stack.query(STANDING_HISTORY, { m: mpan(27) }, RS);
    expect(history.body.data.meteringPoint.standingDataHistory).toEqual([
      { effectiveFrom: '2024-01-01', energisationStatus: 'ENERGISED', gspGroup: { id: '_E' } },
    ]);
  });

  it('refuses standing data for an MPAN the Registration Service does not hold (NOT_FOUND)', async () => {
    const { body } = await recordStandingData({ ...standingData(11, '2026-12-05'), mpanCore: UNREGISTERED_MPAN });
    expect(refusal(body)).toMatchObject({ code: 'NOT_FOUND', reason: 'METERING_POINT_NOT_FOUND' });
  });
});

describe('meteringPointPage', () => {
  const allMpans = dataset.meteringPoints.map((mp) => mp.mpanCore).sort();

  /** Every MPAN core `as` can list, page by page, and the number of pages it took. */
  async function listAll(as: Actor, first: number) {
    const mpanCores: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await stack.query(PAGE, { first, after }, as);
      expect(body.errors).toBeUndefined();
      const page = body.data.meteringPointPage;
      pages++;
      mpanCores.push(...page.nodes.map((n: { mpanCore: string }) => n.mpanCore));
      if (!page.hasNextPage) return { mpanCores, pages };
      after = page.endCursor;
    }
  }

  it('lets the Registration Service and the Market-wide Data Service page through every metering point in MPAN order', async () => {
    expect(await listAll(RS, 20)).toEqual({ mpanCores: allMpans, pages: 3 });
    expect(await listAll(MDS, 500)).toEqual({ mpanCores: allMpans, pages: 1 });
  });

  it('lists for a supplier the metering points it is or was registered for, and for a distributor those on its network', async () => {
    const ofSupplier = [...new Set(dataset.supplierRegistrations.filter((r) => r.supplierId === 'SUPB').map((r) => r.mpanCore))].sort();
    expect((await listAll(SUPB, 7)).mpanCores).toEqual(ofSupplier);
    const ofLondon = dataset.meteringPoints
      .filter((mp) => mp.distributorId === '12')
      .map((mp) => mp.mpanCore)
      .sort();
    expect((await listAll(LOND, 1000)).mpanCores).toEqual(ofLondon);
  });

  it('answers a page with one SQL statement in the registration subgraph', async () => {
    const before = stack.statementCounts().registration;
    await stack.query(PAGE, { first: 50 }, MDS);
    expect(stack.statementCounts().registration - before).toBe(1);
  });

  it('is not offered to data services, which find their metering points through their appointments', async () => {
    const { status, body } = await stack.query(PAGE, { first: 10 }, SDSA);
    expectHidden({ status, body }, 'Query.meteringPointPage');
  });

  it('refuses a page size outside 1 to 1000 and a cursor it did not write', async () => {
    for (const first of [0, 1001]) {
      expect(refusal((await stack.query(PAGE, { first }, RS)).body)).toEqual({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_PAGE_SIZE',
        message: `meteringPointPage: first must be between 1 and 1000, got ${first}; page with after/endCursor`,
      });
    }
    expect(refusal((await stack.query(PAGE, { first: 10, after: 'not-a-cursor' }, RS)).body)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
      message: 'after: "not-a-cursor" is not a cursor returned by meteringPointPage; pass its endCursor',
    });
  });
});
