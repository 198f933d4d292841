import type { ContextBinding } from '../core';
import type { Caller } from './auth/verify-token';

export type { Caller };

/** Apollo Server's per-request context in the gateway. */
export interface GatewayContext {
  /** The acting caller, from a verified bearer token. */
  caller: Caller;
  requestId: string;
  /** Signs this request's internal context for one subgraph call: bound to that subgraph and that exact body. */
  signContext(binding: ContextBinding): string | Promise<string>;
  /**
   * Set when the access rules refused the operation. The caller sees a validation error (a hidden field answers like
   * an unknown one); the operator's metrics still count it as refused.
   */
  accessRefused?: boolean;
}
