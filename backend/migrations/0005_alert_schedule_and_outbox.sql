-- The SLA sweep, set-based: the first moment each alert is owed
-- (helpline_shared::sla_watch::AlertSchedule), stored with the case on every
-- write, so one indexed comparison per alert kind finds every case owed one,
-- whatever the backlog. NULL: not owed from the case's present state.
-- Cases stored before this migration have no schedule until their next change.
ALTER TABLE cases ADD COLUMN sla_first_response_warning_ms INTEGER;
ALTER TABLE cases ADD COLUMN sla_first_response_breach_ms INTEGER;
ALTER TABLE cases ADD COLUMN sla_resolution_warning_ms INTEGER;
ALTER TABLE cases ADD COLUMN sla_resolution_breach_ms INTEGER;
CREATE INDEX cases_first_response_warning_due ON cases (sla_first_response_warning_ms)
    WHERE sla_first_response_warning_ms IS NOT NULL;
CREATE INDEX cases_first_response_breach_due ON cases (sla_first_response_breach_ms)
    WHERE sla_first_response_breach_ms IS NOT NULL;
CREATE INDEX cases_resolution_warning_due ON cases (sla_resolution_warning_ms)
    WHERE sla_resolution_warning_ms IS NOT NULL;
CREATE INDEX cases_resolution_breach_due ON cases (sla_resolution_breach_ms)
    WHERE sla_resolution_breach_ms IS NOT NULL;

-- Notifications not yet handed to the Queue: written in the same batch as
-- what they tell (an alert, a change), so a failure between the two loses
-- nothing; drained to the Queue after the write and at every cron tick.
-- Either a composed notification (`body`, JSON of helpline_shared::notify::
-- Notification) or an SLA alert to compose from its case when sent (`case_id`,
-- `alert` = the alert's bit, `escalated` = whether the sweep escalated it).
-- `claimed_until`: a drain is sending it; after that moment another may.
CREATE TABLE pending_notifications (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    body           TEXT,
    case_id        INTEGER REFERENCES cases (id),
    alert          INTEGER,
    escalated      INTEGER NOT NULL DEFAULT 0,
    created_ms     INTEGER NOT NULL,
    claimed_until  INTEGER
);

-- What the channel has been told of each incident: cases that join an open
-- incident are told through it, as a count at most every few minutes
-- (incidents::tell_growth), not one message each.
ALTER TABLE incidents ADD COLUMN told_cases INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN told_ms INTEGER;
