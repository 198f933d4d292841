import type { KeyLike } from 'jose';
import { signSubgraphQuestion, type InternalContext } from '../../core';

/** Signs one question to another subgraph: bound to that subgraph (`audience`) and to the exact body sent. */
export type SignQuestion = (audience: string, body: string) => Promise<string>;

/**
 * The question signer of one request: the caller the gateway vouched for, re-signed with the subgraphs' question key
 * (never the gateway's), naming the asking subgraph (`via`). The owner then applies that caller's @access rules and
 * row scope, and refuses a question that tries to write.
 */
export function createQuestionSigner(questionKey: KeyLike, caller: InternalContext, asker: string): SignQuestion {
  const { participant, role, requestId, now } = caller;
  return (audience, body) => signSubgraphQuestion(questionKey, { participant, role, requestId, now }, { audience, body, via: asker });
}
