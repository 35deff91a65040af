-- Malfunction detection, notification dead letters and daily reports.

-- What makes a case look like others (helpline_shared::malfunction::signature).
ALTER TABLE cases ADD COLUMN signature TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_by_signature ON cases (signature, created_ms);

-- A burst of look-alike cases. At most one open incident per signature, so
-- concurrent intakes of a burst open exactly one.
CREATE TABLE incidents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    signature    TEXT    NOT NULL,
    platform     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    opened_ms    INTEGER NOT NULL,
    resolved_ms  INTEGER,
    resolved_by  TEXT,
    resolution   TEXT
);
CREATE UNIQUE INDEX incidents_one_open_per_signature ON incidents (signature) WHERE status = 'open';
CREATE INDEX incidents_by_opened ON incidents (opened_ms);

CREATE TABLE incident_cases (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (incident_id, case_id)
);
CREATE INDEX incident_cases_by_case ON incident_cases (case_id);

-- Notifications the IM webhook refused after every retry (the dead-letter
-- queue's consumer writes them here, for GET /v1/notifications/dead).
CREATE TABLE dead_notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  TEXT    NOT NULL UNIQUE,
    body        TEXT    NOT NULL,
    failed_ms   INTEGER NOT NULL
);

-- Reports the cron wrote, one per day and zone (so it writes each once).
CREATE TABLE daily_reports (
    date         TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    report       TEXT    NOT NULL,
    created_ms   INTEGER NOT NULL,
    PRIMARY KEY (date, time_zone)
);

-- The daily report's aggregates read cases by when they arrived and were
-- resolved, and events by kind and time.
CREATE INDEX cases_by_created ON cases (created_ms);
CREATE INDEX cases_by_resolved ON cases (resolved_ms);
CREATE INDEX case_events_by_kind ON case_events (kind, at_ms);
