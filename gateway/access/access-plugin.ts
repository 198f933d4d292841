import { createHash } from 'node:crypto';
import { execute, GraphQLError, GraphQLSchema, validate } from 'graphql';
import { ApolloServerPlugin, GraphQLRequestContext, HeaderMap } from '@apollo/server';
import { type AccessPolicy, ErrorCode, type MarketRole, machineTimeMs } from '../../core';
import { DeniedField, findDeniedFields } from './find-denied-fields';
import { introspectionUse, rootFieldNames } from './introspection';
import type { GatewayContext } from '../gateway-context';

/** One line of the audit log: who was refused what, never the token or the variables. */
export interface AccessAuditEntry {
  event: 'access_refused';
  at: string;
  requestId: string;
  participant: string;
  role: MarketRole;
  operationName: string | null;
  operationHash: string;
  fields: string[];
  principles: string[];
}

export interface AccessPluginOptions {
  apiSchema: GraphQLSchema;
  policy: AccessPolicy;
  roleSchemas: ReadonlyMap<MarketRole, GraphQLSchema>;
  /** The schemas introspection is answered from, when not the role schemas (the same with access notes in descriptions). */
  introspectionSchemas?: ReadonlyMap<MarketRole, GraphQLSchema>;
  audit: (entry: AccessAuditEntry) => void;
  /** Entries kept in the (role, document) decision cache. */
  cacheSize?: number;
}

type Decision = { kind: 'allowed' } | { kind: 'introspection' } | { kind: 'refused'; errors: GraphQLError[]; denied: DeniedField[] };

/**
 * Enforces @access at the gateway before any subgraph is called: each operation is checked against the acting role's
 * own API schema, a denied field refuses the whole operation exactly as a field that does not exist is refused (400
 * GRAPHQL_VALIDATION_FAILED; the field and principle go to the audit log), and introspection is answered from the
 * role's schema. Decisions are cached by (role, document).
 */
export function createAccessPlugin(options: AccessPluginOptions): ApolloServerPlugin<GatewayContext> {
  const cache = new Map<string, Decision>();
  const cacheSize = options.cacheSize ?? 5000;

  const decide = (role: MarketRole, context: GraphQLRequestContext<GatewayContext>): Decision => {
    const document = context.document!;
    const roleSchema = options.roleSchemas.get(role);
    if (!roleSchema) return refuse([new GraphQLError(`No API schema for role ${role}`, { extensions: { code: ErrorCode.FORBIDDEN } })], []);
    // Hidden answers exactly as unknown (issue 11, item 5): the operation is validated against the role's own schema,
    // where a denied field or type does not exist, and refused with graphql-js's words and Apollo's code for a field
    // that exists nowhere. Which fields were denied, and by which principle, goes to the audit log only.
    const denied = findDeniedFields(options.apiSchema, options.policy, role, document);
    const invalid = validate(roleSchema, document);
    if (invalid.length > 0 || denied.length > 0) {
      const errors = invalid.length > 0 ? invalid : denied.map(({ field }) => new GraphQLError(cannotQuery(field)));
      return refuse(errors.map(asUnknown), denied);
    }
    // No operation to run (several and no operationName): nothing is executed, and Apollo answers with its own error.
    if (!context.operation) return { kind: 'allowed' };
    const use = introspectionUse(rootFieldNames(document, context.operation));
    if (use === 'mixed') {
      return refuse(
        [
          new GraphQLError('Introspection (__schema, __type) must be asked on its own, not with data fields', {
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          }),
        ],
        [],
      );
    }
    return use === 'only' ? { kind: 'introspection' } : { kind: 'allowed' };
  };

  const cachedDecision = (role: MarketRole, context: GraphQLRequestContext<GatewayContext>): Decision => {
    const key = `${role}\u0000${context.operationName ?? ''}\u0000${context.queryHash}`;
    let decision = cache.get(key);
    if (!decision) {
      decision = decide(role, context);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(key, decision);
    }
    return decision;
  };

  return {
    async requestDidStart() {
      return {
        // Apollo Server validates against the whole API schema first, and graphql-js's words there can tell a hidden
        // type from a missing one ("Fragment cannot be spread here as objects of type A can never be of type B" vs
        // "Unknown type B"). So a document that fails there is answered with its errors against the role's own schema,
        // where hidden and missing are the same thing. The array is Apollo's own, refilled in place.
        async validationDidStart(context) {
          return async (errors) => {
            const roleSchema = options.roleSchemas.get(context.contextValue.caller.role);
            if (!errors?.length || !roleSchema || !context.document) return;
            const asRoleSees = validate(roleSchema, context.document).map(asUnknown);
            if (asRoleSees.length > 0) (errors as GraphQLError[]).splice(0, errors.length, ...asRoleSees);
          };
        },
        async responseForOperation(context) {
          const { caller, requestId } = context.contextValue;
          const decision = cachedDecision(caller.role, context);
          if (decision.kind === 'allowed') return null;
          if (decision.kind === 'introspection') {
            const result = await execute({
              schema: (options.introspectionSchemas ?? options.roleSchemas).get(caller.role)!,
              document: context.document,
              operationName: context.operationName,
              variableValues: context.request.variables,
            });
            return { http: { status: 200, headers: new HeaderMap() }, body: { kind: 'single', singleResult: result } };
          }
          if (decision.denied.length > 0) {
            context.contextValue.accessRefused = true;
            options.audit({
              event: 'access_refused',
              at: new Date(machineTimeMs()).toISOString(),
              requestId,
              participant: caller.participant,
              role: caller.role,
              operationName: context.operationName ?? null,
              operationHash:
                context.queryHash ??
                createHash('sha256')
                  .update(context.source ?? '')
                  .digest('hex'),
              fields: decision.denied.map((d) => d.field),
              principles: [...new Set(decision.denied.map((d) => d.principle).filter((p): p is string => p !== null))],
            });
          }
          const forbidden = decision.errors.some((error) => error.extensions.code === ErrorCode.FORBIDDEN);
          return {
            http: { status: forbidden ? 403 : 400, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: decision.errors.map((error) => error.toJSON()) } },
          };
        },
      };
    },
  };
}

/** graphql-js's " Did you mean …?" hint, cut as Apollo cuts it from its own validation errors (no schema leaks). */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** A validation error as Apollo Server answers one for a document that does not fit its schema. */
function asUnknown(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
  });
}

/** graphql-js's message for a field its schema lacks, for "Type.field". */
function cannotQuery(coordinate: string): string {
  const [type, field] = coordinate.split('.');
  return `Cannot query field "${field}" on type "${type}".`;
}

function refuse(errors: GraphQLError[], denied: DeniedField[]): Decision {
  return { kind: 'refused', errors, denied };
}
