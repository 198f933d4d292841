import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  validate,
  type ValidationRule,
} from 'graphql';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';

/** What a document asks for, whatever the variables: the largest value over its operations. */
export interface DocumentMeasures {
  depth: number;
  aliases: number;
  directives: number;
  rootFields: number;
  operations: number;
}

export type ParsedDocument = { kind: 'parsed'; document: DocumentNode; tokens: number } | { kind: 'too-many-tokens'; tokens: number } | { kind: 'syntax-error' };

/**
 * Parses with GraphQL Armor's token-counting parser, which stops at `maxTokens + 1` tokens instead of building a huge
 * tree. A syntax error is left to Apollo Server, which answers it in its usual terms.
 */
export function parseWithTokenLimit(source: string, maxTokens: number): ParsedDocument {
  const parser = new MaxTokensParserWLexer(source, { n: maxTokens, exposeLimits: true });
  try {
    const document = parser.parseDocument();
    return { kind: 'parsed', document, tokens: parser.tokenCount };
  } catch (error) {
    if (parser.tokenCount > maxTokens) return { kind: 'too-many-tokens', tokens: parser.tokenCount };
    if (error instanceof GraphQLError) return { kind: 'syntax-error' };
    throw error;
  }
}

/**
 * Measures depth, aliases and directives with GraphQL Armor's validation rules (given no limit, they report what they
 * counted through `onAccept`), and root fields and operations here. Independent of the schema (the rules need one to
 * look fragments up): `schema` can be any schema the document is checked against.
 */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode): DocumentMeasures {
  const measures: DocumentMeasures = { depth: 0, aliases: 0, directives: 0, rootFields: 0, operations: 0 };
  const keepMax = (key: 'depth' | 'aliases' | 'directives') => [
    (_context: unknown, details: { n: number }) => {
      measures[key] = Math.max(measures[key], details.n);
    },
  ];
  const unlimited = { n: Number.POSITIVE_INFINITY, propagateOnRejection: false };
  const rules: ValidationRule[] = [
    maxDepthRule({ ...unlimited, onAccept: keepMax('depth') }),
    maxAliasesRule({ ...unlimited, onAccept: keepMax('aliases') }),
    maxDirectivesRule({ ...unlimited, onAccept: keepMax('directives') }),
  ];
  validate(schema, document, rules);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    measures.operations++;
    measures.rootFields = Math.max(measures.rootFields, countFields(definition.selectionSet, fragments, new Set()));
  }
  return measures;
}

/** Fields at one level, looking through fragments (each fragment once, so a spread cycle cannot loop). */
function countFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countFields(selection.selectionSet, fragments, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += countFields(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}
