-- On a distributed PostgreSQL (Citus, sharded by MPAN core: SCALING.md) the metering-data tables become distributed
-- tables, co-located by mpan_core so a join of one metering point's rows stays on one worker. Every unique key of
-- them contains mpan_core (checked by test/subgraphs/metering-data/storage-catalog.test.ts), which Citus requires.
-- Read requests are few (one per site visit) and referenced by readings: a reference table, copied to every worker.
-- On a plain PostgreSQL (no `citus` extension) this does nothing.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    PERFORM create_reference_table('metering_data.read_request');
    PERFORM create_distributed_table('metering_data.consumption_current', 'mpan_core');
    PERFORM create_distributed_table('metering_data.consumption_history', 'mpan_core',
                                     colocate_with => 'metering_data.consumption_current');
    PERFORM create_distributed_table('metering_data.meter_reading', 'mpan_core',
                                     colocate_with => 'metering_data.consumption_current');
  END IF;
END $$;
