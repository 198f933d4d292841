import type { Caller } from './auth/verify-token';

export type { Caller };

/** Apollo Server's per-request context in the gateway. */
export interface GatewayContext {
  /** The acting caller, from a verified bearer token. */
  caller: Caller;
  requestId: string;
  /** The signed internal context sent to every subgraph of this request; signed once, on first use. */
  internalContext(): Promise<string>;
}
