-- The SOP knowledge base: the current state of each article, every version it
-- ever had (kept readable), and what self-serve answers did for users.

CREATE TABLE sop_articles (
    slug           TEXT    PRIMARY KEY,
    title          TEXT    NOT NULL,
    body_markdown  TEXT    NOT NULL,
    -- Rendered once, at write time, by helpline_shared::markdown::render (safe HTML).
    body_html      TEXT    NOT NULL,
    tags           TEXT    NOT NULL DEFAULT '[]',
    category       TEXT    NOT NULL,
    platforms      TEXT    NOT NULL DEFAULT '[]',
    language       TEXT    NOT NULL DEFAULT 'en',
    version        INTEGER NOT NULL,
    published      INTEGER NOT NULL DEFAULT 0,
    updated_by     TEXT    NOT NULL,
    updated_ms     INTEGER NOT NULL,
    created_ms     INTEGER NOT NULL
);

CREATE INDEX sop_articles_published ON sop_articles (published, slug);

CREATE TABLE sop_article_versions (
    slug           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    body_markdown  TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    tags           TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    platforms      TEXT    NOT NULL,
    language       TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    updated_ms     INTEGER NOT NULL,
    PRIMARY KEY (slug, version)
);

CREATE TABLE deflections (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    query          TEXT    NOT NULL,
    -- The query folded for grouping gaps (lowercase, single spaces).
    query_key      TEXT    NOT NULL,
    article_slug   TEXT,
    solved         INTEGER NOT NULL,
    reporter_id    TEXT    NOT NULL,
    platform       TEXT,
    at_ms          INTEGER NOT NULL
);

CREATE INDEX deflections_by_query ON deflections (query_key, solved);
CREATE INDEX deflections_by_time ON deflections (at_ms);
