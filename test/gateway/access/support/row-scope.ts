import type { Actor } from '../../../support/test-keys';
import { DEMO } from './access-fixtures';

// The row scope each role is promised (DESIGN.md "row scoping"), restated from the demo dataset so that the tests do
// not trust the product's own scope code: a supplier sees the metering points it supplies, for its registration
// periods; a data or metering service those it is appointed to (accepted appointments, for their periods); a
// distributor its network; a meter reading service those with an open read request for it; REGISTRATION_SERVICE and
// MARKET_WIDE_DATA_SERVICE all; VOLUME_ALLOCATION_SERVICE and CENTRAL_REGISTRATION_AGENT none.

/** UTC days [from, to) of a scope; to null while open. */
interface DayRange {
  from: string;
  to: string | null;
}

const ALL_TIME: DayRange[] = [{ from: '0000-01-01', to: null }];

/** What a row with a canary belongs to, and so who may see it. */
export type RowOwner =
  | { kind: 'central' }
  /** A fact of a metering point without a date of its own (address, meter, standing data). */
  | { kind: 'metering-point'; mpanCore: string }
  /** Metering data of one UTC day (an interval, a reading): visible only within the caller's periods. */
  | { kind: 'dated'; mpanCore: string; day: string }
  | { kind: 'read-request'; mpanCore: string; status: string; meterReadingServiceId: string }
  | { kind: 'appointment'; mpanCore: string; supplierId: string; providerId: string }
  | { kind: 'settlement-exception'; supplierId: string; dataServiceId: string }
  /** A commercially sensitive CRA attribute of a BSC party or of a BM unit it leads (@access ownPartyOnly). */
  | { kind: 'own-party'; bscPartyId: string };

/** The periods during which `actor` may see metering point `mpanCore`; empty when it may not see it at all. */
export function scopeOf(actor: Actor, mpanCore: string): DayRange[] {
  const { role, participant } = actor;
  switch (role) {
    case 'REGISTRATION_SERVICE':
    case 'MARKET_WIDE_DATA_SERVICE':
      return ALL_TIME;
    case 'VOLUME_ALLOCATION_SERVICE':
    case 'CENTRAL_REGISTRATION_AGENT':
      return [];
    case 'SUPPLIER':
      return DEMO.supplierRegistrations
        .filter((r) => r.mpanCore === mpanCore && r.supplierId === participant)
        .map((r) => ({ from: r.effectiveFrom, to: r.effectiveTo }));
    case 'DISTRIBUTOR': {
      const mp = DEMO.meteringPoints.find((m) => m.mpanCore === mpanCore);
      const distributor = DEMO.distributors.find((d) => d.id === mp?.distributorId);
      return distributor?.participantId === participant ? ALL_TIME : [];
    }
    case 'METER_READING_SERVICE':
      return DEMO.readRequests.some((q) => q.mpanCore === mpanCore && q.status === 'OPEN' && q.meterReadingServiceId === participant)
        ? ALL_TIME
        : [];
    default:
      return DEMO.appointments
        .filter((a) => a.mpanCore === mpanCore && a.providerId === participant && a.serviceRole === role && a.decision === 'ACCEPTED')
        .map((a) => ({ from: a.effectiveFrom, to: a.effectiveTo }));
  }
}

const inRanges = (day: string, ranges: readonly DayRange[]) => ranges.some((r) => r.from <= day && (r.to === null || day < r.to));
// Named one by one: MARKET_WIDE_DATA_SERVICE ends in _DATA_SERVICE but is a central service, not an appointed one.
const DATA_SERVICES: ReadonlySet<string> = new Set(['SMART_DATA_SERVICE', 'ADVANCED_DATA_SERVICE', 'UNMETERED_DATA_SERVICE']);
const SERVICE_PROVIDERS: ReadonlySet<string> = new Set([...DATA_SERVICES, 'SMART_METERING_SERVICE', 'ADVANCED_METERING_SERVICE']);

/** Whether `actor` may see a row owned by `owner` (the field rules aside). */
export function rowVisibleTo(actor: Actor, owner: RowOwner): boolean {
  switch (owner.kind) {
    case 'central':
      return true;
    case 'metering-point':
      return scopeOf(actor, owner.mpanCore).length > 0;
    case 'dated':
      return inRanges(owner.day, scopeOf(actor, owner.mpanCore));
    case 'read-request':
      return actor.role === 'METER_READING_SERVICE'
        ? owner.status === 'OPEN' && owner.meterReadingServiceId === actor.participant
        : scopeOf(actor, owner.mpanCore).length > 0;
    case 'appointment':
      if (actor.role === 'SUPPLIER') return owner.supplierId === actor.participant;
      if (SERVICE_PROVIDERS.has(actor.role)) return owner.providerId === actor.participant;
      return scopeOf(actor, owner.mpanCore).length > 0;
    case 'settlement-exception':
      if (actor.role === 'SUPPLIER') return owner.supplierId === actor.participant;
      if (DATA_SERVICES.has(actor.role)) return owner.dataServiceId === actor.participant;
      return true;
    case 'own-party':
      // A supplier only its own party's; the central roles allowed the field see every party's.
      if (actor.role === 'SUPPLIER')
        return DEMO.bscPartyParticipants.some((link) => link.bscPartyId === owner.bscPartyId && link.participantId === actor.participant);
      return true;
  }
}
