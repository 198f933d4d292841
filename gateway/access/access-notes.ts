import { GraphQLObjectType, GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { type AccessPolicy, type AccessRule, effectiveFieldRule } from '../../core';

/** "Access: roles A, B (PRI-…)": the line the docs explorer shows under a type or field. */
export function accessNote(rule: AccessRule): string {
  const own = [...(rule.ownPartyOnly ?? [])].sort();
  return `Access: roles ${[...rule.roles].sort().join(', ')}${own.length > 0 ? ` (${own.join(', ')}: own party only)` : ''}${rule.principle ? `; principle ${rule.principle}` : ''}.`;
}

const withNote = (description: string | null | undefined, rule: AccessRule | null | undefined) =>
  rule ? `${description ? `${description}\n\n` : ''}${accessNote(rule)}` : description;

/**
 * A role's schema as the playground's docs explorer shows it: every type and field that carries an @access rule has
 * the roles that may read it and the principle behind it appended to its description. Only introspection is answered
 * from it; operations are still validated against the role's plain schema.
 */
export function withAccessNotes(roleSchema: GraphQLSchema, policy: AccessPolicy): GraphQLSchema {
  return mapSchema(roleSchema, {
    [MapperKind.OBJECT_TYPE]: (type) =>
      new GraphQLObjectType({ ...type.toConfig(), description: withNote(type.description, policy.types.get(type.name)) }),
    [MapperKind.INTERFACE_TYPE]: (type) =>
      new GraphQLInterfaceType({ ...type.toConfig(), description: withNote(type.description, policy.types.get(type.name)) }),
    [MapperKind.COMPOSITE_FIELD]: (field, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      const own = policy.fields.get(coordinate)?.rule;
      const effective = effectiveFieldRule(policy, coordinate);
      const rule = effective && !effective.principle && own?.principle ? { ...effective, principle: own.principle } : effective;
      return { ...field, description: withNote(field.description, rule) };
    },
  });
}
