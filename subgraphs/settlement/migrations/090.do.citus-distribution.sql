-- Citus (issue 16, SCALING.md): when this database is a Citus coordinator, shard the per-MPAN tables by mpan_core in
-- Citus's default co-location group (with registration's and metering-data's MPAN tables), shard the aggregation
-- results by run, and copy the BSC central data (parties, BM units, runs) to every worker as reference tables. On
-- plain PostgreSQL (no `citus` extension) this does nothing.
--
-- The kit's schema_migration, used_context_id and outbox tables stay local tables on the coordinator.
DO $citus$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;

  -- Citus enforces a unique key on a distributed table only when it holds the distribution column: an exception is
  -- known by its MPAN and its id (ids are generated, so none repeats in practice).
  ALTER TABLE settlement_exception DROP CONSTRAINT settlement_exception_pkey;
  ALTER TABLE settlement_exception ADD PRIMARY KEY (mpan_core, id);

  -- Referenced tables first: a distributed or reference table may point only at reference tables (or co-located ones).
  PERFORM create_reference_table('bsc_party');
  PERFORM create_reference_table('bm_unit');
  PERFORM create_reference_table('supplier_bm_unit');
  PERFORM create_reference_table('bsc_party_participant');
  PERFORM create_reference_table('settlement_run');

  PERFORM create_distributed_table('mpan_bm_unit_allocation', 'mpan_core', colocate_with => 'default');
  PERFORM create_distributed_table('settlement_exception', 'mpan_core', colocate_with => 'mpan_bm_unit_allocation');
  -- A run's volumes are written and read together: one shard per run, in a group of their own.
  PERFORM create_distributed_table('aggregated_volume', 'run_id', colocate_with => 'none');
END
$citus$;
