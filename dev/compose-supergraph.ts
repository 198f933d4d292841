import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { subgraphs } from '../subgraphs';
import { applyPolicyToSupergraph, findUnruledCoordinates, mergeSubgraphPolicies } from '../core';

export const SUPERGRAPH_PATH = join(__dirname, '..', 'schema', 'supergraph.graphql');

/**
 * Composes the subgraphs' SDL into the supergraph SDL. Fails closed: a type or field without @access in any subgraph
 * stops composition, naming it. Where subgraphs disagree on a rule, the supergraph carries the strictest.
 */
export function composeSupergraph(): string {
  const unruled = subgraphs.flatMap((s) => findUnruledCoordinates(s.typeDefs).map((coordinate) => `${s.name}: ${coordinate}`));
  if (unruled.length > 0) {
    throw new Error(
      `composition refused: these have no @access rule, so nobody could read them (fail closed):\n${unruled.map((u) => `- ${u}`).join('\n')}`,
    );
  }
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, typeDefs: s.typeDefs, url: `http://localhost:${s.defaultPort}/graphql` })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const policy = mergeSubgraphPolicies(subgraphs.map((s) => s.typeDefs));
  return `${applyPolicyToSupergraph(parse(result.supergraphSdl), policy)}\n`;
}

/** The committed supergraph, which the gateway serves. */
export function readCommittedSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
