import type { Queryable } from '../kit/db';
import type {
  AggregatedVolumeRow,
  BmUnitAllocationRow,
  BmUnitRow,
  BscPartyParticipantRow,
  BscPartyRow,
  SettlementExceptionRow,
  SettlementRows,
  SettlementRunRow,
  SupplierBmUnitRow,
} from './rows';
import { insertRowsIgnoringExisting } from '../kit/insert-rows';

// SQL of the settlement subgraph, and the only place its snake_case columns meet camelCase names.

// Rows read back have the shape of the rows this subgraph owns (rows.ts); volumes and exceptions also carry their run's period length.
export type BscParty = BscPartyRow;
export type BmUnit = BmUnitRow;
export type SettlementRun = SettlementRunRow;
export type BmUnitAllocation = BmUnitAllocationRow;
export type AggregatedVolume = AggregatedVolumeRow & { periodMinutes: number };
export type SettlementException = SettlementExceptionRow & { periodMinutes: number };

export interface ExceptionCount {
  runId: string;
  supplierId: string;
  dataServiceId: string;
  exceptionType: string;
  count: number;
}

const PARTY_COLUMNS = `id, name, party_roles AS "partyRoles", qualification_status AS "qualificationStatus",
  effective_from AS "effectiveFrom", effective_to AS "effectiveTo"`;

/** BSC parties by id; with no ids, every party. */
export async function findBscParties(db: Queryable, ids?: readonly string[]): Promise<BscParty[]> {
  return ids
    ? db.query(`SELECT ${PARTY_COLUMNS} FROM settlement.bsc_party WHERE id = ANY($1::text[])`, [ids])
    : db.query(`SELECT ${PARTY_COLUMNS} FROM settlement.bsc_party ORDER BY id`);
}

/** The BSC parties the market participants act as (none for a participant that acts for no party). */
export async function findPartiesOfParticipants(db: Queryable, participantIds: readonly string[]): Promise<BscPartyParticipantRow[]> {
  return db.query(
    `SELECT participant_id AS "participantId", bsc_party_id AS "bscPartyId"
       FROM settlement.bsc_party_participant WHERE participant_id = ANY($1::text[])`,
    [participantIds],
  );
}

const BM_UNIT_COLUMNS = `id, lead_party_id AS "leadPartyId", gsp_group_id AS "gspGroupId", kind,
  trim_scale(credit_assessment_load_factor)::text AS "creditAssessmentLoadFactor", trim_scale(generation_capacity_mw)::text AS "generationCapacityMw",
  trim_scale(demand_capacity_mw)::text AS "demandCapacityMw", trading_unit AS "tradingUnit", effective_from AS "effectiveFrom",
  effective_to AS "effectiveTo"`;

/** BM units by id; with no ids, every unit. */
export async function findBmUnits(db: Queryable, ids?: readonly string[]): Promise<BmUnit[]> {
  return ids
    ? db.query(`SELECT ${BM_UNIT_COLUMNS} FROM settlement.bm_unit WHERE id = ANY($1::text[])`, [ids])
    : db.query(`SELECT ${BM_UNIT_COLUMNS} FROM settlement.bm_unit ORDER BY id`);
}

export async function findBmUnitsByLeadParty(db: Queryable, partyIds: readonly string[]): Promise<BmUnit[]> {
  return db.query(`SELECT ${BM_UNIT_COLUMNS} FROM settlement.bm_unit WHERE lead_party_id = ANY($1::text[]) ORDER BY id`, [partyIds]);
}

/** The supplier BM units of the suppliers (base and additional). */
export async function findSupplierBmUnits(db: Queryable, supplierIds: readonly string[]): Promise<SupplierBmUnitRow[]> {
  return db.query(
    `SELECT bm_unit_id AS "bmUnitId", supplier_id AS "supplierId", gsp_group_id AS "gspGroupId", base
       FROM settlement.supplier_bm_unit WHERE supplier_id = ANY($1::text[]) ORDER BY supplier_id, gsp_group_id, bm_unit_id`,
    [supplierIds],
  );
}

/** The allocations suppliers made for each MPAN core, with the supplier whose unit each names. */
export async function findAllocations(
  db: Queryable,
  mpanCores: readonly string[],
): Promise<(BmUnitAllocation & { supplierId: string | null })[]> {
  return db.query(
    `SELECT a.mpan_core AS "mpanCore", a.bm_unit_id AS "bmUnitId", a.effective_from::text AS "effectiveFrom", s.supplier_id AS "supplierId"
       FROM settlement.mpan_bm_unit_allocation a LEFT JOIN settlement.supplier_bm_unit s ON s.bm_unit_id = a.bm_unit_id
      WHERE a.mpan_core = ANY($1::text[]) ORDER BY a.mpan_core, a.effective_from`,
    [mpanCores],
  );
}

/** Records a supplier's allocation of a metering point to one of its units from a date (one per MPAN and date). */
export async function upsertAllocation(tx: Queryable, allocation: BmUnitAllocation): Promise<void> {
  await tx.query(
    `INSERT INTO settlement.mpan_bm_unit_allocation (mpan_core, bm_unit_id, effective_from) VALUES ($1, $2, $3)
     ON CONFLICT (mpan_core, effective_from) DO UPDATE SET bm_unit_id = EXCLUDED.bm_unit_id`,
    [allocation.mpanCore, allocation.bmUnitId, allocation.effectiveFrom],
  );
}

const RUN_COLUMNS = `id, settlement_date AS "settlementDate", run_type AS "runType", status, period_minutes AS "periodMinutes",
  created_at AS "createdAt", completed_at AS "completedAt"`;

export async function findRunsById(db: Queryable, ids: readonly string[]): Promise<SettlementRun[]> {
  return db.query(`SELECT ${RUN_COLUMNS} FROM settlement.settlement_run WHERE id = ANY($1::text[])`, [ids]);
}

/** Runs filtered by date and/or type, newest settlement date first. */
export async function findRuns(
  db: Queryable,
  filter: { settlementDate?: string | null; runType?: string | null },
): Promise<SettlementRun[]> {
  return db.query(
    `SELECT ${RUN_COLUMNS} FROM settlement.settlement_run
      WHERE ($1::date IS NULL OR settlement_date = $1) AND ($2::text IS NULL OR run_type = $2)
      ORDER BY settlement_date DESC, run_type`,
    [filter.settlementDate ?? null, filter.runType ?? null],
  );
}

/** Aggregated volumes of each (run, optional supplier), by period then supplier, GSP group, BM unit and segment. */
export async function findAggregatedVolumes(
  db: Queryable,
  keys: readonly { runId: string; supplierId: string | null }[],
): Promise<(AggregatedVolume & { ord: number })[]> {
  return db.query(
    `SELECT k.ord::int AS ord, v.run_id AS "runId", v.utc_start AS "utcStart", r.period_minutes AS "periodMinutes",
            v.supplier_id AS "supplierId", v.gsp_group_id AS "gspGroupId", v.bm_unit_id AS "bmUnitId",
            v.market_segment AS "marketSegment", trim_scale(v.volume)::text AS volume, v.mpan_count AS "mpanCount",
            v.actual_count AS "actualCount", v.estimated_count AS "estimatedCount"
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(run_id, supplier_id, ord)
       JOIN settlement.aggregated_volume v ON v.run_id = k.run_id AND (k.supplier_id IS NULL OR v.supplier_id = k.supplier_id)
       JOIN settlement.settlement_run r ON r.id = v.run_id
      ORDER BY k.ord, v.utc_start, v.supplier_id, v.gsp_group_id, v.bm_unit_id, v.market_segment`,
    [keys.map((k) => k.runId), keys.map((k) => k.supplierId)],
  );
}

/** Exception counts per supplier, data service and type for each run (aggregate only, PRI-009). */
export async function countExceptionsByRun(db: Queryable, runIds: readonly string[]): Promise<ExceptionCount[]> {
  return db.query(
    `SELECT run_id AS "runId", supplier_id AS "supplierId", data_service_id AS "dataServiceId",
            exception_type AS "exceptionType", count(*)::int AS count
       FROM settlement.settlement_exception WHERE run_id = ANY($1::text[])
      GROUP BY run_id, supplier_id, data_service_id, exception_type ORDER BY run_id, supplier_id, exception_type, data_service_id`,
    [runIds],
  );
}

/** Every exception of each run in detail (PRI-009). */
export async function findExceptionsByRun(db: Queryable, runIds: readonly string[]): Promise<SettlementException[]> {
  return db.query(
    `SELECT e.id, e.run_id AS "runId", e.mpan_core AS "mpanCore", e.utc_start AS "utcStart", r.period_minutes AS "periodMinutes",
            e.exception_type AS "exceptionType", e.supplier_id AS "supplierId", e.data_service_id AS "dataServiceId", e.detail
       FROM settlement.settlement_exception e JOIN settlement.settlement_run r ON r.id = e.run_id
      WHERE e.run_id = ANY($1::text[]) ORDER BY e.run_id, e.utc_start, e.mpan_core, e.id`,
    [runIds],
  );
}

/** Writes the settlement share of a dataset; existing rows are kept, so seeding twice changes nothing. */
export async function writeSettlementDataset(tx: Queryable, dataset: SettlementRows): Promise<void> {
  await insertRowsIgnoringExisting(tx, 'settlement.bsc_party', dataset.bscParties);
  await insertRowsIgnoringExisting(tx, 'settlement.bsc_party_participant', dataset.bscPartyParticipants);
  await insertRowsIgnoringExisting(tx, 'settlement.bm_unit', dataset.bmUnits);
  await insertRowsIgnoringExisting(tx, 'settlement.supplier_bm_unit', dataset.supplierBmUnits);
  await insertRowsIgnoringExisting(tx, 'settlement.mpan_bm_unit_allocation', dataset.bmUnitAllocations);
  await insertRowsIgnoringExisting(tx, 'settlement.settlement_run', dataset.settlementRuns);
  await insertRowsIgnoringExisting(tx, 'settlement.aggregated_volume', dataset.aggregatedVolumes);
  await insertRowsIgnoringExisting(tx, 'settlement.settlement_exception', dataset.settlementExceptions);
}

/**
 * Creates the run of (settlement date, run type), or marks the existing one completed again, and returns it. The
 * upsert takes the run's row lock, so concurrent submissions for one run replace its results one after the other.
 */
export async function upsertCompletedRun(
  tx: Queryable,
  run: { id: string; settlementDate: string; runType: string; periodMinutes: number },
  at: Date,
): Promise<SettlementRun & { rerun: boolean }> {
  // xmax is 0 on a row this statement inserted and set on one it updated: a rerun of an existing run.
  const rows = await tx.query<SettlementRun & { rerun: boolean }>(
    `INSERT INTO settlement.settlement_run AS r (id, settlement_date, run_type, status, period_minutes, created_at, completed_at)
     VALUES ($1, $2, $3, 'COMPLETED', $4, $5, $5)
     ON CONFLICT (settlement_date, run_type)
       DO UPDATE SET status = 'COMPLETED', period_minutes = EXCLUDED.period_minutes, completed_at = $5
     RETURNING ${RUN_COLUMNS}, r.xmax <> 0 AS rerun`,
    [run.id, run.settlementDate, run.runType, run.periodMinutes, at],
  );
  return rows[0];
}

/**
 * A fingerprint of each supplier's aggregated volumes in a run (every row's keys and volume), to tell which suppliers'
 * volumes a rerun changed.
 */
export async function findSupplierVolumeDigests(db: Queryable, runId: string): Promise<Map<string, string>> {
  const rows = await db.query<{ supplierId: string; digest: string }>(
    `SELECT supplier_id AS "supplierId",
            md5(string_agg(concat_ws('|', utc_start, gsp_group_id, bm_unit_id, market_segment, trim_scale(volume), mpan_count,
                                     actual_count, estimated_count), ',' ORDER BY utc_start, gsp_group_id, bm_unit_id, market_segment)) AS digest
       FROM settlement.aggregated_volume WHERE run_id = $1 GROUP BY supplier_id`,
    [runId],
  );
  return new Map(rows.map((row) => [row.supplierId, row.digest]));
}

/** Removes a run's aggregated volumes and exceptions, before a rerun writes its own. */
export async function deleteRunResults(tx: Queryable, runId: string): Promise<void> {
  await tx.query('DELETE FROM settlement.aggregated_volume WHERE run_id = $1', [runId]);
  await tx.query('DELETE FROM settlement.settlement_exception WHERE run_id = $1', [runId]);
}

/**
 * Inserts rows into a run's results table, one chunk per statement. Unlike seeding, nothing is ignored: a duplicate
 * is an error that rolls the transaction back.
 */
async function insertRunRows(tx: Queryable, table: string, rows: readonly Record<string, unknown>[], chunkSize = 5000): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    await tx.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [
      JSON.stringify(rows.slice(start, start + chunkSize)),
    ]);
  }
}

export async function insertAggregatedVolumes(tx: Queryable, rows: readonly AggregatedVolumeRow[]): Promise<void> {
  await insertRunRows(
    tx,
    'settlement.aggregated_volume',
    rows.map((row) => ({
      run_id: row.runId,
      utc_start: row.utcStart.toISOString(),
      supplier_id: row.supplierId,
      gsp_group_id: row.gspGroupId,
      bm_unit_id: row.bmUnitId,
      market_segment: row.marketSegment,
      volume: row.volume,
      mpan_count: row.mpanCount,
      actual_count: row.actualCount,
      estimated_count: row.estimatedCount,
    })),
  );
}

export async function insertSettlementExceptions(tx: Queryable, rows: readonly SettlementExceptionRow[]): Promise<void> {
  await insertRunRows(
    tx,
    'settlement.settlement_exception',
    rows.map((row) => ({
      id: row.id,
      run_id: row.runId,
      mpan_core: row.mpanCore,
      utc_start: row.utcStart.toISOString(),
      exception_type: row.exceptionType,
      supplier_id: row.supplierId,
      data_service_id: row.dataServiceId,
      detail: row.detail,
    })),
  );
}
