import { defaultFieldResolver, GraphQLError, GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { AccessPolicy, effectiveFieldRule, principleOfDenial, ErrorCode, type MarketRole } from '../../core';

/** What enforcement needs from a subgraph resolver's context: the role the gateway vouched for. */
export interface AccessContext {
  caller?: { role: MarketRole };
}

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
export function enforceAccess(schema: GraphQLSchema, policy: AccessPolicy): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    const typeRoles = policy.types.get(type.name)?.roles;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const coordinate = `${type.name}.${field.name}`;
      const allowed = effectiveFieldRule(policy, coordinate)?.roles ?? new Set<MarketRole>();
      // Root types have no rule of their own (typeRoles undefined), so their fields are always checked.
      if (typeRoles && [...typeRoles].every((role) => allowed.has(role))) continue;
      field.resolve = checked(field.resolve ?? defaultFieldResolver, coordinate, allowed, (role) =>
        principleOfDenial(policy, role, coordinate),
      );
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
