import { join } from 'node:path';
import type { Subgraph } from '../kit/subgraph';
import { readSdl } from '../kit/read-sdl';
import { readMigrations } from '../kit/migrate';
import { createAppointmentLoaders, AppointmentLoaders } from './loaders';
import { appointmentResolvers } from './resolvers';
import { writeAppointmentDataset } from './store';

/** Appointment: which data and metering services are appointed to a metering point, and the message trail. */
export const appointment: Subgraph<AppointmentLoaders> = {
  name: 'appointment',
  dbSchema: 'appointment',
  urlEnv: 'APPOINTMENT_URL',
  defaultPort: 4003,
  typeDefs: readSdl(join(__dirname, 'schema.graphql')),
  resolvers: appointmentResolvers,
  migrations: readMigrations(join(__dirname, 'migrations')),
  createLoaders: createAppointmentLoaders,
  writeDataset: writeAppointmentDataset,
};
