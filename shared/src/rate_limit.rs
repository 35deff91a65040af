//! Rate limits as fixed one-minute windows: simple to keep in one D1 row per
//! bucket, and a client told "retry after N seconds" can trust it. New cases
//! per reporter and per address; messages per reporter on one case.

use crate::clock::EpochMillis;

pub const WINDOW_MS: i64 = 60_000;

/// The start of the window `now` falls in.
pub fn window_start(now: EpochMillis) -> EpochMillis {
    now - now.rem_euclid(WINDOW_MS)
}

/// Whole seconds until the window `now` falls in ends (at least 1).
pub fn retry_after_seconds(now: EpochMillis) -> u32 {
    let left = window_start(now) + WINDOW_MS - now;
    ((left + 999) / 1000).max(1) as u32
}

/// The bucket counting one reporter's new cases.
pub fn reporter_bucket(reporter_id: &str) -> String {
    format!("cases:reporter:{reporter_id}")
}

/// The bucket counting new cases from one client address.
pub fn ip_bucket(ip: &str) -> String {
    format!("cases:ip:{ip}")
}

/// Messages one reporter may write on one case in a minute by default: more
/// than a person types, far less than a script floods.
pub const DEFAULT_MESSAGES_PER_CASE_PER_MINUTE: u32 = 10;

/// The bucket counting one reporter's messages on one case.
pub fn message_bucket(case_id: i64, reporter_id: &str) -> String {
    format!("messages:{case_id}:{reporter_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_whole_minutes() {
        assert_eq!(window_start(125_000), 120_000);
        assert_eq!(window_start(120_000), 120_000);
    }

    #[test]
    fn retry_after_counts_up_to_the_window_end() {
        assert_eq!(retry_after_seconds(120_000), 60);
        assert_eq!(retry_after_seconds(179_500), 1);
        assert_eq!(retry_after_seconds(150_001), 30);
    }
}
