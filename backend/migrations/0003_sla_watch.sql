-- Which SLA alerts a case has had (bits of helpline_shared::sla_watch::SlaAlert:
-- 1 first-response warning, 2 first-response breach, 4 resolution warning,
-- 8 resolution breach), so a sweep raises each at most once.
ALTER TABLE cases ADD COLUMN sla_alerts INTEGER NOT NULL DEFAULT 0;
