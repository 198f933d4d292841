import type { DocumentNode, GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../core';
import type { OperationLimits } from './limits-config';
import { type DocumentMeasures, measureDocument, parseWithTokenLimit } from './measure-document';
import { operationCost } from './operation-cost';

/** Why an operation was refused: the code, what was measured and the limit it broke. */
export interface LimitRefusal {
  code: ErrorCode;
  message: string;
  measured: number;
  limit: number;
}

/** The parts of a GraphQL request the limits look at. */
export interface LimitedRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface OperationLimiter {
  /** null when the request is within every limit (or is not valid GraphQL: Apollo Server answers that itself). */
  check(request: LimitedRequest, schema: GraphQLSchema): LimitRefusal | null;
}

type Measured =
  | { kind: 'measured'; document: DocumentNode; measures: DocumentMeasures }
  | { kind: 'refused'; refusal: LimitRefusal }
  | { kind: 'unparsable' };

/** Documents up to this size have their parse and measures remembered (clients repeat the same few operations). */
const CACHED_DOCUMENT_CHARS = 16 * 1024;

/**
 * Checks a request against the limits before Apollo Server parses, validates or plans it: size, then tokens while
 * parsing (GraphQL Armor's counting parser stops at the limit), then depth, aliases, directives, root fields and
 * operations (GraphQL Armor's rules and our counts), then the cost of the operation with this request's variables on
 * the acting role's schema. Everything but the cost depends on the text alone and is cached by it.
 */
export function createOperationLimiter(limits: OperationLimits, measuringSchema: GraphQLSchema, cacheSize = 2000): OperationLimiter {
  const cache = new Map<string, Measured>();

  const measure = (query: string): Measured => {
    if (query.length > limits.maxDocumentBytes || Buffer.byteLength(query) > limits.maxDocumentBytes) {
      const bytes = Buffer.byteLength(query);
      return refused(ErrorCode.DOCUMENT_TOO_LARGE, `The query text is ${bytes} bytes`, bytes, limits.maxDocumentBytes);
    }
    const parsed = parseWithTokenLimit(query, limits.maxTokens);
    if (parsed.kind === 'syntax-error') return { kind: 'unparsable' };
    if (parsed.kind === 'too-many-tokens') {
      return refused(
        ErrorCode.TOO_MANY_TOKENS,
        `The query has more than ${limits.maxTokens} tokens`,
        limits.maxTokens + 1,
        limits.maxTokens,
      );
    }
    const measures = measureDocument(measuringSchema, parsed.document);
    const checks: [ErrorCode, string, number, number][] = [
      [ErrorCode.TOO_MANY_OPERATIONS, 'operations in the document', measures.operations, limits.maxOperations],
      [ErrorCode.QUERY_TOO_DEEP, 'levels of nesting', measures.depth, limits.maxDepth],
      [ErrorCode.TOO_MANY_ALIASES, 'aliases', measures.aliases, limits.maxAliases],
      [ErrorCode.TOO_MANY_ROOT_FIELDS, 'root fields', measures.rootFields, limits.maxRootFields],
      [ErrorCode.TOO_MANY_DIRECTIVES, 'directives', measures.directives, limits.maxDirectives],
    ];
    for (const [code, what, measured, limit] of checks) {
      if (measured > limit) return refused(code, `The query has ${measured} ${what}`, measured, limit);
    }
    return { kind: 'measured', document: parsed.document, measures };
  };

  const cachedMeasure = (query: string): Measured => {
    if (query.length > CACHED_DOCUMENT_CHARS) return measure(query);
    let entry = cache.get(query);
    if (!entry) {
      entry = measure(query);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(query, entry);
    }
    return entry;
  };

  return {
    check(request, schema) {
      const measured = cachedMeasure(request.query);
      if (measured.kind === 'unparsable') return null;
      if (measured.kind === 'refused') return measured.refusal;
      const cost = operationCost(schema, measured.document, request.operationName, request.variables);
      if (cost > limits.maxCost) {
        // A long enough chain overflows to Infinity, which JSON cannot carry.
        const estimate = Math.round(Math.min(cost, Number.MAX_SAFE_INTEGER));
        return {
          code: ErrorCode.QUERY_TOO_COMPLEX,
          message: `The query would answer with about ${estimate} values (limit ${limits.maxCost}): ask for fewer items, a smaller page or less nesting`,
          measured: estimate,
          limit: limits.maxCost,
        };
      }
      return null;
    },
  };
}

function refused(code: ErrorCode, what: string, measured: number, limit: number): Measured {
  return { kind: 'refused', refusal: { code, message: `${what} (limit ${limit})`, measured, limit } };
}
