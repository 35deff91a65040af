//! How long Helpline keeps what is only bookkeeping: each table that grows
//! with traffic and is not the record of a case has a window, past which the
//! cron purges it. Cases, their events, SOP versions and daily reports are the
//! record and are kept.

use crate::clock::EpochMillis;

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

/// One table's window: rows whose `time_column` is older than `keep_ms`
/// before now are purged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub table: &'static str,
    pub time_column: &'static str,
    pub keep_ms: i64,
}

/// Every purged table and its window (the README's operating section lists
/// the same).
pub const RETENTION: [Retention; 5] = [
    // A rate-limit row counts one minute; the next minute starts it anew.
    Retention {
        table: "rate_limits",
        time_column: "window_ms",
        keep_ms: 2 * MINUTE,
    },
    // Self-serve outcomes feed the gaps report (30 days) and daily reports.
    Retention {
        table: "deflections",
        time_column: "at_ms",
        keep_ms: 180 * DAY,
    },
    // What the webhook never took: long enough for a lead to notice.
    Retention {
        table: "dead_notifications",
        time_column: "failed_ms",
        keep_ms: 30 * DAY,
    },
    // Retries of one incident reply come within minutes, not weeks.
    Retention {
        table: "case_writes_once",
        time_column: "at_ms",
        keep_ms: 30 * DAY,
    },
    Retention {
        table: "incident_replies",
        time_column: "at_ms",
        keep_ms: 30 * DAY,
    },
];

/// The most rows one tick purges from one table, so a first purge of a large
/// backlog stays a small statement; the next ticks finish it.
pub const PURGED_PER_TICK_MAX: i64 = 5_000;

/// The moment before which `retention`'s rows are purged at `now`.
pub fn purge_before(retention: &Retention, now: EpochMillis) -> EpochMillis {
    now - retention.keep_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_rows_live_two_minutes_dead_letters_thirty_days() {
        let rate = RETENTION.iter().find(|r| r.table == "rate_limits").unwrap();
        assert_eq!(purge_before(rate, 10 * MINUTE), 8 * MINUTE);
        let dead = RETENTION
            .iter()
            .find(|r| r.table == "dead_notifications")
            .unwrap();
        assert_eq!(dead.keep_ms, 30 * DAY);
    }
}
