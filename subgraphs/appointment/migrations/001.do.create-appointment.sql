-- Appointments of data and metering services; MPANs and participants are referenced by id only (PRI-004).
CREATE TABLE appointment (
  id text PRIMARY KEY,
  mpan_core text NOT NULL CHECK (mpan_core ~ '^\d{13}$'),
  service_role text NOT NULL,
  provider_id text NOT NULL,
  supplier_id text NOT NULL,
  scenario text NOT NULL CHECK (scenario IN ('CHANGE_OF_SUPPLIER', 'CHANGE_OF_SERVICE_PROVIDER')),
  contract_reference text NOT NULL,
  effective_from date NOT NULL,
  effective_to date,
  -- The provider's decision; ACTIVE and ENDED follow from it and the dates at read time.
  decision text NOT NULL CHECK (decision IN ('REQUESTED', 'ACCEPTED', 'REJECTED')),
  requested_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);
CREATE INDEX appointment_mpan_core ON appointment (mpan_core, effective_from DESC);

CREATE TABLE interface_message (
  appointment_id text NOT NULL REFERENCES appointment (id),
  seq integer NOT NULL,
  interface_id text NOT NULL,
  from_participant_id text NOT NULL,
  to_participant_id text NOT NULL,
  sent_at timestamptz NOT NULL,
  outcome text CHECK (outcome IN ('ACCEPTED', 'REJECTED')),
  reason text,
  PRIMARY KEY (appointment_id, seq)
);
