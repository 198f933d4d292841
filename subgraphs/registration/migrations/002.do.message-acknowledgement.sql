-- How far each participant, in each role it acts in, has processed its message feed (PRI-025: a participant resumes
-- where it stopped after a disconnect or a restart). One position per subgraph outbox (subgraphs/kit/message-feed.ts).
CREATE TABLE message_acknowledgement (
  participant_id text NOT NULL,
  role text NOT NULL,
  positions jsonb NOT NULL,
  acknowledged_at timestamptz NOT NULL,
  PRIMARY KEY (participant_id, role)
);
