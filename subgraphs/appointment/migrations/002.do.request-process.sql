-- At most one unanswered request per MPAN and service role: the invariant the request's advisory lock keeps, held
-- by the database too.
CREATE UNIQUE INDEX appointment_one_request_in_flight ON appointment (mpan_core, service_role) WHERE decision = 'REQUESTED';

-- A supplier's overdue requests (PRI-026): its unanswered requests by deadline.
CREATE INDEX appointment_supplier_requested ON appointment (supplier_id, respond_by) WHERE decision = 'REQUESTED';
