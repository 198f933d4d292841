-- A request lapses when its supplier is not registered on its effective date (a change of supplier came first); the
-- provider and the supplier read the status and the reason. The lapse is derived at read time from the Registration
-- Service's registrations (PRI-001) and recorded here once a later request for the same MPAN and role needs its place.
ALTER TABLE appointment DROP CONSTRAINT appointment_decision_check;
ALTER TABLE appointment ADD CONSTRAINT appointment_decision_check CHECK (decision IN ('REQUESTED', 'ACCEPTED', 'REJECTED', 'LAPSED'));
ALTER TABLE appointment ADD COLUMN lapse_reason text;
ALTER TABLE appointment ADD CONSTRAINT appointment_lapse_reason CHECK ((decision = 'LAPSED') = (lapse_reason IS NOT NULL));
