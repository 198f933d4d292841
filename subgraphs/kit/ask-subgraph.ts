import { GraphQLError } from 'graphql';
import { INTERNAL_CONTEXT_HEADER, ErrorCode } from '../../core';
import type { SignQuestion } from './question-signer';

/** Asks another subgraph a GraphQL question as the same caller; its answer is read at request time, never copied. */
export type AskSubgraph = <T = Record<string, unknown>>(subgraph: string, query: string, variables?: Record<string, unknown>) => Promise<T>;

/**
 * Builds the `askSubgraph` of one request: each question carries the caller, signed for that subgraph and body, so the
 * owning subgraph applies the caller's @access rules and row scope to the answer (PRI-001: the owner is the single
 * source of truth).
 */
export function createAskSubgraph(signQuestion: SignQuestion, subgraphUrl: (name: string) => string): AskSubgraph {
  return async (subgraph, query, variables) => {
    const body = JSON.stringify({ query, variables });
    const response = await fetch(subgraphUrl(subgraph), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: await signQuestion(subgraph, body) },
      body,
    });
    const answer = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    if (!response.ok || answer.errors?.length) {
      const first = answer.errors?.[0];
      // The owner's refusal (FORBIDDEN, BAD_USER_INPUT …) is the caller's answer too; anything else is ours to hide.
      throw new GraphQLError(first?.message ?? `${subgraph} answered HTTP ${response.status}`, {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...first?.extensions },
      });
    }
    return answer.data as never;
  };
}
