import { DocumentNode, GraphQLSchema, TypeInfo, visit, visitWithTypeInfo, getNamedType } from 'graphql';
import { AccessPolicy, canRead, principleOfDenial, type MarketRole } from '../../core';

/** A field a request asked for that its role may not read, and the principle behind the rule, when one applies. */
export interface DeniedField {
  field: string;
  principle: string | null;
}

/**
 * Every field of `document` that `role` may not read, named by coordinate ("Type.field"), found by walking the
 * document against the full API schema (so aliases, fragments and inline fragments are all covered).
 */
export function findDeniedFields(apiSchema: GraphQLSchema, policy: AccessPolicy, role: MarketRole, document: DocumentNode): DeniedField[] {
  const typeInfo = new TypeInfo(apiSchema);
  const denied = new Map<string, DeniedField>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        // Introspection is answered from the role's own schema, so its meta fields need no rule.
        if (!parent || name.startsWith('__') || getNamedType(parent).name.startsWith('__')) return;
        const coordinate = `${getNamedType(parent).name}.${name}`;
        if (!denied.has(coordinate) && !canRead(policy, role, coordinate)) {
          denied.set(coordinate, { field: coordinate, principle: principleOfDenial(policy, role, coordinate) });
        }
      },
    }),
  );
  return [...denied.values()];
}
