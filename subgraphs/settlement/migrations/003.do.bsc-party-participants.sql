-- The market participants (MPIDs) a BSC party acts as: the link that makes a BM unit or party "the caller's own" for
-- the commercially sensitive CRA attributes (@access ownPartyOnly). A party may act as several MPIDs; an MPID belongs
-- to one party.
CREATE TABLE bsc_party_participant (
  participant_id text PRIMARY KEY,
  bsc_party_id text NOT NULL REFERENCES bsc_party (id)
);
CREATE INDEX bsc_party_participant_party ON bsc_party_participant (bsc_party_id);
