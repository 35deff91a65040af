-- A case shows the team the answers its reporter read and rejected in the
-- hour before sending it (helpline_shared::audience::case_view): found by
-- reporter and time.
CREATE INDEX deflections_by_reporter ON deflections (reporter_id, at_ms);
