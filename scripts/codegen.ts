/**
 * `npm run codegen` regenerates each subgraph's generated/resolvers-types.ts from its SDL;
 * `npm run codegen:check` fails when a committed file has drifted from it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { subgraphs } from '../subgraphs';
import { generateResolverTypes, readCommittedResolverTypes, resolverTypesPath } from '../dev/resolver-types';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const subgraph of subgraphs) {
    const path = resolverTypesPath(subgraph);
    const file = relative(process.cwd(), path);
    const generated = await generateResolverTypes(subgraph);
    if (check) {
      if (readCommittedResolverTypes(subgraph) !== generated) {
        console.error(`${file} is out of date with the subgraph SDL: run npm run codegen and commit it.`);
        stale++;
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, generated);
      console.log(`wrote ${file}`);
    }
  }
  if (stale > 0) process.exit(1);
  if (check) console.log('resolver types are up to date.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
