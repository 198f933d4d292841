-- Citus (issue 16, SCALING.md): when this database is a Citus coordinator, shard appointments and their interface
-- messages by appointment id, co-located, so the interface-message trail (a correlated subquery on appointment_id)
-- runs on one worker. On plain PostgreSQL (no `citus` extension) this does nothing.
--
-- Not by mpan_core, as the other subgraphs' MPAN tables are: interface_message has no mpan_core column, and its reads
-- join on appointment_id. Sharding by MPAN needs interface_message to carry mpan_core first (SCALING.md, "Follow-ups").
-- Reads by MPAN (appointments in force) then go to every shard, each answering from its appointment_mpan_core index.
--
-- The kit's schema_migration, used_context_id and outbox tables stay local tables on the coordinator.
DO $citus$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;

  -- Citus enforces a unique index on a distributed table only when it holds the distribution column. "One request in
  -- flight per MPAN and service role" stays kept by the request's advisory lock (store.ts), taken on the coordinator.
  DROP INDEX appointment_one_request_in_flight;

  PERFORM create_distributed_table('appointment', 'id', colocate_with => 'none');
  PERFORM create_distributed_table('interface_message', 'appointment_id', colocate_with => 'appointment');
END
$citus$;
