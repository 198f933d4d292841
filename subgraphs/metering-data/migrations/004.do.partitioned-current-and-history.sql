-- Interval data built for volume (issue 16): current versions and superseded ones in two tables, each partitioned by
-- the UTC month of utc_start (PRI-014).
-- * A submission looks up and supersedes current rows only; history is only ever appended to.
-- * Retention drops whole months (drop_consumption_partitions_before); reconciliation reaches 14 months back, so
--   partitions stay at least that long.
-- * Every key starts with mpan_core and every hot query filters by it, so a distributed PostgreSQL sharded by
--   mpan_core (Citus, migration 090) runs the same SQL.
-- Existing rows move across; `consumption_interval` becomes a view of every version, as the table was.
CREATE TABLE consumption_current (
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  quantity text NOT NULL CHECK (quantity IN ('ACTIVE_IMPORT', 'ACTIVE_EXPORT', 'REACTIVE_IMPORT', 'REACTIVE_EXPORT')),
  utc_start timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  period_minutes integer NOT NULL CHECK (period_minutes IN (15, 30)),
  value numeric(18, 6) NOT NULL,
  quality text NOT NULL CHECK (quality IN ('ACTUAL', 'ESTIMATED', 'DEEMED', 'UMS_CALCULATED')),
  estimation_method text,
  data_service_id text NOT NULL,
  received_at timestamptz NOT NULL,
  de_energised_flag boolean NOT NULL DEFAULT false,
  -- One current version per interval: the key itself, so two racing submissions cannot both leave one behind.
  PRIMARY KEY (mpan_core, quantity, utc_start),
  CHECK ((quality = 'ESTIMATED') = (estimation_method IS NOT NULL))
) PARTITION BY RANGE (utc_start);

CREATE TABLE consumption_history (
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  quantity text NOT NULL CHECK (quantity IN ('ACTIVE_IMPORT', 'ACTIVE_EXPORT', 'REACTIVE_IMPORT', 'REACTIVE_EXPORT')),
  utc_start timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  period_minutes integer NOT NULL CHECK (period_minutes IN (15, 30)),
  value numeric(18, 6) NOT NULL,
  quality text NOT NULL CHECK (quality IN ('ACTUAL', 'ESTIMATED', 'DEEMED', 'UMS_CALCULATED')),
  estimation_method text,
  data_service_id text NOT NULL,
  received_at timestamptz NOT NULL,
  de_energised_flag boolean NOT NULL DEFAULT false,
  superseded_at timestamptz NOT NULL,
  PRIMARY KEY (mpan_core, quantity, utc_start, version),
  CHECK ((quality = 'ESTIMATED') = (estimation_method IS NOT NULL))
) PARTITION BY RANGE (utc_start);

-- Month partitions of both tables covering [from_instant, to_instant), created when missing. Writers call it in a short
-- transaction of its own before writing (creating a partition locks its parent until commit). Idempotent and safe
-- under concurrency: creators queue on one advisory lock and look again.
CREATE FUNCTION ensure_consumption_partitions(from_instant timestamptz, to_instant timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  month timestamp;
  parent text;
  partition_name text;
  created integer := 0;
BEGIN
  IF from_instant IS NULL OR to_instant IS NULL OR to_instant <= from_instant THEN RETURN 0; END IF;
  month := date_trunc('month', from_instant AT TIME ZONE 'UTC');
  WHILE month < to_instant AT TIME ZONE 'UTC' LOOP
    FOREACH parent IN ARRAY ARRAY['consumption_current', 'consumption_history'] LOOP
      partition_name := parent || '_' || to_char(month, '"y"YYYY"m"MM');
      IF to_regclass('metering_data.' || partition_name) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('metering_data.consumption_partitions'));
        IF to_regclass('metering_data.' || partition_name) IS NULL THEN
          -- Current rows are updated in place by corrections: room on each page keeps those updates HOT.
          EXECUTE format('CREATE TABLE metering_data.%I PARTITION OF metering_data.%I FOR VALUES FROM (%L) TO (%L)%s',
                         partition_name, parent, (month AT TIME ZONE 'UTC'), ((month + interval '1 month') AT TIME ZONE 'UTC'),
                         CASE WHEN parent = 'consumption_current' THEN ' WITH (fillfactor = 85)' ELSE '' END);
          created := created + 1;
        END IF;
      END IF;
    END LOOP;
    month := month + interval '1 month';
  END LOOP;
  RETURN created;
END $$;

-- Retention: drops the month partitions (current and history) that end on or before `cutoff`, whole, without a
-- DELETE. Reconciliation reaches 14 months back: callers pass a cutoff at least that far in the past.
CREATE FUNCTION drop_consumption_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  part record;
  dropped integer := 0;
BEGIN
  FOR part IN
    SELECT c.oid::regclass AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent IN ('metering_data.consumption_current'::regclass, 'metering_data.consumption_history'::regclass)
  LOOP
    IF (substring(part.bound FROM 'TO \(''([^'']+)''\)'))::timestamptz <= cutoff THEN
      EXECUTE format('DROP TABLE %s', part.name);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END $$;

-- Move the rows: current versions to consumption_current, superseded ones to consumption_history.
SELECT ensure_consumption_partitions(min(utc_start), max(utc_start) + interval '1 microsecond') FROM consumption_interval;
INSERT INTO consumption_current
SELECT mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at,
       de_energised_flag
  FROM consumption_interval WHERE superseded_at IS NULL;
INSERT INTO consumption_history
SELECT mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at,
       de_energised_flag, superseded_at
  FROM consumption_interval WHERE superseded_at IS NOT NULL;
DROP TABLE consumption_interval;

-- Every version as one relation, in the old table's shape, for ad-hoc reading and tools written against it. The
-- subgraph's own SQL reads and writes the two tables. Filtering on `superseded_at IS NULL` reads current rows only.
CREATE VIEW consumption_interval AS
SELECT mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at,
       de_energised_flag, NULL::timestamptz AS superseded_at
  FROM consumption_current
UNION ALL
SELECT mpan_core, quantity, utc_start, version, period_minutes, value, quality, estimation_method, data_service_id, received_at,
       de_energised_flag, superseded_at
  FROM consumption_history;
ALTER VIEW consumption_interval ALTER COLUMN de_energised_flag SET DEFAULT false;

-- Writes through the view land in the table their superseded_at says (one row at a time: for tools, not for load).
CREATE FUNCTION consumption_interval_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.superseded_at IS NULL THEN
      DELETE FROM metering_data.consumption_current
       WHERE mpan_core = OLD.mpan_core AND quantity = OLD.quantity AND utc_start = OLD.utc_start;
    ELSE
      DELETE FROM metering_data.consumption_history
       WHERE mpan_core = OLD.mpan_core AND quantity = OLD.quantity AND utc_start = OLD.utc_start AND version = OLD.version;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  END IF;
  PERFORM metering_data.ensure_consumption_partitions(NEW.utc_start, NEW.utc_start + interval '1 microsecond');
  IF NEW.superseded_at IS NULL THEN
    INSERT INTO metering_data.consumption_current
    VALUES (NEW.mpan_core, NEW.quantity, NEW.utc_start, NEW.version, NEW.period_minutes, NEW.value, NEW.quality,
            NEW.estimation_method, NEW.data_service_id, NEW.received_at, NEW.de_energised_flag);
  ELSE
    INSERT INTO metering_data.consumption_history
    VALUES (NEW.mpan_core, NEW.quantity, NEW.utc_start, NEW.version, NEW.period_minutes, NEW.value, NEW.quality,
            NEW.estimation_method, NEW.data_service_id, NEW.received_at, NEW.de_energised_flag, NEW.superseded_at);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consumption_interval_write INSTEAD OF INSERT OR UPDATE OR DELETE ON consumption_interval
  FOR EACH ROW EXECUTE FUNCTION consumption_interval_write();
