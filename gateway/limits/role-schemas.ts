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
