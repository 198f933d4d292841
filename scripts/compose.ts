/**
 * `npm run compose` regenerates schema/supergraph.graphql from the subgraphs' SDL;
 * `npm run compose:check` fails when the committed file has drifted from them.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph, readCommittedSupergraph, SUPERGRAPH_PATH } from '../dev/compose-supergraph';

const supergraph = composeSupergraph();
const file = relative(process.cwd(), SUPERGRAPH_PATH);
if (process.argv.includes('--check')) {
  if (readCommittedSupergraph() !== supergraph) {
    console.error(`${file} is out of date with the subgraph SDL: run npm run compose and commit it.`);
    process.exit(1);
  }
  console.log(`${file} is up to date.`);
} else {
  writeFileSync(SUPERGRAPH_PATH, supergraph);
  console.log(`wrote ${file}`);
}
