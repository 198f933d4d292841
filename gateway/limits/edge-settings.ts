import { DEFAULT_LIMITS, type OperationLimits, operationLimitsFromEnv, positiveInteger } from './limits-config';
import { type RateLimitSettings, rateLimitFromEnv } from '../rate-limit';

/** Bounds on the work one request can cause, whatever it asks. */
export interface RequestBounds {
  /** Largest request body: the largest documented submission (50,000 consumption intervals, about 9.8 MB) fits. */
  bodyLimitBytes: number;
  /** The whole request at the gateway; then 504 REQUEST_TIMEOUT. */
  requestTimeoutMs: number;
  /** One subgraph call (headers and body); shorter than the request deadline so a slow subgraph is named. */
  subgraphTimeoutMs: number;
  /** One subgraph answer, read no further. */
  subgraphResponseBytes: number;
  /** The answer to the caller; larger is refused with RESPONSE_TOO_LARGE. */
  responseBytes: number;
}

export const DEFAULT_BOUNDS: RequestBounds = {
  bodyLimitBytes: 12 * 1024 * 1024,
  requestTimeoutMs: 60_000,
  subgraphTimeoutMs: 55_000,
  subgraphResponseBytes: 32 * 1024 * 1024,
  responseBytes: 32 * 1024 * 1024,
};

const BOUND_VARIABLES: Record<keyof RequestBounds, string> = {
  bodyLimitBytes: 'BODY_LIMIT_BYTES',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  subgraphTimeoutMs: 'SUBGRAPH_TIMEOUT_MS',
  subgraphResponseBytes: 'SUBGRAPH_RESPONSE_LIMIT_BYTES',
  responseBytes: 'RESPONSE_LIMIT_BYTES',
};

/** Everything the gateway does at its edge before and around a GraphQL operation (README "Security"). */
export interface EdgeSettings {
  /** null: LIMITS=off. */
  limits: OperationLimits | null;
  bounds: RequestBounds;
  /** null: no rate limit. */
  rateLimit: RateLimitSettings | null;
  /** Automatic persisted queries (PERSISTED_QUERIES=on); off by default. */
  persistedQueries: boolean;
}

/** What a gateway built in code gets unless told otherwise: limits and bounds on, no rate limit, no APQ. */
export const DEFAULT_EDGE: EdgeSettings = { limits: DEFAULT_LIMITS, bounds: DEFAULT_BOUNDS, rateLimit: null, persistedQueries: false };

/** The edge settings of a deployment, from its environment (each variable is in the README's "Security" section). */
export function edgeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EdgeSettings {
  const bounds = { ...DEFAULT_BOUNDS };
  for (const [key, variable] of Object.entries(BOUND_VARIABLES) as [keyof RequestBounds, string][]) {
    const value = env[variable];
    if (value !== undefined) bounds[key] = positiveInteger(variable, value);
  }
  const persisted = env.PERSISTED_QUERIES ?? 'off';
  if (persisted !== 'on' && persisted !== 'off') throw new Error(`PERSISTED_QUERIES must be "on" or "off", got "${persisted}"`);
  return { limits: operationLimitsFromEnv(env), bounds, rateLimit: rateLimitFromEnv(env), persistedQueries: persisted === 'on' };
}
