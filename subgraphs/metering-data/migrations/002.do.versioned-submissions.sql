-- Submissions from data services and meter reading services (PRI-019, PRI-006).
-- At most one current version of an interval or a reading: the database, not only the code, keeps this true, so two
-- racing submissions can never both leave a current version behind.
CREATE UNIQUE INDEX consumption_interval_one_current ON consumption_interval (mpan_core, quantity, utc_start)
  WHERE superseded_at IS NULL;
DROP INDEX consumption_interval_current;

CREATE UNIQUE INDEX meter_reading_one_current ON meter_reading (mpan_core, meter_id, register_id, read_at)
  WHERE superseded_at IS NULL;

-- A reading taken to answer a read request names it; the request records when it was answered.
ALTER TABLE read_request ADD COLUMN fulfilled_at timestamptz;
ALTER TABLE meter_reading ADD COLUMN read_request_id text REFERENCES read_request (id);
