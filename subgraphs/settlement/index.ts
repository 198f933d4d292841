import { join } from 'node:path';
import type { Subgraph } from '../kit/subgraph';
import { readSdl } from '../kit/read-sdl';
import { readMigrations } from '../kit/migrate';
import { createSettlementLoaders, SettlementLoaders } from './loaders';
import { settlementResolvers } from './resolvers';
import { writeSettlementDataset } from './store';

/** Settlement: the only place clock time exists (PRI-014); runs, aggregated volumes, exceptions, BM units and CRA data. */
export const settlement: Subgraph<SettlementLoaders> = {
  name: 'settlement',
  dbSchema: 'settlement',
  urlEnv: 'SETTLEMENT_URL',
  defaultPort: 4004,
  typeDefs: readSdl(join(__dirname, 'schema.graphql')),
  resolvers: settlementResolvers,
  migrations: readMigrations(join(__dirname, 'migrations')),
  createLoaders: createSettlementLoaders,
  writeDataset: writeSettlementDataset,
};
