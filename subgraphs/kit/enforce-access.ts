import { defaultFieldResolver, GraphQLError, GraphQLFieldResolver, GraphQLSchema, isNonNullType, isObjectType } from 'graphql';
import { AccessPolicy, effectiveFieldRule, principleOfDenial, ErrorCode, type MarketRole } from '../../core';

/** What enforcement needs from a subgraph resolver's context: the role the gateway vouched for. */
export interface AccessContext {
  caller?: { role: MarketRole; participant?: string };
}

/**
 * Per type, whether a row belongs to the party the caller acts for: what `@access(ownPartyOnly: …)` needs to know. Each
 * subgraph says it for the types it owns (one batched lookup per request, through its loaders).
 */
export type OwnPartyChecks = Readonly<Record<string, OwnPartyCheck>>;

// Declared as a method so a subgraph's check may take its own row and context types (method parameters are bivariant).
type OwnPartyCheck = { check(row: unknown, context: unknown): Promise<boolean> }['check'];

/**
 * Makes every field of a subgraph schema answer only roles its @access rule allows (defence in depth behind the
 * gateway). A refusal is FORBIDDEN naming the field and principle; with no caller at all nothing is readable.
 *
 * A field is wrapped with a check only where the check can refuse someone. Every object is reached through a root
 * field or `_entities`, and both are always checked (a root field by its own rule, `_entities` by the rule of each
 * representation's type), and every checked field's rule includes its return type's. So a role holding an object of
 * type T may read T, and a field of T that every such role may read needs no check of its own. That leaves most
 * fields of a type unwrapped, which lets graphql-jit read them as plain properties.
 */
export function enforceAccess(schema: GraphQLSchema, policy: AccessPolicy, ownParty: OwnPartyChecks = {}): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    const typeRoles = policy.types.get(type.name)?.roles;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const coordinate = `${type.name}.${field.name}`;
      const rule = effectiveFieldRule(policy, coordinate);
      const allowed = rule?.roles ?? new Set<MarketRole>();
      const ownOnly = rule?.ownPartyOnly ?? new Set<MarketRole>();
      let resolve: GraphQLFieldResolver<unknown, AccessContext> = field.resolve ?? defaultFieldResolver;
      if (ownOnly.size > 0) {
        // Fail closed at start-up: a field limited to the party's own rows needs a null to answer with, and an owner.
        if (isNonNullType(field.type))
          throw new Error(`${coordinate} is limited to the caller's own party (ownPartyOnly), so it must be nullable`);
        const owns = ownParty[type.name];
        if (!owns)
          throw new Error(
            `${coordinate} is limited to the caller's own party (ownPartyOnly), but the subgraph does not say who owns a ${type.name}`,
          );
        resolve = ownRowsOnly(resolve, ownOnly, owns);
      }
      // Root types have no rule of their own (typeRoles undefined), so their fields are always checked.
      if (ownOnly.size === 0 && typeRoles && [...typeRoles].every((role) => allowed.has(role))) continue;
      field.resolve = checked(resolve, coordinate, allowed, (role) => principleOfDenial(policy, role, coordinate));
    }
  }
  const entities = schema.getQueryType()?.getFields()._entities;
  if (entities?.resolve) entities.resolve = checkedEntities(entities.resolve, policy);
  return schema;
}

function checked(
  resolve: GraphQLFieldResolver<unknown, AccessContext>,
  coordinate: string,
  allowed: ReadonlySet<MarketRole>,
  principleFor: (role: MarketRole) => string | null,
): GraphQLFieldResolver<unknown, AccessContext> {
  return (source, args, context, info) => {
    const role = context.caller?.role;
    if (role === undefined || !allowed.has(role)) throw forbidden(coordinate, role, role ? principleFor(role) : null);
    return resolve(source, args, context, info);
  };
}

/**
 * For a role limited to its own party's rows: null on another party's row, with no error, so it looks exactly like a
 * value that is not there (README "Who may see what": out of scope looks like nothing).
 */
function ownRowsOnly(
  resolve: GraphQLFieldResolver<unknown, AccessContext>,
  ownOnly: ReadonlySet<MarketRole>,
  owns: OwnPartyChecks[string],
): GraphQLFieldResolver<unknown, AccessContext> {
  return async (source, args, context, info) => {
    const role = context.caller?.role;
    if (role !== undefined && ownOnly.has(role) && !(await owns(source, context))) return null;
    return resolve(source, args, context, info);
  };
}

/** `_entities` answers only when the role may read the type of every representation asked for. */
function checkedEntities(
  resolve: GraphQLFieldResolver<unknown, AccessContext>,
  policy: AccessPolicy,
): GraphQLFieldResolver<unknown, AccessContext> {
  return (source, args: { representations?: { __typename?: unknown }[] }, context, info) => {
    const role = context.caller?.role;
    for (const representation of args.representations ?? []) {
      const typeName = String(representation?.__typename);
      const rule = policy.types.get(typeName);
      if (role === undefined || !rule?.roles.has(role)) throw forbidden(typeName, role, role ? (rule?.principle ?? null) : null);
    }
    return resolve(source, args, context, info);
  };
}

function forbidden(coordinate: string, role: MarketRole | undefined, principle: string | null): GraphQLError {
  return new GraphQLError(`${coordinate} is not available to ${role ?? 'an unidentified caller'}${principle ? ` (${principle})` : ''}`, {
    extensions: { code: ErrorCode.FORBIDDEN, field: coordinate, ...(principle ? { principle } : {}) },
  });
}
