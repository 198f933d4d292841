-- One open read request per meter (a second would send two visits for one read), held by the database too, so that two
-- raisers racing through different replicas cannot both get one (read-request-flows.ts maps the violation to
-- READ_REQUEST_ALREADY_OPEN). Rows are kept: where a meter already has several open requests, the newest stays open and
-- the older ones are closed as cancelled, saying why.
UPDATE read_request q SET status = 'CANCELLED', cancelled_at = now(),
       cancellation_reason = 'SUPERSEDED: a newer open read request for the same meter stays open (one open request per meter)'
  WHERE q.status = 'OPEN'
    AND EXISTS (SELECT 1 FROM read_request newer
                 WHERE newer.mpan_core = q.mpan_core AND newer.meter_id = q.meter_id AND newer.status = 'OPEN'
                   AND (newer.requested_at, newer.id) > (q.requested_at, q.id));
CREATE UNIQUE INDEX read_request_one_open_per_meter ON read_request (mpan_core, meter_id) WHERE status = 'OPEN';
