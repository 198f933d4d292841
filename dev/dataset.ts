import type { SubgraphRows } from '../subgraphs';

/**
 * The plain-data shape of a seed dataset (the demo's, the bench's, a test's): every subgraph's rows, as each declares
 * them in its rows.ts. Each subgraph's store writes its own share, so no SQL crosses a subgraph boundary.
 */
export type DemoDataset = SubgraphRows;
