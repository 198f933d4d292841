-- Read requests raised through the API by a supplier or smart data service, cancelled by whoever raised them while
-- open; a change-of-supplier read (CHANGE_OF_SUPPLIER) is answered with event READING_COS. Seeded requests have no
-- raiser (raised_by NULL) and can only be answered.
ALTER TABLE read_request DROP CONSTRAINT read_request_reason_check;
ALTER TABLE read_request ADD CONSTRAINT read_request_reason_check
  CHECK (reason IN ('NON_SMART_METER', 'SMART_COMMS_FAULT', 'CHANGE_OF_SUPPLIER'));
ALTER TABLE read_request ADD COLUMN raised_by text;
ALTER TABLE read_request ADD COLUMN raised_by_role text;
ALTER TABLE read_request ADD COLUMN cancelled_at timestamptz;
ALTER TABLE read_request ADD COLUMN cancellation_reason text;
ALTER TABLE read_request ADD CONSTRAINT read_request_raiser CHECK ((raised_by IS NULL) = (raised_by_role IS NULL));
ALTER TABLE read_request ADD CONSTRAINT read_request_cancelled CHECK ((status = 'CANCELLED') OR cancelled_at IS NULL);
-- The meter reading service's work list: its open requests by due time.
CREATE INDEX read_request_work_list ON read_request (meter_reading_service_id, due_by) WHERE status = 'OPEN';
