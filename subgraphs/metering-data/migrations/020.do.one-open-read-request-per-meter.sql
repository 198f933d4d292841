-- One open read request per meter (a second would send two visits for one read), held by the database too, so that two
-- raisers racing through different replicas cannot both get one (read-request-flows.ts maps the violation to
-- READ_REQUEST_ALREADY_OPEN). Rows are kept: where a meter already has several open requests, the newest stays open and
-- each older one is closed as cancelled when the next one was requested (no clock is read), saying why.
UPDATE read_request q SET status = 'CANCELLED', cancelled_at = superseded.at,
       cancellation_reason = 'SUPERSEDED: a newer open read request for the same meter stays open (one open request per meter)'
  FROM (SELECT id, lead(requested_at) OVER (PARTITION BY mpan_core, meter_id ORDER BY requested_at, id) AS at
          FROM read_request WHERE status = 'OPEN') superseded
 WHERE q.id = superseded.id AND superseded.at IS NOT NULL;
CREATE UNIQUE INDEX read_request_one_open_per_meter ON read_request (mpan_core, meter_id) WHERE status = 'OPEN';
