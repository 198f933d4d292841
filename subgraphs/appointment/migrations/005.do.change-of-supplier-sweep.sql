-- The change-of-supplier sweep (change-of-supplier-sweep.ts) announces the lapses and ends a change of supplier brings,
-- on the day it takes effect. It announces only changes that take effect on or after the day it first ran here: older
-- ones are history the participants have acted on (the demo's, a database that predates the sweep). One row per sweep.
CREATE TABLE sweep_floor (
  sweep text PRIMARY KEY,
  since date NOT NULL
);
COMMENT ON TABLE sweep_floor IS 'First UTC day each sweep announces changes for: the day it first ran.';
-- The sweep pages through the MPANs with an unanswered request or an accepted appointment not yet ended.
CREATE INDEX appointment_live_by_mpan ON appointment (mpan_core) WHERE decision IN ('REQUESTED', 'ACCEPTED');
