import {
  getNamedType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
} from 'graphql';

/** One selectable field of the API schema. */
export interface FieldCoordinate {
  type: string;
  field: string;
  /** "Type.field" */
  coordinate: string;
}

/**
 * Every field of every object and interface type of `schema` that a client can select, introspection excluded, Query
 * first. The Mutation and Subscription root fields are left out: they write, and this lists what can be read.
 */
export function listFieldCoordinates(schema: GraphQLSchema): FieldCoordinate[] {
  const writeRoots = new Set([schema.getMutationType()?.name, schema.getSubscriptionType()?.name].filter(Boolean));
  return Object.values(schema.getTypeMap())
    .filter(
      (type): type is GraphQLObjectType =>
        (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__') && !writeRoots.has(type.name),
    )
    .flatMap((type) => Object.keys(type.getFields()).map((field) => ({ type: type.name, field, coordinate: `${type.name}.${field}` })))
    .filter(({ field }) => !field.startsWith('__'))
    .sort((a, b) => (a.type === b.type ? 0 : a.type === 'Query' ? -1 : b.type === 'Query' ? 1 : a.type.localeCompare(b.type)));
}

function fieldOf(schema: GraphQLSchema, coordinate: string): GraphQLField<unknown, unknown> {
  const [typeName, fieldName] = coordinate.split('.');
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(`${typeName} is not an object type`);
  const field = type.getFields()[fieldName];
  if (!field) throw new Error(`${coordinate} is not in the schema`);
  return field;
}

/** The names of the object and interface types reachable from the root type `rootName` through any field. */
export function typesReachableFrom(schema: GraphQLSchema, rootName: string): Set<string> {
  const reached = new Set<string>([rootName]);
  const queue = [rootName];
  while (queue.length > 0) {
    const type = schema.getType(queue.shift()!) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      const next = getNamedType(field.type);
      if (isCompositeType(next) && !reached.has(next.name)) {
        reached.add(next.name);
        queue.push(next.name);
      }
    }
  }
  return reached;
}

/**
 * The shortest chain of fields from Query to an object of type `target` (breadth first, in schema order), using only
 * fields `usable` accepts; [] for Query itself, null when there is no such chain.
 */
export function findPathToType(schema: GraphQLSchema, target: string, usable: (coordinate: string) => boolean): string[] | null {
  const root = schema.getQueryType()!;
  const reached = new Map<string, string[]>([[root.name, []]]);
  const queue: string[] = [root.name];
  while (queue.length > 0) {
    const typeName = queue.shift()!;
    const path = reached.get(typeName)!;
    if (typeName === target) return path;
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      const next = getNamedType(field.type);
      const coordinate = `${typeName}.${field.name}`;
      if (!isCompositeType(next) || reached.has(next.name) || !usable(coordinate)) continue;
      reached.set(next.name, [...path, coordinate]);
      queue.push(next.name);
    }
  }
  return null;
}

/** Arguments of a field as GraphQL source (without parentheses); '' for none. */
export type ArgumentsOf = (coordinate: string) => string;

function withArguments(schema: GraphQLSchema, coordinate: string, argumentsOf: ArgumentsOf): string {
  const field = fieldOf(schema, coordinate);
  const text = argumentsOf(coordinate);
  const missing = field.args.filter(
    (arg) => isNonNullType(arg.type) && arg.defaultValue === undefined && !new RegExp(`\\b${arg.name}\\s*:`).test(text),
  );
  if (missing.length > 0) {
    throw new Error(
      `${coordinate} needs a fixture for its required argument(s) ${missing.map((arg) => arg.name).join(', ')}: add one to argumentsFor`,
    );
  }
  return text ? `${field.name}(${text})` : field.name;
}

/**
 * The smallest operation that selects each field of `path` (a chain from Query) inside the previous one, with
 * `__typename` under the last field when it returns an object.
 */
export function buildPathQuery(schema: GraphQLSchema, path: readonly string[], argumentsOf: ArgumentsOf): string {
  let selection = isCompositeType(getNamedType(fieldOf(schema, path[path.length - 1]).type)) ? ' { __typename }' : '';
  for (let index = path.length - 1; index >= 0; index--) {
    selection = ` { ${withArguments(schema, path[index], argumentsOf)}${selection} }`;
  }
  return `query${selection}`;
}

/**
 * An operation that selects every field `readable` accepts, from every root field down, never entering a type already
 * on the way there (so it is finite) and at most `maxDepth` levels deep.
 */
export function buildEverythingQuery(
  schema: GraphQLSchema,
  readable: (coordinate: string) => boolean,
  argumentsOf: ArgumentsOf,
  maxDepth = 6,
): string {
  const select = (type: GraphQLObjectType, onTheWay: ReadonlySet<string>, depth: number): string => {
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (!readable(coordinate)) continue;
      const next = getNamedType(field.type);
      if (!isCompositeType(next)) {
        parts.push(withArguments(schema, coordinate, argumentsOf));
        continue;
      }
      if (onTheWay.has(next.name) || depth >= maxDepth) continue;
      const inner = select(next as GraphQLObjectType, new Set([...onTheWay, next.name]), depth + 1);
      if (inner) parts.push(`${withArguments(schema, coordinate, argumentsOf)} { ${inner} }`);
    }
    return parts.join(' ');
  };
  const root = schema.getQueryType()!;
  return `query { ${select(root, new Set([root.name]), 0) || '__typename'} }`;
}

/**
 * Whether `data` holds at least one value at the end of `path` (a chain from Query): lists are searched element by
 * element, so an empty list or a null anywhere on the way means nothing was reached. With `parentOnly` the last field
 * itself may be null or empty (a leaf that is legitimately null); its parent object must still be there.
 */
export function reaches(data: unknown, path: readonly string[], parentOnly = false): boolean {
  let level: unknown[] = [data];
  for (const coordinate of parentOnly ? path.slice(0, -1) : path) {
    const name = coordinate.split('.')[1];
    level = level
      .flatMap((value) => {
        const child = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
        return Array.isArray(child) ? child : [child];
      })
      .filter((value) => value !== null && value !== undefined);
  }
  return level.length > 0;
}
