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
 * own API schema, a denied field refuses the whole operation (FORBIDDEN naming the field and principle, written to
 * the audit log), and introspection is answered from the role's schema. Decisions are cached by (role, document).
 */
export function createAccessPlugin(options: AccessPluginOptions): ApolloServerPlugin<GatewayContext> {
  const cache = new Map<string, Decision>();
  const cacheSize = options.cacheSize ?? 5000;

  const decide = (role: MarketRole, context: GraphQLRequestContext<GatewayContext>): Decision => {
    const document = context.document!;
    const roleSchema = options.roleSchemas.get(role);
    if (!roleSchema) return refuse([new GraphQLError(`No API schema for role ${role}`, { extensions: { code: ErrorCode.FORBIDDEN } })], []);
    const denied = findDeniedFields(options.apiSchema, options.policy, role, document);
    if (denied.length > 0) {
      return refuse(
        denied.map(
          ({ field, principle }) =>
            new GraphQLError(`${field} is not available to ${role}${principle ? ` (${principle})` : ''}`, {
              extensions: { code: ErrorCode.FORBIDDEN, field, ...(principle ? { principle } : {}) },
            }),
        ),
        denied,
      );
    }
    // Anything else the role's schema rejects (a fragment on a type it cannot see, say) is refused in its own terms.
    const invalid = validate(roleSchema, document);
    if (invalid.length > 0) {
      return refuse(
        invalid.map((error) => new GraphQLError(error.message, { extensions: { code: ErrorCode.FORBIDDEN } })),
        [],
      );
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

function refuse(errors: GraphQLError[], denied: DeniedField[]): Decision {
  return { kind: 'refused', errors, denied };
}
