import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../core';
import { callSubgraph, type OnBehalfOf } from './call-subgraph';

/** Asks another subgraph a GraphQL question as the same caller; its answer is read at request time, never copied. */
export type AskSubgraph = <T = Record<string, unknown>>(subgraph: string, query: string, variables?: Record<string, unknown>) => Promise<T>;

/**
 * Builds the `askSubgraph` of one request: each question carries the caller, signed for that subgraph and body, so the
 * owning subgraph applies the caller's @access rules and row scope to the answer (PRI-001: the owner is the single
 * source of truth).
 */
export function createAskSubgraph(from: string, onBehalfOf: OnBehalfOf, subgraphUrl: (name: string) => string): AskSubgraph {
  return async (subgraph, query, variables) => {
    const response = await callSubgraph(from, subgraph, subgraphUrl(subgraph), onBehalfOf, { query, variables });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    if (!response.ok || body.errors?.length) {
      const first = body.errors?.[0];
      // The owner's refusal (FORBIDDEN, BAD_USER_INPUT …) is the caller's answer too; anything else is ours to hide.
      throw new GraphQLError(first?.message ?? `${subgraph} answered HTTP ${response.status}`, {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...first?.extensions },
      });
    }
    return body.data as never;
  };
}
