/**
 * How much one GraphQL document may ask of the gateway. Defaults sit well above every documented operation (the MDS
 * aggregation job's batch queries, the bench scenarios, the playground and README examples: test/attacks prove it)
 * and far below what hurts: the cyclic `meteringPoint → currentAppointments → meteringPoint …` chain or an alias bomb.
 */
export interface OperationLimits {
  /** Characters of the query text. */
  maxDocumentBytes: number;
  /** Lexical tokens of the document (GraphQL Armor max-tokens; comments are not tokens but count in the size). */
  maxTokens: number;
  /** Nesting of selections in any operation (GraphQL Armor max-depth). */
  maxDepth: number;
  /** Aliased fields in any operation, fragments included (GraphQL Armor max-aliases). */
  maxAliases: number;
  /** Directives in any operation (GraphQL Armor max-directives). */
  maxDirectives: number;
  /** Fields at the top of an operation, aliases included: each may become a subgraph fetch. */
  maxRootFields: number;
  /** Operations in one document. */
  maxOperations: number;
  /** Estimated values in the answer (gateway/limits/operation-cost.ts). */
  maxCost: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDocumentBytes: 64 * 1024,
  maxTokens: 12_000,
  maxDepth: 10,
  maxAliases: 150,
  maxDirectives: 50,
  maxRootFields: 150,
  maxOperations: 10,
  maxCost: 1_000_000,
};

/** Each limit's environment variable. */
export const LIMIT_VARIABLES: Record<keyof OperationLimits, string> = {
  maxDocumentBytes: 'LIMIT_DOCUMENT_BYTES',
  maxTokens: 'LIMIT_TOKENS',
  maxDepth: 'LIMIT_DEPTH',
  maxAliases: 'LIMIT_ALIASES',
  maxDirectives: 'LIMIT_DIRECTIVES',
  maxRootFields: 'LIMIT_ROOT_FIELDS',
  maxOperations: 'LIMIT_OPERATIONS',
  maxCost: 'LIMIT_COST',
};

/**
 * LIMITS=on (default) or off, and each limit from its LIMIT_* variable (a positive integer). `null` means off: only for
 * measuring what the limits cost (bench target `ours-nolimits`); the bounded-work guards stay on either way.
 */
export function operationLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): OperationLimits | null {
  const switchValue = env.LIMITS ?? 'on';
  if (switchValue !== 'on' && switchValue !== 'off') throw new Error(`LIMITS must be "on" or "off", got "${switchValue}"`);
  if (switchValue === 'off') {
    console.warn('LIMITS=off: operations are not checked for size, depth, aliases or cost (for measurement only)');
    return null;
  }
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as [keyof OperationLimits, string][]) {
    const value = env[variable];
    if (value !== undefined) limits[key] = positiveInteger(variable, value);
  }
  return limits;
}

/** Reads a positive integer setting, refusing anything else by name. */
export function positiveInteger(variable: string, value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new Error(`${variable} must be a positive integer, got "${value}"`);
  }
  return parsed;
}
