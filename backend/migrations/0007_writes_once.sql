-- Writes that must reach each case at most once however often they are
-- retried (an incident's one reply to all its cases): the key of the write
-- and each case it reached, recorded in the same batch as the case's write.
CREATE TABLE case_writes_once (
    write_key  TEXT    NOT NULL,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    at_ms      INTEGER NOT NULL,
    PRIMARY KEY (write_key, case_id)
);
CREATE INDEX case_writes_once_by_time ON case_writes_once (at_ms);

-- An incident reply's answer, kept under its Idempotency-Key, so a retry gets
-- the first answer back instead of a second round of messages.
CREATE TABLE incident_replies (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    reply_key    TEXT    NOT NULL,
    replied      INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    at_ms        INTEGER NOT NULL,
    PRIMARY KEY (incident_id, reply_key)
);
CREATE INDEX incident_replies_by_time ON incident_replies (at_ms);
