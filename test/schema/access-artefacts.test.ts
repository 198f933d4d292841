import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLSchema, isInterfaceType, isObjectType, Kind, parse, validateSchema } from 'graphql';
import { readCommittedSupergraph } from '../../dev/compose-supergraph';
import {
  ACCESS_MATRIX_PATHS,
  AccessMatrix,
  buildAccessArtefacts,
  ROLE_SCHEMA_DIRECTORY,
  roleSchemaPath,
} from '../../dev/access-artefacts';
import { buildApiSchema } from '../../gateway/access/api-schema';

const ROOT = join(__dirname, '..', '..');
const supergraph = readCommittedSupergraph();
const artefacts = buildAccessArtefacts(supergraph);
const matrix = JSON.parse(artefacts.get(ACCESS_MATRIX_PATHS.json)!) as AccessMatrix;

/** The market roles as schema/access.graphql declares them, in contract order. */
function declaredMarketRoles(): string[] {
  const document = parse(readFileSync(join(ROOT, 'schema', 'access.graphql'), 'utf8'));
  const marketRole = document.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'MarketRole');
  return marketRole?.kind === Kind.ENUM_TYPE_DEFINITION ? (marketRole.values ?? []).map((value) => value.name.value) : [];
}

function roleSchema(role: string): GraphQLSchema {
  return buildSchema(artefacts.get(roleSchemaPath(role))!);
}

/** "Type.field" of every field clients can select in `schema`. */
function fieldCoordinates(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__'))
    .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`))
    .sort();
}

/** Every type name and bare field name of `schema`: what a role could learn exists by introspecting it. */
function namesIn(schema: GraphQLSchema): Set<string> {
  return new Set([...Object.keys(schema.getTypeMap()), ...fieldCoordinates(schema).map((coordinate) => coordinate.split('.')[1])]);
}

function decision(field: string, role: string) {
  const row = matrix.fields.find((f) => f.field === field);
  if (!row) throw new Error(`${field} is not in the access matrix`);
  return row.decisions[role];
}

const DATA_SERVICES = ['SMART_DATA_SERVICE', 'ADVANCED_DATA_SERVICE', 'UNMETERED_DATA_SERVICE'];

describe('committed access artefacts', () => {
  it.each([...artefacts.keys()].map((path) => [path]))(
    '%s is exactly what the committed supergraph gives now (run npm run access-artefacts and commit when this fails)',
    (path) => {
      const file = join(ROOT, path);
      expect(existsSync(file) ? readFileSync(file, 'utf8') : `${path} is missing`).toBe(artefacts.get(path));
    },
  );

  it('has no role schema for a role that does not exist (run npm run access-artefacts to remove it)', () => {
    const committed = readdirSync(join(ROOT, ROLE_SCHEMA_DIRECTORY)).map((name) => `${ROLE_SCHEMA_DIRECTORY}/${name}`);
    expect(committed.sort()).toEqual([...artefacts.keys()].filter((path) => path.startsWith(`${ROLE_SCHEMA_DIRECTORY}/`)).sort());
  });
});

describe('access matrix', () => {
  it('lists the market roles of schema/access.graphql in contract order', () => {
    expect(matrix.roles).toEqual(declaredMarketRoles());
    expect(matrix.roles).toHaveLength(12);
  });

  it('covers every field of the API schema and nothing from introspection or federation, sorted by coordinate', () => {
    const coordinates = matrix.fields.map((f) => f.field);
    expect(coordinates).toEqual(fieldCoordinates(buildApiSchema(supergraph)));
    expect(coordinates.filter((c) => /(^|\.)_/.test(c))).toEqual([]);
  });

  it('has a decision for every field and role, and a principle only on refusals', () => {
    for (const field of matrix.fields) {
      expect(Object.keys(field.decisions)).toEqual(matrix.roles);
      for (const role of matrix.roles) {
        const { allowed, principle } = field.decisions[role];
        expect(typeof allowed).toBe('boolean');
        if (allowed) expect(principle).toBeNull();
      }
    }
    for (const rules of Object.values(matrix.types)) expect(Object.keys(rules)).toEqual(matrix.roles);
  });

  it('gives the same decisions in the CSV as in the JSON', () => {
    const [header, ...rows] = artefacts.get(ACCESS_MATRIX_PATHS.csv)!.trimEnd().split('\n');
    expect(header).toBe(['field', ...matrix.roles].join(','));
    expect(rows).toHaveLength(matrix.fields.length);
    expect(rows[0]).toMatch(/^Address\.line1,/);
    const bscParties = rows.find((row) => row.startsWith('Query.bscParties,'))!.split(',');
    expect(bscParties[matrix.roles.indexOf('MARKET_WIDE_DATA_SERVICE') + 1]).toBe('deny (PRI-003b)');
    expect(bscParties[matrix.roles.indexOf('CENTRAL_REGISTRATION_AGENT') + 1]).toBe('allow');
  });

  it('names the subgraphs that resolve a field', () => {
    expect(matrix.fields.find((f) => f.field === 'MeteringPoint.readings')?.subgraphs).toEqual(['metering-data']);
    expect(matrix.fields.find((f) => f.field === 'MeteringPoint.mpanCore')?.subgraphs).toEqual([
      'appointment',
      'metering-data',
      'registration',
      'settlement',
    ]);
  });
});

describe('role schemas', () => {
  it.each(declaredMarketRoles().map((role) => [role]))('%s has a valid schema with a Query type', (role) => {
    const schema = roleSchema(role);
    expect(validateSchema(schema)).toEqual([]);
    expect(schema.getQueryType()?.name).toBe('Query');
  });

  it.each(declaredMarketRoles().map((role) => [role]))('%s sees exactly the fields the matrix allows it', (role) => {
    const allowed = matrix.fields.filter((f) => f.decisions[role].allowed).map((f) => f.field);
    expect(fieldCoordinates(roleSchema(role))).toEqual(allowed);
  });
});

describe('principles the rules enforce', () => {
  const CRA_DATA = ['leadParty', 'creditAssessmentLoadFactor', 'generationCapacityMw', 'demandCapacityMw', 'tradingUnit', 'BscParty', 'bscParties'];

  it('PRI-003b: the Market-wide Data Service sees no CRA data; the Central Registration Agent does', () => {
    const mds = namesIn(roleSchema('MARKET_WIDE_DATA_SERVICE'));
    const cra = namesIn(roleSchema('CENTRAL_REGISTRATION_AGENT'));
    expect(CRA_DATA.filter((name) => mds.has(name))).toEqual([]);
    expect(CRA_DATA.filter((name) => !cra.has(name))).toEqual([]);
    expect(decision('BmUnit.leadParty', 'MARKET_WIDE_DATA_SERVICE')).toEqual({ allowed: false, principle: 'PRI-003b' });
  });

  it('PRI-003b: the Market-wide Data Service still sees the identifiers it aggregates by', () => {
    const mds = fieldCoordinates(roleSchema('MARKET_WIDE_DATA_SERVICE'));
    expect(mds).toEqual(expect.arrayContaining(['BmUnit.id', 'GspGroup.id', 'MeteringPoint.gspGroup', 'MeteringPoint.currentSupplier']));
  });

  it("commercially sensitive CRA data (issue 11): a supplier reads it only for its own party, the central roles whole; the public registration stays the suppliers'", () => {
    const sensitive = [
      'BmUnit.creditAssessmentLoadFactor',
      'BmUnit.generationCapacityMw',
      'BmUnit.demandCapacityMw',
      'BmUnit.tradingUnit',
      'BscParty.qualificationStatus',
    ];
    const cells = (coordinate: string) =>
      Object.fromEntries(
        (['SUPPLIER', 'VOLUME_ALLOCATION_SERVICE', 'CENTRAL_REGISTRATION_AGENT'] as const).map((role) => [role, decision(coordinate, role)]),
      );
    for (const coordinate of sensitive) {
      expect({ coordinate, cells: cells(coordinate) }).toEqual({
        coordinate,
        cells: {
          SUPPLIER: { allowed: true, principle: null, ownPartyOnly: true },
          VOLUME_ALLOCATION_SERVICE: { allowed: true, principle: null },
          CENTRAL_REGISTRATION_AGENT: { allowed: true, principle: null },
        },
      });
    }
    for (const coordinate of ['BmUnit.id', 'BmUnit.kind', 'BmUnit.gspGroup', 'BmUnit.leadParty', 'BscParty.name']) {
      expect({ coordinate, supplier: decision(coordinate, 'SUPPLIER') }).toEqual({ coordinate, supplier: { allowed: true, principle: null } });
    }
  });

  it('PRI-006: the Meter Reading Service sees no historic data, only its read requests', () => {
    const mrs = roleSchema('METER_READING_SERVICE');
    const names = namesIn(mrs);
    const historic = ['readings', 'readingHistory', 'MeterReading', 'versions', 'appointmentHistory', 'standingDataHistory', 'supplierRegistrations'];
    expect(historic.filter((name) => names.has(name))).toEqual([]);
    expect(fieldCoordinates(mrs)).toEqual(expect.arrayContaining(['MeteringPoint.readRequests', 'Query.readRequest']));
    expect(decision('MeteringPoint.readingHistory', 'METER_READING_SERVICE')).toEqual({ allowed: false, principle: 'PRI-006' });
  });

  it('PRI-009: a supplier sees exception counts, not exception detail; data services see the detail', () => {
    const supplier = fieldCoordinates(roleSchema('SUPPLIER'));
    expect(supplier).toContain('SettlementRun.exceptionSummary');
    expect(supplier).not.toContain('SettlementRun.exceptions');
    expect(decision('SettlementRun.exceptions', 'SUPPLIER')).toEqual({ allowed: false, principle: 'PRI-009' });
    for (const role of DATA_SERVICES) expect(fieldCoordinates(roleSchema(role))).toContain('SettlementRun.exceptions');
  });

  it('the Market-wide Data Service cannot see a metering point address (DOMAIN.md)', () => {
    const mds = roleSchema('MARKET_WIDE_DATA_SERVICE');
    expect(fieldCoordinates(mds)).not.toContain('MeteringPoint.address');
    expect(mds.getType('Address')).toBeUndefined();
    expect(decision('MeteringPoint.address', 'MARKET_WIDE_DATA_SERVICE').allowed).toBe(false);
  });
});
