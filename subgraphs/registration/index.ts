import { defineSubgraph } from '../kit/define-subgraph';
import { createRegistrationLoaders } from './loaders';
import { registrationResolvers } from './resolvers';
import { writeRegistrationDataset } from './store';
import { registrationResponsibilities } from './responsibilities';

/** Registration: metering points, their standing data and supplier registrations; the single source of truth (PRI-001). */
export const registration = defineSubgraph(__dirname, {
  name: 'registration',
  dbSchema: 'registration',
  urlEnv: 'REGISTRATION_URL',
  defaultPort: 4001,
  resolvers: registrationResolvers,
  createLoaders: createRegistrationLoaders,
  writeDataset: writeRegistrationDataset,
  responsibilityOwner: registrationResponsibilities,
});
