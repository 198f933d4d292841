import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { migrateAll } from '../../dev/database-setup';
import { findSubgraph } from '../../subgraphs';

/**
 * Issue 16, part 6: migration 090 of registration, appointment and settlement makes their tables Citus distributed or
 * reference tables when the `citus` extension is present, and does nothing otherwise.
 *
 * There is no Citus on this machine (nor a Docker engine), so its branch runs here against stand-ins for
 * create_distributed_table / create_reference_table that record each call, on the real schema, in a transaction that
 * is rolled back. The catalog is then held to Citus's rules: every table is placed (or is a documented coordinator
 * table), a distributed table's unique keys hold its distribution column, foreign keys point at reference tables or at
 * co-located tables through the distribution column, and per-MPAN tables are sharded by mpan_core.
 */

const CITUS_CHECK = "IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN";
/** Tables that stay local tables on the Citus coordinator (SCALING.md, "What is distributed"). */
const KIT_LOCAL = ['schema_migration', 'used_context_id', 'outbox_message', 'outbox_relay'];
const COORDINATOR_LOCAL: Record<string, string[]> = {
  registration: [...KIT_LOCAL, 'message_acknowledgement'],
  appointment: [...KIT_LOCAL, 'sweep_floor'],
  settlement: KIT_LOCAL,
};
/** Tables with an mpan_core column sharded by something else, and why (SCALING.md, "Follow-ups"). */
const NOT_BY_MPAN: Record<string, string> = {
  'appointment.appointment': 'interface_message has no mpan_core and joins on appointment_id',
};
const SUBGRAPHS = ['registration', 'appointment', 'settlement'];

const STUBS = `
CREATE SCHEMA citus_stub;
CREATE TABLE citus_stub.call (n serial, table_name text NOT NULL, kind text NOT NULL, distribution_column text, colocate_with text);
CREATE FUNCTION citus_stub.create_reference_table(table_name regclass) RETURNS void LANGUAGE sql
  AS $$ INSERT INTO citus_stub.call (table_name, kind) VALUES ((SELECT relname FROM pg_class WHERE oid = table_name), 'reference') $$;
CREATE FUNCTION citus_stub.create_distributed_table(table_name regclass, distribution_column text, colocate_with text DEFAULT 'default')
  RETURNS void LANGUAGE sql
  AS $$ INSERT INTO citus_stub.call (table_name, kind, distribution_column, colocate_with)
        VALUES ((SELECT relname FROM pg_class WHERE oid = table_name), 'distributed', distribution_column, colocate_with) $$;
`;

interface Call {
  table_name: string;
  kind: 'reference' | 'distributed';
  distribution_column: string | null;
  colocate_with: string | null;
}

let database: TestDatabase;
let client: Client;

beforeAll(async () => {
  database = await createTestDatabase('empty');
  await migrateAll(database.url);
  client = new Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

const citusMigration = (subgraph: string) => {
  const found = findSubgraph(subgraph).migrations.find((m) => m.version === 90);
  if (!found) throw new Error(`${subgraph} has no migration 090`);
  return found;
};

async function columnsOf(schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schema, table],
  );
  return new Map(rows.map((row) => [row.column_name, row.data_type]));
}

describe.each(SUBGRAPHS)('%s migration 090 (Citus)', (subgraph) => {
  it('applies on plain PostgreSQL as a no-op: recorded as applied, no key or index changed', async () => {
    const { rows } = await client.query(`SELECT name FROM ${subgraph}.schema_migration WHERE version = 90`);
    expect(rows).toEqual([{ name: 'citus-distribution' }]);
    expect(citusMigration(subgraph).sql).toContain(CITUS_CHECK);
    // What the Citus branch changes is still as the earlier migrations made it.
    const keys = await client.query<{ index: string }>(
      `SELECT indexrelid::regclass::text AS index FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND i.indisunique ORDER BY 1`,
      [subgraph],
    );
    const expected: Record<string, string[]> = {
      registration: ['meter_pkey'],
      appointment: ['appointment_one_request_in_flight'],
      settlement: ['settlement_exception_pkey'],
    };
    expect(keys.rows.map((row) => row.index.replace(/^.*\./, ''))).toEqual(expect.arrayContaining(expected[subgraph]));
    const { rows: citus } = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'citus'");
    expect(citus).toEqual([]);
  });

  it('places every table by Citus rules when the extension is present (run against recording stand-ins)', async () => {
    await client.query('BEGIN');
    try {
      await client.query(STUBS);
      await client.query(`SET LOCAL search_path TO ${subgraph}, citus_stub`);
      const sql = citusMigration(subgraph).sql;
      await client.query(sql.replace(CITUS_CHECK, 'IF false THEN'));
      const calls = (
        await client.query<Call>('SELECT table_name, kind, distribution_column, colocate_with FROM citus_stub.call ORDER BY n')
      ).rows;
      const placed = new Map(calls.map((call, order) => [call.table_name, { ...call, order }]));
      expect(placed.size).toBe(calls.length); // each table once

      const { rows: tables } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
        [subgraph],
      );
      const local = COORDINATOR_LOCAL[subgraph];
      expect([...placed.keys()].sort()).toEqual(
        tables
          .map((t) => t.table_name)
          .filter((t) => !local.includes(t))
          .sort(),
      );

      // Co-location groups: 'default' joins the group of its column type, 'none' starts one, a table name joins its.
      const group = new Map<string, string>();
      for (const call of calls.filter((c) => c.kind === 'distributed')) {
        const columns = await columnsOf(subgraph, call.table_name);
        const type = columns.get(call.distribution_column!);
        expect({ table: call.table_name, column: call.distribution_column, exists: type !== undefined }).toEqual({
          table: call.table_name,
          column: call.distribution_column,
          exists: true,
        });
        if (call.colocate_with === 'default') group.set(call.table_name, `default:${type}`);
        else if (call.colocate_with === 'none') group.set(call.table_name, call.table_name);
        else {
          const other = group.get(call.colocate_with ?? '');
          expect({ table: call.table_name, colocateWith: call.colocate_with, distributedBefore: other !== undefined }).toEqual({
            table: call.table_name,
            colocateWith: call.colocate_with,
            distributedBefore: true,
          });
          const otherColumn = placed.get(call.colocate_with!)!.distribution_column!;
          expect((await columnsOf(subgraph, call.colocate_with!)).get(otherColumn)).toBe(type);
          group.set(call.table_name, other!);
        }
        // Per-MPAN tables are sharded by the MPAN, unless documented otherwise.
        if (columns.has('mpan_core') && !NOT_BY_MPAN[`${subgraph}.${call.table_name}`]) {
          expect({ table: call.table_name, by: call.distribution_column }).toEqual({ table: call.table_name, by: 'mpan_core' });
        }
      }

      // Every unique index (primary keys included) of a distributed table holds its distribution column.
      const { rows: uniques } = await client.query<{ table_name: string; index_name: string; columns: string[] }>(
        `SELECT c.relname AS table_name, ic.relname AS index_name,
                array(SELECT a.attname FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k)::text[] AS columns
           FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND i.indisunique`,
        [subgraph],
      );
      for (const unique of uniques) {
        const call = placed.get(unique.table_name);
        if (call?.kind !== 'distributed') continue;
        expect({ index: unique.index_name, columns: unique.columns }).toEqual({
          index: unique.index_name,
          columns: expect.arrayContaining([call.distribution_column]),
        });
      }

      // Foreign keys: to a reference table placed earlier, or between co-located tables through the distribution column.
      const { rows: foreignKeys } = await client.query<{
        name: string;
        from_table: string;
        to_table: string;
        from_columns: string[];
        to_columns: string[];
      }>(
        `SELECT con.conname AS name, f.relname AS from_table, t.relname AS to_table,
                array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS from_columns,
                array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.i)::text[] AS to_columns
           FROM pg_constraint con JOIN pg_class f ON f.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
           JOIN pg_namespace n ON n.oid = f.relnamespace
          WHERE n.nspname = $1 AND con.contype = 'f'`,
        [subgraph],
      );
      for (const fk of foreignKeys) {
        const from = placed.get(fk.from_table);
        const to = placed.get(fk.to_table);
        const verdict = (() => {
          if (!from) return to?.kind === 'distributed' ? 'a coordinator table points at a distributed table' : 'ok';
          if (!to) return 'points at a coordinator table';
          if (to.kind === 'reference') return to.order < from.order ? 'ok' : 'reference table placed after the table pointing at it';
          if (from.kind === 'reference') return 'a reference table points at a distributed table';
          if (group.get(fk.from_table) !== group.get(fk.to_table)) return 'distributed tables not co-located';
          const at = fk.from_columns.indexOf(from.distribution_column!);
          return at >= 0 && fk.to_columns[at] === to.distribution_column ? 'ok' : 'not through the distribution column';
        })();
        expect({ foreignKey: fk.name, verdict }).toEqual({ foreignKey: fk.name, verdict: 'ok' });
      }
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
