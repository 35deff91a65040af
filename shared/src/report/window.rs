//! A report's day: a local date in an IANA time zone, as the UTC instants that
//! bound it. Days are 23, 24 or 25 hours long where clocks change, so hours are
//! counted from the day's own start, never assumed.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::clock::{utc, EpochMillis};
use crate::ValidationError;

const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    pub date: NaiveDate,
    pub zone: Tz,
    /// The first instant of the day (inclusive).
    pub start_ms: EpochMillis,
    /// The first instant of the next day (exclusive).
    pub end_ms: EpochMillis,
}

impl DayWindow {
    /// The day `date` (`YYYY-MM-DD`) in the zone `tz` (`Europe/Berlin`, `UTC`);
    /// errors name the query parameter at fault.
    pub fn parse(date: &str, tz: &str) -> Result<DayWindow, ValidationError> {
        let zone = zone(tz)?;
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2200).contains(&chrono::Datelike::year(d)))
            .ok_or(ValidationError::Invalid {
                field: "date",
                reason: "use a date such as 2026-11-25",
            })?;
        Ok(DayWindow::new(date, zone))
    }

    /// The day a request names: `date` in `tz`, or the day in `tz` that
    /// contains `now` when no date is given.
    pub fn requested(
        date: Option<&str>,
        tz: &str,
        now: EpochMillis,
    ) -> Result<DayWindow, ValidationError> {
        match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(date) => DayWindow::parse(date, tz),
            None => Ok(DayWindow::containing(now, zone(tz)?)),
        }
    }

    pub fn new(date: NaiveDate, zone: Tz) -> DayWindow {
        let next = date.succ_opt().unwrap_or(date);
        DayWindow {
            date,
            zone,
            start_ms: local_midnight(date, zone),
            end_ms: local_midnight(next, zone),
        }
    }

    /// The local day that contains `at`.
    pub fn containing(at: EpochMillis, zone: Tz) -> DayWindow {
        DayWindow::new(utc(at).with_timezone(&zone).date_naive(), zone)
    }

    /// The day before this one, in the same zone.
    pub fn previous(&self) -> DayWindow {
        DayWindow::new(self.date.pred_opt().unwrap_or(self.date), self.zone)
    }

    pub fn date_text(&self) -> String {
        self.date.format("%Y-%m-%d").to_string()
    }

    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// How many hours the day has (23, 24 or 25).
    pub fn hours(&self) -> usize {
        ((self.end_ms - self.start_ms + HOUR_MS - 1) / HOUR_MS).max(1) as usize
    }

    /// Which of the day's hours `at` falls in (0-based, from the day's start).
    pub fn hour_of(&self, at: EpochMillis) -> usize {
        (((at - self.start_ms).max(0)) / HOUR_MS) as usize
    }
}

/// An IANA zone by name; the error names the `tz` parameter.
pub fn zone(tz: &str) -> Result<Tz, ValidationError> {
    tz.trim().parse().map_err(|_| ValidationError::Invalid {
        field: "tz",
        reason: "use an IANA time zone name such as UTC or Asia/Shanghai",
    })
}

/// The first instant of `date` in `zone`. Where a clock change skips midnight,
/// the day starts at the first local time that exists.
fn local_midnight(date: NaiveDate, zone: Tz) -> EpochMillis {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for minutes in (0..=180).step_by(15) {
        match zone.from_local_datetime(&(midnight + Duration::minutes(minutes))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.timestamp_millis(),
            LocalResult::None => continue,
        }
    }
    DateTime::<chrono::Utc>::from_naive_utc_and_offset(midnight, chrono::Utc).timestamp_millis()
}

/// The day whose report the cron should write at `now`: yesterday, once the
/// local clock has reached `hour` (so a missed minute is caught up later that
/// day; writing it is idempotent).
pub fn report_due(now: EpochMillis, zone: Tz, hour: u32) -> Option<DayWindow> {
    let local = utc(now).with_timezone(&zone);
    (local.hour() >= hour).then(|| DayWindow::containing(now, zone).previous())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::iso;

    fn day(date: &str, tz: &str) -> DayWindow {
        DayWindow::parse(date, tz).unwrap()
    }

    #[test]
    fn a_utc_day_is_24_hours_from_midnight() {
        let d = day("2026-11-25", "UTC");
        assert_eq!(iso(d.start_ms), "2026-11-25T00:00:00.000Z");
        assert_eq!(iso(d.end_ms), "2026-11-26T00:00:00.000Z");
        assert_eq!(d.hours(), 24);
    }

    #[test]
    fn a_zone_shifts_the_bounds() {
        let d = day("2026-11-25", "Asia/Shanghai");
        assert_eq!(iso(d.start_ms), "2026-11-24T16:00:00.000Z");
        assert_eq!(d.hour_of(d.start_ms + 90 * 60_000), 1);
    }

    #[test]
    fn clock_changes_make_23_and_25_hour_days() {
        assert_eq!(day("2026-03-29", "Europe/Berlin").hours(), 23);
        assert_eq!(day("2026-10-25", "Europe/Berlin").hours(), 25);
    }

    #[test]
    fn without_a_date_the_request_means_today_in_that_zone() {
        // 2026-11-25T20:00:00Z is already the 26th in Shanghai.
        let now = day("2026-11-25", "UTC").start_ms + 20 * HOUR_MS;
        let d = DayWindow::requested(None, "Asia/Shanghai", now).unwrap();
        assert_eq!(d.date_text(), "2026-11-26");
        let d = DayWindow::requested(Some(" "), "UTC", now).unwrap();
        assert_eq!(d.date_text(), "2026-11-25");
        assert_eq!(
            DayWindow::requested(None, "Nowhere", now)
                .unwrap_err()
                .field(),
            "tz"
        );
    }

    #[test]
    fn bad_parameters_name_their_field() {
        assert_eq!(
            DayWindow::parse("2026-13-01", "UTC").unwrap_err().field(),
            "date"
        );
        assert_eq!(
            DayWindow::parse("yesterday", "UTC").unwrap_err().field(),
            "date"
        );
        assert_eq!(
            DayWindow::parse("2026-11-25", "Mars/Olympus")
                .unwrap_err()
                .field(),
            "tz"
        );
    }

    #[test]
    fn yesterdays_report_is_due_from_the_configured_hour() {
        let zone: Tz = "Asia/Shanghai".parse().unwrap();
        // 2026-11-26 05:30 in Shanghai.
        let early = day("2026-11-26", "Asia/Shanghai").start_ms + 5 * HOUR_MS + 30 * 60_000;
        assert_eq!(report_due(early, zone, 6), None);
        let due = report_due(early + HOUR_MS, zone, 6).unwrap();
        assert_eq!(due.date_text(), "2026-11-25");
        assert_eq!(due.zone_name(), "Asia/Shanghai");
    }
}
