-- BSC central data. Clock time is derived from UTC starts by the settlement calendar, never stored (PRI-014).
CREATE TABLE bsc_party (
  id text PRIMARY KEY,
  name text NOT NULL,
  party_roles text[] NOT NULL,
  qualification_status text NOT NULL CHECK (qualification_status IN ('QUALIFIED', 'PENDING', 'SUSPENDED')),
  effective_from date NOT NULL,
  effective_to date
);

CREATE TABLE bm_unit (
  id text PRIMARY KEY,
  lead_party_id text NOT NULL REFERENCES bsc_party (id),
  gsp_group_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('SUPPLIER', 'DIRECTLY_CONNECTED')),
  credit_assessment_load_factor numeric(6, 4) NOT NULL,
  generation_capacity_mw numeric(10, 3) NOT NULL,
  demand_capacity_mw numeric(10, 3) NOT NULL,
  trading_unit text,
  effective_from date NOT NULL,
  effective_to date
);
CREATE INDEX bm_unit_lead_party ON bm_unit (lead_party_id);

CREATE TABLE mpan_bm_unit_allocation (
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  bm_unit_id text NOT NULL REFERENCES bm_unit (id),
  effective_from date NOT NULL,
  PRIMARY KEY (mpan_core, effective_from)
);

CREATE TABLE settlement_run (
  id text PRIMARY KEY,
  settlement_date date NOT NULL,
  run_type text NOT NULL CHECK (run_type IN ('II', 'SF', 'R1', 'R2', 'R3', 'RF', 'DF')),
  status text NOT NULL CHECK (status IN ('SCHEDULED', 'COMPLETED')),
  period_minutes integer NOT NULL CHECK (period_minutes IN (15, 30)),
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  UNIQUE (settlement_date, run_type)
);

CREATE TABLE aggregated_volume (
  run_id text NOT NULL REFERENCES settlement_run (id),
  utc_start timestamptz NOT NULL,
  supplier_id text NOT NULL,
  gsp_group_id text NOT NULL,
  bm_unit_id text NOT NULL REFERENCES bm_unit (id),
  market_segment text NOT NULL CHECK (market_segment IN ('SMART', 'ADVANCED', 'UNMETERED')),
  volume numeric(18, 6) NOT NULL,
  mpan_count integer NOT NULL CHECK (mpan_count >= 0),
  actual_count integer NOT NULL CHECK (actual_count >= 0),
  estimated_count integer NOT NULL CHECK (estimated_count >= 0),
  PRIMARY KEY (run_id, utc_start, supplier_id, gsp_group_id, bm_unit_id, market_segment)
);

CREATE TABLE settlement_exception (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES settlement_run (id),
  mpan_core text NOT NULL,
  utc_start timestamptz NOT NULL,
  exception_type text NOT NULL,
  supplier_id text NOT NULL,
  data_service_id text NOT NULL,
  detail text NOT NULL
);
CREATE INDEX settlement_exception_run ON settlement_exception (run_id);
