-- Troubleshooting link templates (helpline_shared::troubleshooting): admins
-- keep them per platform ('*' for every platform); a case shows those that
-- serve its platform, filled from it.
CREATE TABLE link_templates (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  label TEXT NOT NULL,
  template TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX link_templates_by_platform ON link_templates (platform, label);
