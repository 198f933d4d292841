import {
  DocumentNode,
  GraphQLEnumType,
  GraphQLSchema,
  Kind,
  isInterfaceType,
  isObjectType,
  parse,
  printSchema,
  type DirectiveNode,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
} from 'graphql';
import { buildApiSchema } from '../gateway/access/api-schema';
import { buildRoleSchema } from '../gateway/access/role-schema';
import { AccessPolicy, canRead, ownPartyOnly, principleOfDenial, readAccessPolicy, isMarketRole, type MarketRole } from '../core';

/** Where the artefacts live, relative to the repository root. */
export const ROLE_SCHEMA_DIRECTORY = 'schema/roles';
export const ACCESS_MATRIX_PATHS = {
  json: 'schema/access-matrix.json',
  csv: 'schema/access-matrix.csv',
  md: 'schema/access-matrix.md',
} as const;

/**
 * One role's verdict on one field, and the principle the gateway cites when it refuses. `ownPartyOnly`: the role reads
 * the field only on its own party's rows (null on another's), as `@access(ownPartyOnly: …)` says.
 */
export interface FieldDecision {
  allowed: boolean;
  principle: string | null;
  ownPartyOnly?: true;
}

/** One field of the API schema with every role's decision. */
export interface MatrixField {
  field: string;
  subgraphs?: string[];
  decisions: Record<string, FieldDecision>;
}

/** Every field × role decision of the API schema: the content of schema/access-matrix.json. */
export interface AccessMatrix {
  roles: string[];
  types: Record<string, Record<string, boolean>>;
  fields: MatrixField[];
}

/** Short column names for the Markdown tables; a role missing here gets the initials of its words. */
const ROLE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  SUPPLIER: 'SUP',
  DISTRIBUTOR: 'DIST',
  MARKET_WIDE_DATA_SERVICE: 'MDS',
};

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** The path of the schema one role sees. */
export function roleSchemaPath(role: string): string {
  return `${ROLE_SCHEMA_DIRECTORY}/${role}.graphql`;
}

/** The market roles in contract order, as the API schema's MarketRole enum declares them. */
export function readMarketRoles(apiSchema: GraphQLSchema): MarketRole[] {
  const marketRole = apiSchema.getType('MarketRole');
  if (!(marketRole instanceof GraphQLEnumType)) throw new Error('the API schema has no MarketRole enum: cannot list the market roles');
  return marketRole.getValues().map((value) => {
    if (!isMarketRole(value.name)) throw new Error(`the API schema's MarketRole enum has ${value.name}, which MARKET_ROLES lacks`);
    return value.name;
  });
}

/** Object and interface types clients can query, without introspection or federation machinery. */
function clientCompositeTypes(apiSchema: GraphQLSchema): Array<GraphQLObjectType | GraphQLInterfaceType> {
  return Object.values(apiSchema.getTypeMap())
    .filter((type): type is GraphQLObjectType | GraphQLInterfaceType => isObjectType(type) || isInterfaceType(type))
    .filter((type) => !type.name.startsWith('_'))
    .sort((a, b) => compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function argument(directive: DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value?.kind === Kind.ENUM || value?.kind === Kind.STRING || value?.kind === Kind.BOOLEAN ? String(value.value) : undefined;
}

/**
 * "Type.field" → the subgraphs that resolve it, from the supergraph's join directives: a field's own @join__field
 * graphs (external ones excluded), else every graph of its type's @join__type.
 */
function readFieldSubgraphs(supergraph: DocumentNode): Map<string, string[]> {
  const graphNames = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      graphNames.set(value.name.value, (graph && argument(graph, 'name')) ?? value.name.value);
    }
  }
  const graphsOf = (directives: readonly DirectiveNode[] | undefined, directiveName: string) =>
    (directives ?? [])
      .filter((d) => d.name.value === directiveName && argument(d, 'external') !== 'true')
      .map((d) => argument(d, 'graph'))
      .filter((graph): graph is string => graph !== undefined)
      .map((graph) => graphNames.get(graph) ?? graph);
  const result = new Map<string, string[]>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeGraphs = graphsOf(definition.directives, 'join__type');
    for (const field of definition.fields ?? []) {
      const fieldGraphs = field.directives?.some((d) => d.name.value === 'join__field')
        ? graphsOf(field.directives, 'join__field')
        : typeGraphs;
      result.set(`${definition.name.value}.${field.name.value}`, [...new Set(fieldGraphs)].sort(compare));
    }
  }
  return result;
}

/** Every field × role decision of the supergraph's API schema, fields sorted by coordinate. */
export function buildAccessMatrix(supergraphSdl: string): AccessMatrix {
  const document = parse(supergraphSdl);
  const policy = readAccessPolicy(document);
  const apiSchema = buildApiSchema(supergraphSdl);
  return matrixOf(apiSchema, policy, readMarketRoles(apiSchema), readFieldSubgraphs(document));
}

function matrixOf(
  apiSchema: GraphQLSchema,
  policy: AccessPolicy,
  roles: MarketRole[],
  subgraphsByField: Map<string, string[]>,
): AccessMatrix {
  const types = clientCompositeTypes(apiSchema);
  const typeDecisions: AccessMatrix['types'] = {};
  for (const type of types) {
    if (ROOT_TYPES.has(type.name)) continue;
    typeDecisions[type.name] = Object.fromEntries(roles.map((role) => [role, canRead(policy, role, type.name)]));
  }
  const coordinates = types.flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`)).sort(compare);
  const fields = coordinates.map((coordinate): MatrixField => {
    const subgraphs = subgraphsByField.get(coordinate);
    const decisions = Object.fromEntries(
      roles.map((role): [string, FieldDecision] => {
        const allowed = canRead(policy, role, coordinate);
        const own = allowed && ownPartyOnly(policy, role, coordinate);
        return [
          role,
          { allowed, principle: allowed ? null : principleOfDenial(policy, role, coordinate), ...(own ? { ownPartyOnly: true } : {}) },
        ];
      }),
    );
    return { field: coordinate, ...(subgraphs && subgraphs.length > 0 ? { subgraphs } : {}), decisions };
  });
  return { roles, types: typeDecisions, fields };
}

/**
 * Everything the security group reviews, keyed by path relative to the repository root: one schema per role and the
 * field × role matrix as JSON, CSV and Markdown. Deterministic: the same supergraph always gives the same bytes.
 */
export function buildAccessArtefacts(supergraphSdl: string): Map<string, string> {
  const document = parse(supergraphSdl);
  const policy = readAccessPolicy(document);
  const apiSchema = buildApiSchema(supergraphSdl);
  const roles = readMarketRoles(apiSchema);
  const matrix = matrixOf(apiSchema, policy, roles, readFieldSubgraphs(document));

  const artefacts = new Map<string, string>();
  for (const role of roles) {
    const header = [
      `# Generated by \`npm run access-artefacts\` from schema/supergraph.graphql: the API schema market role ${role} can see.`,
      '# Do not edit by hand: change the @access rules in subgraphs/*/schema.graphql, then run npm run compose and npm run access-artefacts.',
    ].join('\n');
    artefacts.set(roleSchemaPath(role), `${header}\n\n${printSchema(buildRoleSchema(apiSchema, policy, role))}\n`);
  }
  artefacts.set(ACCESS_MATRIX_PATHS.json, renderJson(matrix));
  artefacts.set(ACCESS_MATRIX_PATHS.csv, renderCsv(matrix));
  artefacts.set(ACCESS_MATRIX_PATHS.md, renderMarkdown(matrix, apiSchema));
  return artefacts;
}

/** Pretty JSON with each decision on one line, so a changed rule shows up as one changed line per role in a diff. */
function renderJson(matrix: AccessMatrix): string {
  const pretty = JSON.stringify(matrix, null, 2);
  return `${pretty.replace(
    /\{\n\s+"allowed": (true|false),\n\s+"principle": (null|"[^"\n]*")(,\n\s+"ownPartyOnly": true)?\n\s+\}/g,
    (_match, allowed: string, principle: string, own?: string) =>
      `{ "allowed": ${allowed}, "principle": ${principle}${own ? ', "ownPartyOnly": true' : ''} }`,
  )}\n`;
}

function csvCell(decision: FieldDecision): string {
  if (decision.allowed) return decision.ownPartyOnly ? 'allow own party' : 'allow';
  return decision.principle ? `deny (${decision.principle})` : 'deny';
}

function renderCsv(matrix: AccessMatrix): string {
  const lines = [['field', ...matrix.roles].join(',')];
  for (const field of matrix.fields) lines.push([field.field, ...matrix.roles.map((role) => csvCell(field.decisions[role]))].join(','));
  return `${lines.join('\n')}\n`;
}

/** Column names for the roles: the known abbreviations, else initials; full names where two would collide. */
function abbreviateRoles(roles: readonly string[]): Map<string, string> {
  const short = roles.map(
    (role) =>
      ROLE_ABBREVIATIONS[role] ??
      role
        .split('_')
        .map((word) => word[0])
        .join(''),
  );
  const unique = new Set(short).size === short.length;
  return new Map(roles.map((role, index) => [role, unique ? short[index] : role]));
}

function markdownCell(decision: FieldDecision): string {
  if (decision.allowed) return decision.ownPartyOnly ? '✓ own' : '✓';
  return decision.principle ? `✗ ${decision.principle}` : '✗';
}

function renderMarkdown(matrix: AccessMatrix, apiSchema: GraphQLSchema): string {
  const { roles } = matrix;
  const abbreviation = abbreviateRoles(roles);
  const marketRole = apiSchema.getType('MarketRole') as GraphQLEnumType;
  const byCoordinate = new Map(matrix.fields.map((field) => [field.field, field]));
  const lines: string[] = [
    '# Access matrix: which market role can read which field',
    '',
    'Generated by `npm run access-artefacts` from `schema/supergraph.graphql`; do not edit by hand. The same decisions are in',
    "`access-matrix.csv` and `access-matrix.json`, and each role's whole schema is in `roles/<ROLE>.graphql`.",
    '',
    '- **Allow-list, fail closed.** ✓ = the role can read the field; ✗ = the gateway refuses it (and removes it from the',
    "  role's schema). A type or field without an `@access` rule is readable by nobody, and compose refuses it.",
    "- **Strictest wins.** A field is readable only when its own rule, its parent type's and its return type's all allow",
    '  the role; where several subgraphs define a field (or it `@requires` another), every rule must allow it.',
    '- `✗ PRI-xxx` names the design principle the refusal cites; a bare ✗ means the role is simply not on the allow-list.',
    '- `✓ own` = the role reads the field only on rows of the party it acts for (`@access(ownPartyOnly: …)`); on another',
    "  party's row the field answers null, like a value that is not there (commercially sensitive CRA data, issue 11).",
    '- After changing an `@access` rule run `npm run compose` and `npm run access-artefacts`; a test fails when this file drifts.',
    '',
    '## Roles',
    '',
    '| column | market role | fields readable | description |',
    '|---|---|--:|---|',
  ];
  for (const role of roles) {
    const readable = matrix.fields.filter((field) => field.decisions[role].allowed).length;
    const description = marketRole.getValue(role)?.description?.replace(/\s+/g, ' ') ?? '';
    lines.push(`| ${abbreviation.get(role)} | ${role} | ${readable} of ${matrix.fields.length} | ${description} |`);
  }

  lines.push('', '## Principles enforced', '');
  lines.push('Each principle cited by a refusal, with the fields it protects and the roles it refuses them to.', '');
  const principles = [...new Set(matrix.fields.flatMap((field) => roles.map((role) => field.decisions[role].principle)))]
    .filter((principle): principle is string => principle !== null)
    .sort(compare);
  for (const principle of principles) {
    lines.push(`### ${principle}`, '');
    // Fields refused to the same roles share a line: a reviewer checks one role list per group.
    const groups = new Map<string, string[]>();
    for (const field of matrix.fields) {
      const refused = roles.filter((role) => field.decisions[role].principle === principle);
      if (refused.length === 0) continue;
      const key = refused.map((role) => abbreviation.get(role)).join(', ');
      groups.set(key, [...(groups.get(key) ?? []), field.field]);
    }
    for (const [refusedTo, fields] of groups) lines.push(`- denied to ${refusedTo}: ${fields.map((field) => `\`${field}\``).join(', ')}`);
    lines.push('');
  }

  lines.push('## Fields by type', '');
  lines.push('Query first, then the types in alphabetical order; fields in schema order.', '');
  const header = `| field | ${roles.map((role) => abbreviation.get(role)).join(' | ')} |`;
  const divider = `|---|${roles.map(() => ':-:').join('|')}|`;
  const types = clientCompositeTypes(apiSchema).sort((a, b) => Number(b.name === 'Query') - Number(a.name === 'Query'));
  for (const type of types) {
    const coordinates = Object.keys(type.getFields()).map((field) => `${type.name}.${field}`);
    const subgraphs = [...new Set(coordinates.flatMap((coordinate) => byCoordinate.get(coordinate)?.subgraphs ?? []))].sort(compare);
    const typeRule = matrix.types[type.name];
    const readers = typeRule ? roles.filter((role) => typeRule[role]).map((role) => abbreviation.get(role)) : null;
    lines.push(`### ${type.name}`, '');
    const notes = [
      subgraphs.length > 0 ? `subgraphs: ${subgraphs.join(', ')}` : null,
      readers ? `type readable by: ${readers.length > 0 ? readers.join(', ') : 'nobody'}` : 'root type: each field has its own rule',
    ].filter((note): note is string => note !== null);
    lines.push(`${notes.join('; ')}`, '', header, divider);
    for (const coordinate of coordinates) {
      const field = byCoordinate.get(coordinate)!;
      lines.push(`| \`${coordinate.split('.')[1]}\` | ${roles.map((role) => markdownCell(field.decisions[role])).join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
