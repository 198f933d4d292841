import { buildDemoDataset } from '../../../dev/build-dataset';
import type { AppointmentRow } from '../../../subgraphs/appointment/rows';
import { appointmentStatusOn } from '../../../subgraphs/appointment/appointment-status';
import { entitiesQuery, openSubgraphs, SubgraphHarness } from '../../support/subgraph-inject';
import { TEST_NOW } from '../../support/test-clock';

const dataset = buildDemoDataset(TEST_NOW);
/** Switched supplier on 2025-06-01: an ended data service appointment (DS0) and an active one (DS1). */
const switched = dataset.meteringPoints[0];
/** A Smart MPAN whose data service changes on 2026-12-15 (DS1 ends, DS2 starts). */
const changing = dataset.meteringPoints[1];
/** Has an unanswered request (DS3). */
const pending = dataset.meteringPoints[2];
/** Has a rejected request (DS4). */
const rejected = dataset.meteringPoints[3];

const appointmentById = (id: string): AppointmentRow => {
  const found = dataset.appointments.find((a) => a.id === id);
  if (!found) throw new Error(`no appointment ${id} in the demo dataset`);
  return found;
};

/** The messages of an appointment as the API shows them. */
const messagesOf = (appointment: AppointmentRow) =>
  appointment.messages.map((m) => ({
    interface: m.interfaceId,
    from: { id: m.fromParticipantId },
    to: { id: m.toParticipantId },
    sentAt: m.sentAt.toISOString(),
    outcome: m.outcome,
    reason: m.reason,
  }));

const MESSAGE_FIELDS = 'interface from { id } to { id } sentAt outcome reason';

let harness: SubgraphHarness;
const query = (text: string, variables?: Record<string, unknown>) => harness.query('appointment', text, variables);

beforeAll(async () => {
  harness = await openSubgraphs(['appointment']);
});

afterAll(async () => {
  await harness.close();
});

describe('appointment', () => {
  it('returns an appointment with its status today and its whole message trail, oldest first', async () => {
    const active = appointmentById(`APT-${switched.mpanCore}-DS1`);
    const body = await query(`{ appointment(id: "${active.id}") {
      id meteringPoint { mpanCore } serviceRole provider { id } requestingSupplier { id } scenario contractReference
      effectiveFrom effectiveTo status requestedAt respondBy messages { ${MESSAGE_FIELDS} } } }`);
    expect(body).toEqual({
      data: {
        appointment: {
          id: active.id,
          meteringPoint: { mpanCore: switched.mpanCore },
          serviceRole: 'SMART_DATA_SERVICE',
          provider: { id: 'SDSA' },
          requestingSupplier: { id: 'SUPA' },
          scenario: 'CHANGE_OF_SUPPLIER',
          contractReference: 'CTR-SUPA-SDSA-0',
          effectiveFrom: '2025-06-01',
          effectiveTo: null,
          status: 'ACTIVE',
          requestedAt: '2025-05-01T10:00:00.000Z',
          respondBy: '2025-05-06T10:00:00.000Z',
          messages: [
            {
              interface: 'IF_031',
              from: { id: 'SUPA' },
              to: { id: 'RSVC' },
              sentAt: '2025-05-01T10:00:00.000Z',
              outcome: null,
              reason: null,
            },
            {
              interface: 'IF_032',
              from: { id: 'RSVC' },
              to: { id: 'SUPA' },
              sentAt: '2025-05-01T10:06:00.000Z',
              outcome: 'ACCEPTED',
              reason: null,
            },
            {
              interface: 'IF_033',
              from: { id: 'RSVC' },
              to: { id: 'SDSA' },
              sentAt: '2025-05-01T10:12:00.000Z',
              outcome: null,
              reason: null,
            },
            {
              interface: 'PROVIDER_RESPONSE',
              from: { id: 'SDSA' },
              to: { id: 'RSVC' },
              sentAt: '2025-05-02T06:00:00.000Z',
              outcome: 'ACCEPTED',
              reason: null,
            },
            {
              interface: 'IF_035',
              from: { id: 'RSVC' },
              to: { id: 'SUPA' },
              sentAt: '2025-05-02T06:06:00.000Z',
              outcome: 'ACCEPTED',
              reason: null,
            },
            {
              interface: 'IF_036',
              from: { id: 'RSVC' },
              to: { id: 'SDSA' },
              sentAt: '2025-05-15T10:00:00.000Z',
              outcome: null,
              reason: null,
            },
          ],
        },
      },
    });
  });

  it('returns null for an unknown id', async () => {
    expect(await query('{ appointment(id: "APT-NONE") { id } }')).toEqual({ data: { appointment: null } });
  });

  it('shows a rejection and its reason travelling back to the supplier through the registration service (PRI-007)', async () => {
    const refused = appointmentById(`APT-${rejected.mpanCore}-DS4`);
    const body = await query(`{ appointment(id: "${refused.id}") { status messages { ${MESSAGE_FIELDS} } } }`);
    expect(body).toEqual({ data: { appointment: { status: 'REJECTED', messages: messagesOf(refused) } } });
    expect(body.data.appointment.messages.map((m: { interface: string }) => m.interface)).toEqual([
      'IF_031',
      'IF_032',
      'IF_033',
      'PROVIDER_RESPONSE',
      'IF_035',
    ]);
    expect(body.data.appointment.messages.slice(3).map((m: { outcome: string; reason: string }) => [m.outcome, m.reason])).toEqual([
      ['REJECTED', 'No contract in place with the requesting supplier'],
      ['REJECTED', 'No contract in place with the requesting supplier'],
    ]);
  });

  it('shows an unanswered request with only the request messages', async () => {
    const requested = appointmentById(`APT-${pending.mpanCore}-DS3`);
    const body = await query(`{ appointment(id: "${requested.id}") { status messages { interface } } }`);
    expect(body).toEqual({
      data: { appointment: { status: 'REQUESTED', messages: [{ interface: 'IF_031' }, { interface: 'IF_032' }, { interface: 'IF_033' }] } },
    });
  });

  it('refuses an operation without the required id with GRAPHQL_VALIDATION_FAILED', async () => {
    const body = await query('{ appointment { id } }');
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('appointment history and status', () => {
  const everyMpan = dataset.meteringPoints.map((mp) => ({ __typename: 'MeteringPoint', mpanCore: mp.mpanCore }));

  afterEach(() => harness.clock.set(TEST_NOW));

  it("gives every appointment the status derived from its decision and dates on the business clock's UTC date", async () => {
    const today = harness.clock.utcDay();
    const body = await query(entitiesQuery('MeteringPoint', 'mpanCore appointmentHistory { id status effectiveFrom }'), { r: everyMpan });
    const expected = dataset.meteringPoints.map((mp) => ({
      mpanCore: mp.mpanCore,
      appointmentHistory: dataset.appointments
        .filter((a) => a.mpanCore === mp.mpanCore)
        .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || a.id.localeCompare(b.id))
        .map((a) => ({ id: a.id, status: appointmentStatusOn(a, today), effectiveFrom: a.effectiveFrom })),
    }));
    expect(body).toEqual({ data: { _entities: expected } });
  });

  it('has appointments of every status in the demo data', async () => {
    const body = await query(entitiesQuery('MeteringPoint', 'appointmentHistory { status }'), { r: everyMpan });
    const statuses = new Set<string>(
      body.data._entities.flatMap((mp: { appointmentHistory: { status: string }[] }) => mp.appointmentHistory.map((a) => a.status)),
    );
    expect([...statuses].sort()).toEqual(['ACCEPTED', 'ACTIVE', 'ENDED', 'REJECTED', 'REQUESTED']);
  });

  it('turns an accepted change ACTIVE on its effective UTC day and the replaced one ENDED, with no job run (PRI-018)', async () => {
    const statusesOf = async () => {
      const body = await query(entitiesQuery('MeteringPoint', 'appointmentHistory { id status }'), {
        r: [{ __typename: 'MeteringPoint', mpanCore: changing.mpanCore }],
      });
      return Object.fromEntries(
        body.data._entities[0].appointmentHistory.map((a: { id: string; status: string }) => [a.id.split('-').pop(), a.status]),
      );
    };
    harness.clock.set('2026-12-14T23:59:59Z');
    expect(await statusesOf()).toEqual({ DS2: 'ACCEPTED', DS1: 'ACTIVE', MS1: 'ACTIVE' });
    harness.clock.set('2026-12-15T00:00:00Z');
    expect(await statusesOf()).toEqual({ DS2: 'ACTIVE', DS1: 'ENDED', MS1: 'ACTIVE' });
  });

  it('lists the appointment history newest effective date first', async () => {
    const body = await query(entitiesQuery('MeteringPoint', 'appointmentHistory { id effectiveFrom effectiveTo }'), {
      r: [{ __typename: 'MeteringPoint', mpanCore: changing.mpanCore }],
    });
    expect(body).toEqual({
      data: {
        _entities: [
          {
            appointmentHistory: [
              { id: `APT-${changing.mpanCore}-DS2`, effectiveFrom: '2026-12-15', effectiveTo: null },
              { id: `APT-${changing.mpanCore}-DS1`, effectiveFrom: '2024-01-01', effectiveTo: '2026-12-15' },
              { id: `APT-${changing.mpanCore}-MS1`, effectiveFrom: '2024-01-01', effectiveTo: null },
            ],
          },
        ],
      },
    });
  });

  it('ends a message trail with IF_036 only for an accepted appointment that has come into force', async () => {
    const ids = dataset.appointments.map((a) => a.id);
    const body = await query(entitiesQuery('Appointment', 'id messages { interface }'), {
      r: ids.map((id) => ({ __typename: 'Appointment', id })),
    });
    expect(body).toEqual({
      data: { _entities: dataset.appointments.map((a) => ({ id: a.id, messages: a.messages.map((m) => ({ interface: m.interfaceId })) })) },
    });
    const future = body.data._entities.find((a: { id: string }) => a.id === `APT-${changing.mpanCore}-DS2`);
    expect(future.messages.map((m: { interface: string }) => m.interface)).toEqual([
      'IF_031',
      'IF_032',
      'IF_033',
      'PROVIDER_RESPONSE',
      'IF_035',
    ]);

    // From its effective date on, the trail ends with IF_036 dated that day, whether or not a job stored it.
    harness.clock.set('2026-12-15T00:00:00Z');
    const inForce = await query(entitiesQuery('Appointment', 'messages { interface sentAt }'), {
      r: [{ __typename: 'Appointment', id: future.id }],
    });
    expect(inForce.data._entities[0].messages.at(-1)).toEqual({ interface: 'IF_036', sentAt: '2026-12-15T00:00:00.000Z' });
  });
});

describe('currentAppointments', () => {
  const current = (mpanCore: string, at: string) =>
    query(entitiesQuery('MeteringPoint', `currentAppointments(at: "${at}") { id serviceRole provider { id } }`), {
      r: [{ __typename: 'MeteringPoint', mpanCore }],
    });

  it('switches data service on the effective date of the new appointment, on a UTC basis (PRI-018)', async () => {
    const dayBefore = await current(changing.mpanCore, '2026-12-14T23:59:59Z');
    const onTheDay = await current(changing.mpanCore, '2026-12-15T00:00:00Z');
    const meteringService = { id: `APT-${changing.mpanCore}-MS1`, serviceRole: 'SMART_METERING_SERVICE', provider: { id: 'MSSA' } };
    expect(dayBefore).toEqual({
      data: {
        _entities: [
          {
            currentAppointments: [
              { id: `APT-${changing.mpanCore}-DS1`, serviceRole: 'SMART_DATA_SERVICE', provider: { id: 'SDSA' } },
              meteringService,
            ],
          },
        ],
      },
    });
    expect(onTheDay).toEqual({
      data: {
        _entities: [
          {
            currentAppointments: [
              { id: `APT-${changing.mpanCore}-DS2`, serviceRole: 'SMART_DATA_SERVICE', provider: { id: 'SDSB' } },
              meteringService,
            ],
          },
        ],
      },
    });
  });

  it("shows the previous supplier's data service before a change of supplier", async () => {
    const body = await current(switched.mpanCore, '2025-05-31T12:00:00Z');
    expect(body).toEqual({
      data: {
        _entities: [
          {
            currentAppointments: [
              { id: `APT-${switched.mpanCore}-DS0`, serviceRole: 'SMART_DATA_SERVICE', provider: { id: 'SDSB' } },
              { id: `APT-${switched.mpanCore}-MS0`, serviceRole: 'SMART_METERING_SERVICE', provider: { id: 'MSSA' } },
            ],
          },
        ],
      },
    });
  });

  it('never puts a rejected or unanswered request in force', async () => {
    const afterRejected = await current(rejected.mpanCore, '2026-12-02T00:00:00Z');
    const afterRequested = await current(pending.mpanCore, '2026-12-21T00:00:00Z');
    expect(afterRejected.data._entities[0].currentAppointments.map((a: { id: string }) => a.id)).toEqual([
      `APT-${rejected.mpanCore}-DS1`,
      `APT-${rejected.mpanCore}-MS1`,
    ]);
    expect(afterRequested.data._entities[0].currentAppointments.map((a: { id: string }) => a.id)).toEqual([
      `APT-${pending.mpanCore}-DS1`,
      `APT-${pending.mpanCore}-MS1`,
    ]);
  });

  it('answers empty lists for a metering point with no appointments', async () => {
    const body = await query(entitiesQuery('MeteringPoint', 'mpanCore currentAppointments { id } appointmentHistory { id }'), {
      r: [{ __typename: 'MeteringPoint', mpanCore: '1000000000012' }],
    });
    expect(body).toEqual({ data: { _entities: [{ mpanCore: '1000000000012', currentAppointments: [], appointmentHistory: [] }] } });
  });

  it('refuses an `at` that is not an ISO 8601 instant with BAD_USER_INPUT INVALID_DATE_TIME', async () => {
    const body = await current(switched.mpanCore, 'yesterday');
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE_TIME' });
    expect(body.errors![0].message).toContain('DateTime: expected ISO 8601 with an offset');
  });
});
