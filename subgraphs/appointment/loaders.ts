import type { Database } from '../kit/db';
import { oneRowPerKey, rowsPerKey } from '../kit/loader-helpers';
import { utcDateOf } from '../../core';
import { appointmentConfig } from './config';
import * as store from './store';

const onDateKey = (key: { mpanCore: string; onDate: string }) => `${key.mpanCore}|${key.onDate}`;

/** This request's loaders: each batch is one SQL statement. */
export function createAppointmentLoaders(db: Database, now: Date) {
  return {
    appointment: oneRowPerKey(
      (ids: readonly string[]) => store.findAppointmentsById(db, ids),
      (row) => row.id,
    ),
    appointmentsByMpan: rowsPerKey(
      (mpans: readonly string[]) => store.findAppointmentsByMpan(db, mpans),
      (row) => row.mpanCore,
    ),
    appointmentsInForce: rowsPerKey(
      (keys: readonly { mpanCore: string; onDate: string }[]) => store.findAppointmentsInForce(db, keys),
      onDateKey,
      onDateKey,
    ),
    messages: rowsPerKey(
      (ids: readonly string[]) => store.findMessagesByAppointment(db, ids, utcDateOf(now), appointmentConfig.registrationServiceId),
      (row) => row.appointmentId,
    ),
  };
}

export type AppointmentLoaders = ReturnType<typeof createAppointmentLoaders>;
