-- The walking skeleton's tables: cases as the widget submits them, and the
-- specialists who may read the queue. Later migrations add lifecycle, SLA and
-- audit columns; this file never changes once applied.

-- A case's human ref (HL-1042) is derived from its id by helpline_shared::case::human_ref
-- and is therefore not stored.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    platform       TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'queued',
    reporter_id    TEXT    NOT NULL,
    reporter_name  TEXT,
    reporter_email TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE INDEX cases_by_status_and_age ON cases (status, created_at, id);
CREATE INDEX cases_by_reporter ON cases (reporter_id, created_at);

CREATE TABLE specialists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('specialist', 'lead', 'admin')),
    token_hash  TEXT    NOT NULL UNIQUE,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL
);
