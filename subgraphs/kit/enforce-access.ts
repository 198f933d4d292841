import { defaultFieldResolver, GraphQLError, GraphQLSchema, isObjectType } from 'graphql';
import { AccessPolicy, effectiveFieldRule, principleOfDenial } from './access-policy';
import { ErrorCode } from './errors';

/** What enforcement needs from a subgraph resolver's context: the role the gateway vouched for. */
export interface AccessContext {
  caller?: { role: string };
}

/**
 * Wraps every field resolver of a subgraph schema so that a field runs only for roles its @access rule allows
 * (defence in depth behind the gateway). A refusal is FORBIDDEN naming the field and principle; with no caller at
 * all nothing is readable.
 */
export function enforceAccess(schema: GraphQLSchema, policy: AccessPolicy): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const coordinate = `${type.name}.${field.name}`;
      const allowed = effectiveFieldRule(policy, coordinate)?.roles ?? new Set<string>();
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: AccessContext, info) => {
        const role = context.caller?.role;
        if (role === undefined || !allowed.has(role)) {
          const principle = role ? principleOfDenial(policy, role, coordinate) : null;
          throw new GraphQLError(`${coordinate} is not available to ${role ?? 'an unidentified caller'}${principle ? ` (${principle})` : ''}`, {
            extensions: { code: ErrorCode.FORBIDDEN, field: coordinate, ...(principle ? { principle } : {}) },
          });
        }
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
