import { join } from 'node:path';
import type { Subgraph } from '../kit/subgraph';
import { readSdl } from '../kit/read-sdl';
import { readMigrations } from '../kit/migrate';
import { createMeteringDataLoaders, MeteringDataLoaders } from './loaders';
import { meteringDataResolvers } from './resolvers';
import { writeMeteringDataDataset } from './store';

/** Metering data: interval consumption keyed by UTC start, meter readings and read requests. No clock time (PRI-014). */
export const meteringData: Subgraph<MeteringDataLoaders> = {
  name: 'metering-data',
  dbSchema: 'metering_data',
  urlEnv: 'METERING_DATA_URL',
  defaultPort: 4002,
  typeDefs: readSdl(join(__dirname, 'schema.graphql')),
  resolvers: meteringDataResolvers,
  migrations: readMigrations(join(__dirname, 'migrations')),
  createLoaders: createMeteringDataLoaders,
  writeDataset: writeMeteringDataDataset,
};
