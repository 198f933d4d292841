import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { subgraphs } from '../../subgraphs';

export const SUPERGRAPH_PATH = join(__dirname, '..', '..', 'schema', 'supergraph.graphql');

/** Composes the subgraphs' SDL into the supergraph SDL, or throws listing every composition error. */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, typeDefs: s.typeDefs, url: `http://localhost:${s.defaultPort}/graphql` })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** The committed supergraph, which the gateway serves. */
export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
