//! Time as the core sees it: always passed in, never read from a system clock,
//! so every rule that depends on time is deterministic under test.

use chrono::{DateTime, SecondsFormat, Utc};

/// A moment, as milliseconds since the Unix epoch: what a Worker's `Date.now()`
/// and a browser's clock both give.
pub type EpochMillis = i64;

/// Converts epoch milliseconds to a UTC time; out-of-range values clamp to the
/// epoch rather than panic, because the input comes from a host clock.
pub fn utc(at: EpochMillis) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at).unwrap_or(DateTime::UNIX_EPOCH)
}

/// RFC 3339 in UTC with milliseconds (`2026-11-26T09:30:00.000Z`): the one text
/// form of a timestamp in D1 and over the API. It sorts as text in time order.
pub fn iso(at: EpochMillis) -> String {
    utc(at).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A timestamp in the API's text form back as epoch milliseconds; `None` for
/// anything that is not RFC 3339.
pub fn parse_iso(text: &str) -> Option<EpochMillis> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_iso_reads_back_what_iso_writes() {
        assert_eq!(parse_iso(&iso(1_795_685_400_123)), Some(1_795_685_400_123));
        assert_eq!(parse_iso("yesterday"), None);
    }

    #[test]
    fn iso_is_utc_with_milliseconds() {
        assert_eq!(iso(1_795_685_400_123), "2026-11-26T09:30:00.123Z");
    }

    #[test]
    fn iso_sorts_as_text_in_time_order() {
        assert!(iso(999) < iso(1_000) && iso(1_000) < iso(86_400_000));
    }
}
