import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  getOperationAST,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { LIST_ESTIMATES, UNKNOWN_LIST_SIZE } from './list-estimates';

/** Arguments that say how many items a list or a connection page holds. */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
/** Lists of a connection whose size is the page size of the field above them. */
const PAGE_LISTS = new Set(['edges', 'nodes']);

/**
 * The estimated number of values an operation answers with: every field counts once per parent it is resolved for,
 * and a list multiplies what it selects by its size, taken from `first`/`last` (variables included), else the length
 * of a key-list argument (`mpanCores`, `ids`), else the argument's schema default, else the schema estimate
 * (list-estimates.ts). So the cyclic `meteringPoint → currentAppointments → meteringPoint …` chain grows by the
 * estimate at each level and an alias bomb by the number of aliases: both are refused before anything runs.
 *
 * Evaluated on the acting role's schema: a field the role cannot see counts as a leaf, exactly like a field that does
 * not exist (the access check refuses both later). The cost of a selection is linear in the number of parents, so each
 * fragment is evaluated once per (type, page size) however often it is spread: no fragment bomb can make this slow.
 * With several operations and no `operationName`, the largest counts.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined | null,
  variables: Record<string, unknown> | undefined | null,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const chosen = getOperationAST(document, operationName ?? undefined);
  const operations = chosen
    ? [chosen]
    : document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const calculator = new CostCalculator(schema, fragments, variables ?? {});
  let cost = 0;
  for (const operation of operations) {
    const root =
      operation.operation === 'query'
        ? schema.getQueryType()
        : operation.operation === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    cost = Math.max(cost, calculator.selectionCost(operation.selectionSet, root ?? undefined, undefined));
  }
  return cost;
}

class CostCalculator {
  private readonly fragmentCosts = new Map<string, number>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** Values answered for one parent of `type`; `pageSize` is the page of the connection this selection is on. */
  selectionCost(selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined, pageSize: number | undefined): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) cost += this.fieldCost(selection, type, pageSize);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        cost += this.selectionCost(selection.selectionSet, condition ?? undefined, pageSize);
      } else cost += this.fragmentCost(selection.name.value, pageSize);
    }
    return cost;
  }

  private fragmentCost(name: string, pageSize: number | undefined): number {
    const key = `${name}\u0000${pageSize ?? ''}`;
    const known = this.fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    // An unknown or cyclic spread is invalid GraphQL: validation refuses it later; here it adds nothing.
    if (!fragment || this.inProgress.has(key)) return 0;
    this.inProgress.add(key);
    const cost = this.selectionCost(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize);
    this.inProgress.delete(key);
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  private fieldCost(node: FieldNode, parent: GraphQLNamedType | undefined, pageSize: number | undefined): number {
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[node.name.value] : undefined;
    if (!definition) return 1;
    const returnType = getNullableType(definition.type);
    const requestedPage = this.pageSizeArgument(node, definition);
    let items = 1;
    if (isListType(returnType)) {
      items =
        requestedPage ??
        this.longestListArgument(node) ??
        (PAGE_LISTS.has(node.name.value) ? pageSize : undefined) ??
        this.estimate(`${parent!.name}.${node.name.value}`, node);
    }
    if (!node.selectionSet) return items;
    // A connection field (not a list itself) hands its page size down to its `edges` / `nodes`.
    const childPage = isListType(returnType) ? undefined : requestedPage;
    return items * (1 + this.selectionCost(node.selectionSet, getNamedType(definition.type), childPage));
  }

  /** The schema estimate of a list (list-estimates.ts), which may depend on the arguments given. */
  private estimate(coordinate: string, node: FieldNode): number {
    const estimate = LIST_ESTIMATES[coordinate];
    if (typeof estimate === 'function') return estimate(new Set((node.arguments ?? []).map((a) => a.name.value)));
    return estimate ?? UNKNOWN_LIST_SIZE;
  }

  /** `first` / `last` as given (literal or variable), else its schema default. */
  private pageSizeArgument(node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    for (const name of PAGE_SIZE_ARGUMENTS) {
      const argument = node.arguments?.find((a) => a.name.value === name);
      const given = argument ? this.value(argument.value) : undefined;
      if (typeof given === 'number') return Math.max(0, given);
      const declared = definition.args.find((a) => a.name === name);
      if (typeof declared?.defaultValue === 'number') return declared.defaultValue;
    }
    return undefined;
  }

  /** The longest list among the arguments (the keys asked for), if any. */
  private longestListArgument(node: FieldNode): number | undefined {
    let longest: number | undefined;
    for (const argument of node.arguments ?? []) {
      const value = this.value(argument.value);
      if (Array.isArray(value)) longest = Math.max(longest ?? 0, value.length);
    }
    return longest;
  }

  /** Numbers and lists only (what sizes are made of); anything else is undefined. */
  private value(node: ValueNode): unknown {
    if (node.kind === Kind.VARIABLE) return this.variables[node.name.value];
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.LIST) return node.values;
    return undefined;
  }
}
