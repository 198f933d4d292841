-- Registration data: the single source of truth for MPAN data (PRI-001).
CREATE TABLE market_participant (
  id text PRIMARY KEY,
  name text NOT NULL,
  roles text[] NOT NULL
);

CREATE TABLE gsp_group (
  id text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE distributor (
  id text PRIMARY KEY CHECK (id ~ '^\d{2}$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('DNO', 'IDNO')),
  participant_id text NOT NULL REFERENCES market_participant (id),
  home_gsp_group_id text REFERENCES gsp_group (id),
  duos_tariff_ids text[] NOT NULL DEFAULT '{}'
);

-- Which GSP groups a distributor's MPANs may be in (PRI-012): one for a DNO, many for an iDNO.
CREATE TABLE distributor_gsp_group (
  distributor_id text NOT NULL REFERENCES distributor (id),
  gsp_group_id text NOT NULL REFERENCES gsp_group (id),
  PRIMARY KEY (distributor_id, gsp_group_id)
);

CREATE TABLE metering_point (
  mpan_core text PRIMARY KEY CHECK (mpan_core ~ '^\d{13}$'),
  distributor_id text NOT NULL REFERENCES distributor (id),
  address_line1 text NOT NULL,
  address_line2 text,
  address_town text NOT NULL,
  address_postcode text NOT NULL,
  profile_class text,
  meter_timeswitch_code text,
  line_loss_factor_class text
);

-- Effective-dated standing data: the version in force on a day is the latest effective_from on or before it.
CREATE TABLE standing_data (
  mpan_core text NOT NULL REFERENCES metering_point (mpan_core),
  effective_from date NOT NULL,
  gsp_group_id text NOT NULL REFERENCES gsp_group (id),
  market_segment text NOT NULL CHECK (market_segment IN ('SMART', 'ADVANCED', 'UNMETERED')),
  energisation_status text NOT NULL CHECK (energisation_status IN ('ENERGISED', 'DE_ENERGISED')),
  connection_type text NOT NULL,
  energy_direction text NOT NULL CHECK (energy_direction IN ('IMPORT', 'EXPORT')),
  metered boolean NOT NULL,
  duos_tariff_id text NOT NULL,
  PRIMARY KEY (mpan_core, effective_from)
);

-- effective_to is exclusive; NULL while the registration continues.
CREATE TABLE supplier_registration (
  mpan_core text NOT NULL REFERENCES metering_point (mpan_core),
  supplier_id text NOT NULL REFERENCES market_participant (id),
  effective_from date NOT NULL,
  effective_to date,
  PRIMARY KEY (mpan_core, effective_from),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
CREATE INDEX supplier_registration_supplier ON supplier_registration (supplier_id, effective_from);

CREATE TABLE meter (
  meter_id text PRIMARY KEY,
  mpan_core text NOT NULL REFERENCES metering_point (mpan_core),
  meter_type text NOT NULL CHECK (meter_type IN ('SMART', 'ADVANCED', 'TRADITIONAL')),
  esme_guid text,
  location text NOT NULL,
  register_digits integer NOT NULL CHECK (register_digits BETWEEN 4 and 10),
  installed_on date NOT NULL,
  asset_provider_id text NOT NULL REFERENCES market_participant (id),
  communications_fault boolean NOT NULL DEFAULT false
);
CREATE INDEX meter_mpan_core ON meter (mpan_core);
