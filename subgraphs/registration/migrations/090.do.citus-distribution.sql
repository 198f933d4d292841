-- Citus (issue 16, SCALING.md): when this database is a Citus coordinator, shard the per-MPAN tables by mpan_core, all
-- in Citus's default co-location group (the same group as metering-data's interval tables and settlement's MPAN
-- tables: text column, default shard count), so a join on mpan_core stays on one worker; copy the small market tables
-- to every worker as reference tables. On plain PostgreSQL (no `citus` extension) this does nothing.
--
-- message_acknowledgement (one row per participant and role) stays a local table on the coordinator, as do the kit's
-- schema_migration, used_context_id and outbox tables (SCALING.md, "What is distributed").
DO $citus$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;

  -- Citus enforces a unique key on a distributed table only when it holds the distribution column: a meter is known
  -- by its MPAN and its id (a meter id on two MPANs is then no longer refused by the database).
  ALTER TABLE meter DROP CONSTRAINT meter_pkey;
  ALTER TABLE meter ADD PRIMARY KEY (mpan_core, meter_id);

  -- Referenced tables first: a distributed or reference table may point only at reference tables (or co-located ones).
  PERFORM create_reference_table('market_participant');
  PERFORM create_reference_table('gsp_group');
  PERFORM create_reference_table('distributor');
  PERFORM create_reference_table('distributor_gsp_group');

  PERFORM create_distributed_table('metering_point', 'mpan_core', colocate_with => 'default');
  PERFORM create_distributed_table('standing_data', 'mpan_core', colocate_with => 'metering_point');
  PERFORM create_distributed_table('supplier_registration', 'mpan_core', colocate_with => 'metering_point');
  PERFORM create_distributed_table('meter', 'mpan_core', colocate_with => 'metering_point');
END
$citus$;
