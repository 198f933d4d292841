import type { Database, Queryable } from '../kit/db';
import { badUserInput, conflict, notFound, Reason } from '../../core';
import * as store from './store';

// The Registration Service's changes to registration data (PRI-001: it is the single source of truth). Each change is
// checked and written in one transaction that holds the metering point's row lock, so two changes to one metering
// point are made one after the other and nothing is half-written.

export interface SupplierRegistrationChange {
  mpanCore: string;
  supplierId: string;
  effectiveFrom: string;
}

/**
 * Records a change of supplier: the latest registration ends on `effectiveFrom` (so none overlap) and the new supplier's
 * starts then. Refused when the MPAN is unknown, the participant is not a supplier, it is already the registered
 * supplier, or the date is not after the latest registration's start.
 */
export async function recordSupplierRegistration(db: Database, change: SupplierRegistrationChange): Promise<store.SupplierRegistration> {
  return db.transaction(async (tx) => {
    await lockRegisteredMeteringPoint(tx, change.mpanCore);
    const [participant] = await store.findParticipants(tx, [change.supplierId]);
    if (!participant) {
      throw notFound(
        Reason.PARTICIPANT_NOT_FOUND,
        `supplierId: no market participant has MPID "${change.supplierId}"; give the MPID of a registered supplier`,
      );
    }
    if (!participant.roles.includes('SUPPLIER')) {
      throw badUserInput(
        Reason.NOT_A_SUPPLIER,
        `supplierId: ${participant.id} holds ${participant.roles.join(', ')}, not SUPPLIER; only a participant with the SUPPLIER role can be registered`,
      );
    }
    const latest = await store.findLatestSupplierRegistration(tx, change.mpanCore);
    if (latest && change.effectiveFrom <= latest.effectiveFrom) {
      throw badUserInput(
        Reason.BEFORE_CURRENT_REGISTRATION,
        `effectiveFrom: ${change.mpanCore} is registered to ${latest.supplierId} from ${latest.effectiveFrom}; a change of supplier must take effect after that day, got ${change.effectiveFrom}`,
      );
    }
    const stillInForce = latest && (latest.effectiveTo === null || latest.effectiveTo > change.effectiveFrom);
    if (latest && stillInForce && latest.supplierId === change.supplierId) {
      throw conflict(
        Reason.ALREADY_REGISTERED_SUPPLIER,
        `${change.supplierId} is already the registered supplier of ${change.mpanCore} (since ${latest.effectiveFrom}); a change of supplier needs a different supplier`,
      );
    }
    // The previous registration ends the day the new one starts: [from, to) ranges never overlap and leave no gap.
    if (latest && stillInForce) await store.endSupplierRegistration(tx, latest, change.effectiveFrom);
    return store.insertSupplierRegistration(tx, change);
  });
}

/**
 * Records a new version of a metering point's standing data after validating it against industry standing data
 * (PRI-012): the GSP group is one of the distributor's, the DUoS tariff is one the distributor publishes, and the
 * metered indicator fits the segment. A second version from the same date is a conflict, never an overwrite.
 */
export async function recordStandingData(db: Database, version: store.StandingData): Promise<store.StandingData> {
  return db.transaction(async (tx) => {
    const meteringPoint = await lockRegisteredMeteringPoint(tx, version.mpanCore);
    const [distributor] = await store.findDistributors(tx, [meteringPoint.distributorId]);
    if (!distributor.gspGroupIds.includes(version.gspGroupId)) {
      throw badUserInput(
        Reason.GSP_GROUP_NOT_VALID_FOR_DISTRIBUTOR,
        `gspGroupId: "${version.gspGroupId}" is not a GSP group of distributor ${distributor.id} (${distributor.name}) (PRI-012); accepted: ${distributor.gspGroupIds.join(', ')}`,
      );
    }
    if (!distributor.duosTariffIds.includes(version.duosTariffId)) {
      throw badUserInput(
        Reason.UNKNOWN_DUOS_TARIFF,
        `duosTariffId: "${version.duosTariffId}" is not a DUoS tariff of distributor ${distributor.id} (${distributor.name}) (PRI-012); accepted: ${distributor.duosTariffIds.join(', ')}`,
      );
    }
    const meteredExpected = version.marketSegment !== 'UNMETERED';
    if (version.metered !== meteredExpected) {
      throw badUserInput(
        Reason.INCONSISTENT_METERED_INDICATOR,
        `metered: the ${version.marketSegment} segment is ${meteredExpected ? 'metered' : 'unmetered'} (PRI-012); send metered: ${meteredExpected}`,
      );
    }
    const stored = await store.insertStandingData(tx, version);
    if (!stored) {
      throw conflict(
        Reason.STANDING_DATA_EXISTS,
        `${version.mpanCore} already has standing data effective from ${version.effectiveFrom}; record the change from another date (each version keeps its own effective date)`,
      );
    }
    return stored;
  });
}

async function lockRegisteredMeteringPoint(tx: Queryable, mpanCore: string): Promise<store.MeteringPoint> {
  const meteringPoint = await store.lockMeteringPoint(tx, mpanCore);
  if (!meteringPoint) {
    throw notFound(Reason.METERING_POINT_NOT_FOUND, `mpanCore: ${mpanCore} is not a registered metering point; give the MPAN core of one`);
  }
  return meteringPoint;
}
