-- Retention (helpline_shared::retention): the cron purges what is past its
-- window; these indexes let it find that without scanning.
CREATE INDEX rate_limits_by_window ON rate_limits (window_ms);
CREATE INDEX dead_notifications_by_time ON dead_notifications (failed_ms);
