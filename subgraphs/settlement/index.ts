import { defineSubgraph } from '../kit/define-subgraph';
import { createSettlementLoaders } from './loaders';
import { settlementResolvers } from './resolvers';
import { writeSettlementDataset } from './store';
import { settlementResponsibilities } from './bm-unit-allocation';
import { settlementOwnParty } from './own-party';

/** Settlement: the only place clock time exists (PRI-014); runs, aggregated volumes, exceptions, BM units and CRA data. */
export const settlement = defineSubgraph(__dirname, {
  name: 'settlement',
  dbSchema: 'settlement',
  urlEnv: 'SETTLEMENT_URL',
  defaultPort: 4004,
  resolvers: settlementResolvers,
  createLoaders: createSettlementLoaders,
  writeDataset: writeSettlementDataset,
  responsibilityOwner: settlementResponsibilities,
  ownParty: settlementOwnParty,
});
