import { defineSubgraph } from '../kit/define-subgraph';
import { createMeteringDataLoaders } from './loaders';
import { meteringDataResolvers } from './resolvers';
import { writeMeteringDataDataset } from './store';
import { meteringDataResponsibilities } from './responsibilities';

/** Metering data: interval consumption keyed by UTC start, meter readings and read requests. No clock time (PRI-014). */
export const meteringData = defineSubgraph(__dirname, {
  name: 'metering-data',
  dbSchema: 'metering_data',
  urlEnv: 'METERING_DATA_URL',
  defaultPort: 4002,
  resolvers: meteringDataResolvers,
  createLoaders: createMeteringDataLoaders,
  writeDataset: writeMeteringDataDataset,
  responsibilityOwner: meteringDataResponsibilities,
});
