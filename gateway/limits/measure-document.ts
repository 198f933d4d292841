import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  Source,
  TokenKind,
  TypeInfo,
  ValidationContext,
} from 'graphql';
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

export type ParsedDocument = { kind: 'parsed'; document: DocumentNode } | { kind: 'too-many-tokens' } | { kind: 'syntax-error' };

/**
 * Parses with graphql-js's own token limit, which stops at `maxTokens` instead of building a huge tree. (GraphQL Armor's
 * max-tokens parser does the same through a proxy on the lexer and was 30 times slower on a 1,000-alias document.) A
 * syntax error is left to Apollo Server, which answers it in its usual terms.
 */
export function parseWithTokenLimit(source: string, maxTokens: number): ParsedDocument {
  try {
    return { kind: 'parsed', document: parse(source, { maxTokens, noLocation: true }) };
  } catch (error) {
    // graphql-js 16 says "more that N tokens" (sic); match either spelling.
    if (error instanceof GraphQLError && /Document contains more tha[nt] \d+ tokens/.test(error.message))
      return { kind: 'too-many-tokens' };
    if (error instanceof GraphQLError) return { kind: 'syntax-error' };
    throw error;
  }
}

/** The lexical tokens of a document (comments are not tokens), for reporting. */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

type OperationVisitor = { OperationDefinition: { enter(this: unknown, operation: OperationDefinitionNode): void } };

/**
 * Measures depth, aliases and directives with GraphQL Armor's rules (given no limit, they report what they counted
 * through `onAccept`), and root fields and operations here. The rules count from each operation node down, so they are
 * called on the operations directly rather than through a full validation walk of the document. Independent of the
 * schema (the rules only look fragments up through the context): `schema` can be any schema.
 */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode): DocumentMeasures {
  const measures: DocumentMeasures = { depth: 0, aliases: 0, directives: 0, rootFields: 0, operations: 0 };
  const keepMax = (key: 'depth' | 'aliases' | 'directives') => [
    (_context: unknown, details: { n: number }) => {
      measures[key] = Math.max(measures[key], details.n);
    },
  ];
  const unlimited = { n: Number.POSITIVE_INFINITY, propagateOnRejection: false };
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  const visitors = [
    maxDepthRule({ ...unlimited, onAccept: keepMax('depth') })(context),
    maxAliasesRule({ ...unlimited, onAccept: keepMax('aliases') })(context),
    maxDirectivesRule({ ...unlimited, onAccept: keepMax('directives') })(context),
  ] as unknown as OperationVisitor[];

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    measures.operations++;
    for (const visitor of visitors) visitor.OperationDefinition.enter.call(visitor, definition);
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
