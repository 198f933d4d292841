-- A supplier may withdraw its request until the provider answers it (PRI-026: the initiator's way out); a withdrawn
-- request gives up its place, so the one-request-in-flight index (decision = 'REQUESTED') no longer counts it.
ALTER TABLE appointment DROP CONSTRAINT appointment_decision_check;
ALTER TABLE appointment ADD CONSTRAINT appointment_decision_check
  CHECK (decision IN ('REQUESTED', 'ACCEPTED', 'REJECTED', 'LAPSED', 'WITHDRAWN'));

-- The proposed provider's inbox (IF-033): its unanswered requests in one service role, by deadline.
CREATE INDEX appointment_provider_requested ON appointment (provider_id, service_role, respond_by) WHERE decision = 'REQUESTED';
