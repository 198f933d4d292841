-- Half-hourly (or 15-minute, PRI-015) interval data keyed by UTC start (PRI-014). Every version is kept;
-- superseded_at marks the ones a later submission replaced, so reads of the current data stay an index scan.
CREATE TABLE consumption_interval (
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
  superseded_at timestamptz,
  PRIMARY KEY (mpan_core, quantity, utc_start, version),
  CHECK ((quality = 'ESTIMATED') = (estimation_method IS NOT NULL))
);
CREATE INDEX consumption_interval_current ON consumption_interval (mpan_core, quantity, utc_start)
  WHERE superseded_at IS NULL;

CREATE TABLE meter_reading (
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  meter_id text NOT NULL,
  register_id text NOT NULL,
  read_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  value numeric(18, 3) NOT NULL,
  method text NOT NULL CHECK (method IN ('REMOTE', 'PHYSICAL', 'CUSTOMER')),
  event text NOT NULL CHECK (event IN ('ROUTINE', 'READING_COS', 'READING_ONSITE')),
  site_visit_check_code text,
  submitted_by text NOT NULL,
  received_at timestamptz NOT NULL,
  superseded_at timestamptz,
  PRIMARY KEY (mpan_core, meter_id, register_id, read_at, version)
);

CREATE TABLE read_request (
  id text PRIMARY KEY,
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  meter_id text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('NON_SMART_METER', 'SMART_COMMS_FAULT')),
  status text NOT NULL CHECK (status IN ('OPEN', 'FULFILLED', 'CANCELLED')),
  meter_reading_service_id text NOT NULL,
  requested_at timestamptz NOT NULL,
  due_by timestamptz NOT NULL
);
CREATE INDEX read_request_mpan_core ON read_request (mpan_core, requested_at DESC);
