import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../core';

/**
 * Another subgraph this one asks (a scope owner, registration's standing data) could not be reached. The gateway sets
 * `serviceName` to the subgraph that answered, so the message names the one that did not; never its address.
 */
export function subgraphUnavailableError(subgraph: string): GraphQLError {
  return new GraphQLError(`The ${subgraph} subgraph is unavailable, so nothing was read or written; retry later`, {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE },
  });
}

/** `fetch`, with a failure to connect (no HTTP answer at all) turned into SUBGRAPH_UNAVAILABLE naming `subgraph`. */
export async function fetchSubgraph(subgraph: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw subgraphUnavailableError(subgraph);
  }
}
