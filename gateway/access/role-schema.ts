import { GraphQLSchema, isInterfaceType, isObjectType, getNamedType, GraphQLNamedType } from 'graphql';
import { mapSchema, MapperKind, pruneSchema } from '@graphql-tools/utils';
import { AccessPolicy, canRead, type MarketRole } from '../../core';

/** Composite types the policy governs; the root types have no rule of their own, only their fields. */
function governed(policy: AccessPolicy, type: GraphQLNamedType): boolean {
  return policy.types.has(type.name);
}

/**
 * The API schema one market role sees: every field and type it may not read removed, then every type left empty or
 * unreachable pruned. Validating and introspecting against it means no route (aliases, fragments, suggestions,
 * introspection) can reach what the role may not read.
 */
export function buildRoleSchema(apiSchema: GraphQLSchema, policy: AccessPolicy, role: MarketRole): GraphQLSchema {
  let schema = mapSchema(apiSchema, {
    [MapperKind.OBJECT_TYPE]: (type) => (governed(policy, type) && !canRead(policy, role, type.name) ? null : type),
    [MapperKind.INTERFACE_TYPE]: (type) => (governed(policy, type) && !canRead(policy, role, type.name) ? null : type),
    [MapperKind.COMPOSITE_FIELD]: (field, fieldName, typeName) => (canRead(policy, role, `${typeName}.${fieldName}`) ? field : null),
  });
  // Removing fields can empty a type, which then has to go too, with the fields that return it: repeat until stable.
  for (;;) {
    const empty = Object.values(schema.getTypeMap()).filter(
      (type) => (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__') && Object.keys(type.getFields()).length === 0,
    );
    if (empty.length === 0) break;
    // Query cannot be removed; a role left with no query field at all is a policy mistake, said out loud (and the
    // loop would otherwise never settle).
    if (empty.some((type) => type.name === 'Query')) {
      throw new Error(
        `role ${role} may read no field of Query: every root field is denied to it or returns a type it may not read; check the @access rules (npm run access-artefacts)`,
      );
    }
    const emptyNames = new Set(empty.map((type) => type.name));
    schema = mapSchema(schema, {
      [MapperKind.OBJECT_TYPE]: (type) => (emptyNames.has(type.name) ? null : type),
      [MapperKind.INTERFACE_TYPE]: (type) => (emptyNames.has(type.name) ? null : type),
      [MapperKind.COMPOSITE_FIELD]: (field) => (emptyNames.has(getNamedType(field.type).name) ? null : field),
    });
  }
  return pruneSchema(schema);
}
