import {
  DirectiveNode,
  DocumentNode,
  Kind,
  ObjectTypeDefinitionNode,
  InterfaceTypeDefinitionNode,
  ObjectTypeExtensionNode,
  InterfaceTypeExtensionNode,
  TypeNode,
  visit,
  print,
  StringValueNode,
  ValueNode,
  EnumValueNode,
} from 'graphql';
import { isMarketRole, type MarketRole } from './market-roles';

/**
 * Who may read one type or field: an allow-list of market roles and the principle it implements, if any. Roles in
 * `ownPartyOnly` (always also in `roles`) read the field only on rows of the party they act for: on another party's row
 * the owning subgraph answers null, as for a value that is not there (subgraphs/kit/enforce-access.ts).
 */
export interface AccessRule {
  roles: ReadonlySet<MarketRole>;
  principle: string | null;
  ownPartyOnly?: ReadonlySet<MarketRole>;
}

/** A field's own rule and the named type it returns (whose rule also applies). */
export interface FieldAccess {
  rule: AccessRule | null;
  returnType: string;
}

/**
 * The @access rules of a schema keyed by coordinate: types by name, fields by "Type.field". A missing rule means
 * nobody may read (fail closed).
 */
export interface AccessPolicy {
  types: Map<string, AccessRule | null>;
  fields: Map<string, FieldAccess>;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

type CompositeDefinition = ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode;

function isComposite(node: { kind: string }): node is CompositeDefinition {
  return (
    node.kind === Kind.OBJECT_TYPE_DEFINITION ||
    node.kind === Kind.OBJECT_TYPE_EXTENSION ||
    node.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    node.kind === Kind.INTERFACE_TYPE_EXTENSION
  );
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** A role named in an @access rule; the SDL enum makes anything else a mistake in the schema. */
function marketRoleOf(name: string): MarketRole {
  if (!isMarketRole(name)) throw new Error(`@access names "${name}", which is not a MarketRole`);
  return name;
}

/** Reads one @access application; null when the node has none. */
function ruleOf(directives: readonly DirectiveNode[] | undefined): AccessRule | null {
  const access = directives?.find((d) => d.name.value === 'access');
  if (!access) return null;
  const rolesArg = access.arguments?.find((a) => a.name.value === 'roles')?.value;
  const principleArg = access.arguments?.find((a) => a.name.value === 'principle')?.value as StringValueNode | undefined;
  const roles = new Set(rolesOf(rolesArg).map(marketRoleOf));
  const ownPartyOnly = rolesOf(access.arguments?.find((a) => a.name.value === 'ownPartyOnly')?.value).map(marketRoleOf);
  const strayed = ownPartyOnly.filter((role) => !roles.has(role));
  if (strayed.length > 0) throw new Error(`@access ownPartyOnly names ${strayed.join(', ')}, which its roles do not list`);
  return {
    roles,
    principle: principleArg?.kind === Kind.STRING ? principleArg.value : null,
    ...(ownPartyOnly.length > 0 ? { ownPartyOnly: new Set(ownPartyOnly) } : {}),
  };
}

/** The enum names of a list (or single enum) argument value. */
function rolesOf(value: ValueNode | undefined): string[] {
  const nodes = value?.kind === Kind.LIST ? value.values : value ? [value] : [];
  return nodes.map((node) => (node as EnumValueNode).value);
}

/** Reads the @access rules declared in one SDL document (a subgraph's, or the supergraph). */
export function readAccessPolicy(document: DocumentNode): AccessPolicy {
  const policy: AccessPolicy = { types: new Map(), fields: new Map() };
  for (const definition of document.definitions) {
    if (!isComposite(definition) || definition.name.value.startsWith('_')) continue;
    const typeName = definition.name.value;
    if (!ROOT_TYPES.has(typeName) && !policy.types.get(typeName)) policy.types.set(typeName, ruleOf(definition.directives));
    for (const field of definition.fields ?? []) {
      policy.fields.set(`${typeName}.${field.name.value}`, { rule: ruleOf(field.directives), returnType: namedType(field.type) });
    }
  }
  return policy;
}

/** Every type and field of `document` that has no @access: nobody could read it, so compose refuses it. */
export function findUnruledCoordinates(document: DocumentNode): string[] {
  const policy = readAccessPolicy(document);
  return [
    ...[...policy.types].filter(([, rule]) => !rule).map(([name]) => name),
    ...[...policy.fields].filter(([, field]) => !field.rule).map(([coordinate]) => coordinate),
  ];
}

/**
 * The roles both rules allow; the principle of the stricter one explains a refusal. A role limited to its own party's
 * rows by either rule stays limited (the strictest wins).
 */
export function intersectRules(a: AccessRule | null, b: AccessRule | null): AccessRule | null {
  if (!a || !b) return null;
  const roles = new Set([...a.roles].filter((role) => b.roles.has(role)));
  // The rule that removed roles is the one whose principle explains a refusal.
  const principle = roles.size < a.roles.size ? (b.principle ?? a.principle) : (a.principle ?? b.principle);
  const ownPartyOnly = [...(a.ownPartyOnly ?? []), ...(b.ownPartyOnly ?? [])].filter((role) => roles.has(role));
  return { roles, principle, ...(ownPartyOnly.length > 0 ? { ownPartyOnly: new Set(ownPartyOnly) } : {}) };
}

/**
 * Merges the policies of the subgraphs into the supergraph's: where a type or field is defined in several subgraphs,
 * only roles every definition allows remain (the strictest wins). A field with @requires also needs the rules of
 * the fields it requires.
 */
export function mergeSubgraphPolicies(documents: readonly DocumentNode[]): AccessPolicy {
  const merged: AccessPolicy = { types: new Map(), fields: new Map() };
  for (const document of documents) {
    const policy = readAccessPolicy(document);
    for (const [name, rule] of policy.types) {
      merged.types.set(name, merged.types.has(name) ? intersectRules(merged.types.get(name)!, rule) : rule);
    }
    for (const [coordinate, field] of policy.fields) {
      const known = merged.fields.get(coordinate);
      merged.fields.set(coordinate, known ? { ...known, rule: intersectRules(known.rule, field.rule) } : field);
    }
    for (const [coordinate, requiredFields] of requiresOf(document)) {
      const typeName = coordinate.split('.')[0];
      const field = merged.fields.get(coordinate)!;
      for (const required of requiredFields) {
        field.rule = intersectRules(field.rule, merged.fields.get(`${typeName}.${required}`)?.rule ?? null);
      }
    }
  }
  return merged;
}

/** "Type.field" → the top-level field names of its @requires selection. */
function requiresOf(document: DocumentNode): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (!isComposite(definition)) continue;
    for (const field of definition.fields ?? []) {
      const requires = field.directives?.find((d) => d.name.value === 'requires');
      const fields = requires?.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) {
        const topLevel = fields.value
          .replace(/\{[^{}]*\}/g, ' ')
          .split(/\s+/)
          .filter(Boolean);
        result.set(`${definition.name.value}.${field.name.value}`, topLevel);
      }
    }
  }
  return result;
}

/**
 * The rule that decides whether a field can be read: its own, its parent type's and its return type's, intersected.
 * Null when any of them is missing (nobody may read it).
 */
export function effectiveFieldRule(policy: AccessPolicy, coordinate: string): AccessRule | null {
  const field = policy.fields.get(coordinate);
  if (!field) return null;
  const parent = coordinate.split('.')[0];
  let rule = field.rule;
  if (!ROOT_TYPES.has(parent)) rule = intersectRules(rule, policy.types.get(parent) ?? null);
  if (policy.types.has(field.returnType)) rule = intersectRules(rule, policy.types.get(field.returnType) ?? null);
  return rule;
}

/** Whether `role` may read the type or field at `coordinate` ("Type" or "Type.field"). */
export function canRead(policy: AccessPolicy, role: MarketRole, coordinate: string): boolean {
  const rule = coordinate.includes('.') ? effectiveFieldRule(policy, coordinate) : (policy.types.get(coordinate) ?? null);
  return rule?.roles.has(role) ?? false;
}

/** Whether `role` may read the field at `coordinate` only on rows of the party it acts for. */
export function ownPartyOnly(policy: AccessPolicy, role: MarketRole, coordinate: string): boolean {
  return effectiveFieldRule(policy, coordinate)?.ownPartyOnly?.has(role) ?? false;
}

/** The principle behind refusing `role` the field at `coordinate`, when a rule names one. */
export function principleOfDenial(policy: AccessPolicy, role: MarketRole, coordinate: string): string | null {
  const field = policy.fields.get(coordinate);
  if (!field) return null;
  const [parent] = coordinate.split('.');
  const candidates = [field.rule, policy.types.get(parent) ?? null, policy.types.get(field.returnType) ?? null];
  for (const rule of candidates) if (rule && !rule.roles.has(role) && rule.principle) return rule.principle;
  return null;
}

function accessDirective(rule: AccessRule): DirectiveNode {
  const roles = [...rule.roles].sort();
  const ownPartyOnly = [...(rule.ownPartyOnly ?? [])].sort();
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'access' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'roles' },
        value: { kind: Kind.LIST, values: roles.map((value) => ({ kind: Kind.ENUM, value })) },
      },
      ...(rule.principle
        ? [
            {
              kind: Kind.ARGUMENT as const,
              name: { kind: Kind.NAME as const, value: 'principle' },
              value: { kind: Kind.STRING as const, value: rule.principle },
            },
          ]
        : []),
      ...(ownPartyOnly.length > 0
        ? [
            {
              kind: Kind.ARGUMENT as const,
              name: { kind: Kind.NAME as const, value: 'ownPartyOnly' },
              value: { kind: Kind.LIST as const, values: ownPartyOnly.map((value) => ({ kind: Kind.ENUM as const, value })) },
            },
          ]
        : []),
    ],
  };
}

/**
 * Rewrites the @access applications of the composed supergraph with the merged (strictest) rules: composition itself
 * keeps the first subgraph's arguments when subgraphs disagree.
 */
export function applyPolicyToSupergraph(supergraph: DocumentNode, policy: AccessPolicy): string {
  let currentType = '';
  const replace = (directives: readonly DirectiveNode[] | undefined, rule: AccessRule | null | undefined) =>
    directives?.map((d) => (d.name.value === 'access' && rule ? accessDirective(rule) : d));
  const rewritten = visit(supergraph, {
    enter(node) {
      if (isComposite(node)) {
        currentType = node.name.value;
        return { ...node, directives: replace(node.directives, policy.types.get(currentType)) };
      }
      if (node.kind === Kind.FIELD_DEFINITION) {
        const field = node;
        return { ...field, directives: replace(field.directives, policy.fields.get(`${currentType}.${field.name.value}`)?.rule) };
      }
      return undefined;
    },
  });
  return print(rewritten);
}
