-- Cases, their audit trail, the specialists who work them, and intake rate
-- limits. Times are epoch milliseconds (INTEGER), the one form shared by the
-- Worker's clock, the SLA rules in helpline-shared and report aggregates.
-- A case's human ref (HL-1042) derives from its id (helpline_shared::case::human_ref).

CREATE TABLE specialists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('specialist', 'lead', 'admin')),
    token_hash  TEXT    NOT NULL UNIQUE,
    active      INTEGER NOT NULL DEFAULT 1,
    created_ms  INTEGER NOT NULL,
    revoked_ms  INTEGER
);

CREATE TABLE cases (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    title                TEXT    NOT NULL,
    description          TEXT    NOT NULL,
    platform             TEXT    NOT NULL,
    category             TEXT,
    impact               TEXT    NOT NULL,
    urgency              TEXT    NOT NULL,
    priority             TEXT    NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
    status               TEXT    NOT NULL,
    reporter_id          TEXT    NOT NULL,
    reporter_name        TEXT,
    reporter_email       TEXT,
    context              TEXT    NOT NULL DEFAULT '{}',
    -- SLA clock (helpline_shared::sla::SlaClock) and the queue order it gives.
    sla_paused_ms        INTEGER NOT NULL DEFAULT 0,
    sla_paused_since_ms  INTEGER,
    first_response_ms    INTEGER,
    resolved_ms          INTEGER,
    queue_rank           INTEGER NOT NULL,
    -- Who holds the case, and until when (helpline_shared::claim::ClaimLease).
    assignee_id          INTEGER REFERENCES specialists (id),
    lease_expires_ms     INTEGER,
    escalation_team      TEXT,
    escalation_level     INTEGER,
    escalation_reason    TEXT,
    rating               INTEGER,
    -- Intake idempotency: one case per reporter and key, whatever the retries.
    idempotency_key      TEXT    NOT NULL,
    request_fingerprint  TEXT    NOT NULL,
    -- Optimistic concurrency, and the id of the last write (ties its events to it).
    version              INTEGER NOT NULL DEFAULT 1,
    last_op              TEXT,
    created_ms           INTEGER NOT NULL,
    updated_ms           INTEGER NOT NULL,
    UNIQUE (reporter_id, idempotency_key)
);

CREATE INDEX cases_queue ON cases (status, queue_rank, id);
CREATE INDEX cases_by_reporter ON cases (reporter_id, created_ms);
CREATE INDEX cases_by_assignee ON cases (assignee_id, status);
CREATE INDEX cases_by_last_op ON cases (last_op);

CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    kind         TEXT    NOT NULL,
    public       INTEGER NOT NULL,
    actor_kind   TEXT    NOT NULL CHECK (actor_kind IN ('reporter', 'specialist', 'system')),
    actor_id     TEXT,
    actor_name   TEXT,
    body         TEXT,
    from_status  TEXT,
    to_status    TEXT,
    at_ms        INTEGER NOT NULL
);

CREATE INDEX case_events_by_case ON case_events (case_id, id);

-- The created event is written by the insert itself, so no case exists without it.
CREATE TRIGGER case_created AFTER INSERT ON cases
BEGIN
    INSERT INTO case_events (case_id, kind, public, actor_kind, actor_id, actor_name, to_status, at_ms)
    VALUES (NEW.id, 'created', 1, 'reporter', NEW.reporter_id, NEW.reporter_name, NEW.status, NEW.created_ms);
END;

-- Fixed-window counters for intake rate limits (one row per bucket and window).
CREATE TABLE rate_limits (
    bucket     TEXT    PRIMARY KEY,
    window_ms  INTEGER NOT NULL,
    count      INTEGER NOT NULL
);
