-- Who has a case open in the console (helpline_shared::presence): one row per
-- case and specialist, their last beat. Beats older than the presence window
-- are deleted by the next beat on any case, so the table only ever holds the
-- last few seconds.
CREATE TABLE case_presence (
  case_id INTEGER NOT NULL,
  specialist_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  typing INTEGER NOT NULL,
  seen_ms INTEGER NOT NULL,
  PRIMARY KEY (case_id, specialist_id)
) WITHOUT ROWID;
CREATE INDEX case_presence_by_time ON case_presence (seen_ms);
