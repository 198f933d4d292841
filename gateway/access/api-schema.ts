import type { GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';

/** The client-facing API schema of a supergraph, as @apollo/gateway derives it (no join/link machinery, no _entities). */
export function buildApiSchema(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
