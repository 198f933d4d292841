import { join } from 'node:path';
import type { Subgraph } from '../kit/subgraph';
import { readSdl } from '../kit/read-sdl';
import { readMigrations } from '../kit/migrate';
import { createRegistrationLoaders, RegistrationLoaders } from './loaders';
import { registrationResolvers } from './resolvers';
import { writeRegistrationDataset } from './store';

/** Registration: metering points, their standing data and supplier registrations; the single source of truth (PRI-001). */
export const registration: Subgraph<RegistrationLoaders> = {
  name: 'registration',
  dbSchema: 'registration',
  urlEnv: 'REGISTRATION_URL',
  defaultPort: 4001,
  typeDefs: readSdl(join(__dirname, 'schema.graphql')),
  resolvers: registrationResolvers,
  migrations: readMigrations(join(__dirname, 'migrations')),
  createLoaders: createRegistrationLoaders,
  writeDataset: writeRegistrationDataset,
};
