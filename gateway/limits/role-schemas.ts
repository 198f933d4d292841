import { parse, type GraphQLSchema } from 'graphql';
import { type AccessPolicy, MARKET_ROLES, type MarketRole, readAccessPolicy } from '../../core';
import { buildApiSchema } from '../access/api-schema';
import { buildRoleSchema } from '../access/role-schema';

/** The API schema, its access policy and each role's own schema, built once per gateway (they take about a second). */
export interface SchemasByRole {
  apiSchema: GraphQLSchema;
  policy: AccessPolicy;
  /** Empty when ACCESS=off. */
  roleSchemas: ReadonlyMap<MarketRole, GraphQLSchema>;
}

export function buildSchemasByRole(supergraphSdl: string, accessEnforcement: boolean): SchemasByRole {
  const apiSchema = buildApiSchema(supergraphSdl);
  const policy = readAccessPolicy(parse(supergraphSdl));
  // Said before any role schema is built: each would otherwise fail alone with a message that hides the cause.
  if (accessEnforcement && ![...policy.fields.values()].some((field) => field.rule !== null)) {
    throw new Error(
      'the supergraph carries no @access rules, so ACCESS=on would deny every field: serve one composed by `npm run compose`, or set ACCESS=off to serve a foreign supergraph without per-role checks',
    );
  }
  const roleSchemas = accessEnforcement
    ? new Map(MARKET_ROLES.map((role) => [role, buildRoleSchema(apiSchema, policy, role)]))
    : new Map<MarketRole, GraphQLSchema>();
  return { apiSchema, policy, roleSchemas };
}

/**
 * The schema the limits measure an operation on: the acting role's own (what it can see), or the whole API schema
 * when ACCESS=off. A field the role cannot see then costs what an unknown field costs, so a refusal never tells a
 * hidden field from a missing one.
 */
export function limitSchemaFor(schemas: SchemasByRole, role: string): GraphQLSchema {
  return schemas.roleSchemas.get(role as MarketRole) ?? schemas.apiSchema;
}
