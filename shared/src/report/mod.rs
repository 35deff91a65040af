//! The daily report: what the support team's day was, for a date in a time
//! zone. The Worker fills [`DailyReport`] from SQL aggregates (never by loading
//! every case); this module owns the day's bounds in that zone, when the cron
//! writes yesterday's report, and the two text forms (`markdown`, `html`).

pub mod figures;
pub mod html;
pub mod markdown;
mod window;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use crate::openapi::format::{CaseRef, KeyReason, LocalDate, Timestamp};
use crate::ValidationError;

pub use window::{report_due, zone, DayWindow};

/// One day of the support desk, in one time zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DailyReport {
    /// The local date, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schemars(with = "LocalDate"))]
    pub date: String,
    /// An IANA zone name (`Asia/Shanghai`, `UTC`).
    pub time_zone: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    /// The day's bounds in UTC (RFC 3339): `from` inclusive, `to` exclusive.
    pub from: String,
    /// The next day's first instant (exclusive); where the clocks change the day is 23 or 25
    /// hours long.
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub to: String,
    /// When the report was computed.
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub generated_at: String,
    pub totals: ReportTotals,
    pub response_times: ResponseTimes,
    /// Cases received in each local hour of the day (23, 24 or 25 entries).
    #[cfg_attr(feature = "openapi", schemars(length(min = 23, max = 25)))]
    pub per_hour: Vec<i64>,
    /// Cases per platform, most first; beyond 12 the rest are summed under `other`.
    pub by_platform: Vec<Tally>,
    /// Cases per category, likewise; `(none)` counts those without one.
    pub by_category: Vec<Tally>,
    /// Cases per priority, P1 first.
    pub by_priority: Vec<Tally>,
    /// SLA compliance of the cases received that day, one row per priority.
    pub sla: Vec<SlaCompliance>,
    /// Every SLA breach recorded that day.
    pub breaches: Vec<BreachLine>,
    /// The cases worth a line: P1s and P2s received, cases breached, escalated or reopened
    /// during the day, and the five oldest still open; most urgent first.
    pub key_tickets: Vec<KeyTicket>,
    /// Incidents open at any time of the day, oldest first.
    pub incidents: Vec<IncidentLine>,
    pub self_serve: SelfServe,
    pub csat: Csat,
}

/// The day's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReportTotals {
    /// Cases created during the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub received: i64,
    /// Cases resolved during the day (whenever they were created).
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub resolved: i64,
    /// Cases open at the end of the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub backlog: i64,
    /// Cases escalated during the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub escalated: i64,
    /// Cases reopened during the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub reopened: i64,
    /// SLA breaches recorded during the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub breaches: i64,
}

/// Minutes, over the cases received that day that have the figure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ResponseTimes {
    /// Median time to the first response.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub first_response_p50_minutes: Option<f64>,
    /// 90th percentile of the time to the first response.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub first_response_p90_minutes: Option<f64>,
    /// Median time to resolution.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub resolution_p50_minutes: Option<f64>,
    /// 90th percentile of the time to resolution.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub resolution_p90_minutes: Option<f64>,
}

/// A count under a label (a platform, a category, a priority, a query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Tally {
    pub key: String,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub count: i64,
}

/// SLA compliance of the day's cases of one priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SlaCompliance {
    #[cfg_attr(feature = "openapi", schemars(with = "crate::priority::Priority"))]
    pub priority: String,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub cases: i64,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub first_response_breached: i64,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub resolution_breached: i64,
    /// Share of the cases with no breach of either kind (None with no cases).
    #[cfg_attr(feature = "openapi", schemars(range(min = 0, max = 1)))]
    pub compliance: Option<f64>,
}

/// One SLA breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BreachLine {
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
    pub case_ref: String,
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub case_id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "crate::priority::Priority"))]
    pub priority: String,
    pub title: String,
    /// What was missed, as the sweep wrote it.
    pub what: String,
    /// When the sweep recorded it.
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub at: String,
}

/// A case worth a line in the report, and why (`p1`, `p2`, `breached`,
/// `escalated`, `reopened`, `oldest_open`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct KeyTicket {
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
    pub case_ref: String,
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub case_id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "crate::priority::Priority"))]
    pub priority: String,
    #[cfg_attr(feature = "openapi", schemars(with = "crate::lifecycle::CaseStatus"))]
    pub status: String,
    pub platform: String,
    pub title: String,
    /// Why, in this order: received as P1 or P2, breached, escalated or reopened during the
    /// day, among the five oldest still open.
    #[cfg_attr(
        feature = "openapi",
        schemars(length(min = 1), with = "Vec<KeyReason>")
    )]
    pub reasons: Vec<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub created_at: String,
}

/// An incident as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncidentLine {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    pub title: String,
    pub platform: String,
    /// Its status now.
    #[cfg_attr(feature = "openapi", schemars(extend("enum" = ["open", "resolved"])))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub cases: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub opened_at: String,
}

/// What the SOP answers did during the day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SelfServe {
    /// Answers a user marked "This solved it" during the day.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub solved: i64,
    /// Answers a user read and still needed help.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub not_solved: i64,
    /// solved / (solved + cases received); None when both are zero.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0, max = 1)))]
    pub deflection_rate: Option<f64>,
    /// The questions most often left unanswered that day.
    #[cfg_attr(feature = "openapi", schemars(length(max = 5)))]
    pub top_gaps: Vec<Tally>,
}

/// The ratings reporters gave during the day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Csat {
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub ratings: i64,
    /// To one decimal; `null` with no ratings.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1, max = 5)))]
    pub average: Option<f64>,
    /// How many ratings of 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
}

/// `part / whole`, or None when there is nothing to divide.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The three forms of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Markdown,
    Html,
}

impl ReportFormat {
    /// `format=` wins over `Accept`; JSON when neither asks for another form.
    pub fn choose(format: Option<&str>, accept: Option<&str>) -> Result<Self, ValidationError> {
        match format.map(|f| f.trim().to_ascii_lowercase()).as_deref() {
            Some("json") => return Ok(Self::Json),
            Some("md" | "markdown") => return Ok(Self::Markdown),
            Some("html") => return Ok(Self::Html),
            Some("") | None => {}
            Some(_) => {
                return Err(ValidationError::Invalid {
                    field: "format",
                    reason: "use json, markdown or html",
                })
            }
        }
        // The form the client prefers most (`q` weights), JSON when it names none.
        let mut best = (Self::Json, 0.0_f32);
        for range in accept.unwrap_or_default().split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let form = match media.as_str() {
                "application/json" => Self::Json,
                "text/markdown" => Self::Markdown,
                "text/html" => Self::Html,
                _ => continue,
            };
            if q > best.1 {
                best = (form, q);
            }
        }
        Ok(best.0)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
        }
    }
}

/// The `n` largest tallies, the rest summed as `other`, so a day with many
/// platforms still gives a chart one can read.
pub fn top(mut tallies: Vec<Tally>, n: usize) -> Vec<Tally> {
    tallies.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    if tallies.len() > n {
        let rest: i64 = tallies.drain(n..).map(|t| t.count).sum();
        tallies.push(Tally {
            key: "other".into(),
            count: rest,
        });
    }
    tallies
}

/// Counts per hour of the day from (hour, count) pairs, zero where none.
pub fn hourly(hours: usize, counts: &[(i64, i64)]) -> Vec<i64> {
    let mut out = vec![0; hours];
    for &(hour, count) in counts {
        if let Some(slot) = usize::try_from(hour).ok().and_then(|h| out.get_mut(h)) {
            *slot += count;
        }
    }
    out
}

/// Key tickets from (ticket, reason) pairs: one line per case with all its
/// reasons, most urgent first, then oldest.
pub fn key_tickets(pairs: Vec<(KeyTicket, String)>) -> Vec<KeyTicket> {
    let mut out: Vec<KeyTicket> = Vec::new();
    for (ticket, reason) in pairs {
        match out.iter_mut().find(|t| t.case_id == ticket.case_id) {
            Some(existing) => {
                if !existing.reasons.contains(&reason) {
                    existing.reasons.push(reason);
                }
            }
            None => out.push(KeyTicket {
                reasons: vec![reason],
                ..ticket
            }),
        }
    }
    for t in &mut out {
        t.reasons
            .sort_by_key(|r| REASON_ORDER.iter().position(|o| o == r));
    }
    out.sort_by(|a, b| a.priority.cmp(&b.priority).then(a.case_id.cmp(&b.case_id)));
    out
}

/// A key ticket's reason as the report prints it: "P1", "breached",
/// "oldest open" — words, not the codes the JSON carries (`p1`, `oldest_open`).
pub fn reason_words(code: &str) -> String {
    match code {
        "p1" | "p2" => code.to_uppercase(),
        _ => code.replace('_', " "),
    }
}

/// A case status as the report prints it: `waiting_on_user` reads
/// "waiting on user".
pub fn status_words(code: &str) -> String {
    code.replace('_', " ")
}

/// Why a case is a key ticket, in the order a line lists them.
pub(crate) const REASON_ORDER: [&str; 6] = [
    "p1",
    "p2",
    "breached",
    "escalated",
    "reopened",
    "oldest_open",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(key: &str, count: i64) -> Tally {
        Tally {
            key: key.into(),
            count,
        }
    }

    #[test]
    fn the_format_parameter_wins_over_accept() {
        use ReportFormat::*;
        assert_eq!(
            ReportFormat::choose(Some("md"), Some("text/html")),
            Ok(Markdown)
        );
        assert_eq!(ReportFormat::choose(None, Some("text/html,*/*")), Ok(Html));
        assert_eq!(
            ReportFormat::choose(None, Some("text/markdown")),
            Ok(Markdown)
        );
        assert_eq!(ReportFormat::choose(None, None), Ok(Json));
        assert_eq!(
            ReportFormat::choose(None, Some("application/json, text/html;q=0.1")),
            Ok(Json)
        );
        assert_eq!(
            ReportFormat::choose(None, Some("text/markdown;q=0.5, text/html;q=0.9")),
            Ok(Html)
        );
        assert_eq!(ReportFormat::choose(None, Some("text/html;q=0")), Ok(Json));
        assert_eq!(
            ReportFormat::choose(Some("pdf"), None).unwrap_err().field(),
            "format"
        );
    }

    #[test]
    fn top_keeps_the_largest_and_sums_the_rest() {
        let t = top(
            vec![tally("a", 1), tally("b", 5), tally("c", 3), tally("d", 2)],
            2,
        );
        assert_eq!(t, vec![tally("b", 5), tally("c", 3), tally("other", 3)]);
    }

    #[test]
    fn hourly_fills_gaps_and_ignores_strays() {
        assert_eq!(
            hourly(4, &[(0, 2), (3, 1), (7, 9), (-1, 4)]),
            vec![2, 0, 0, 1]
        );
    }

    #[test]
    fn reasons_and_statuses_read_as_words() {
        let words: Vec<String> = REASON_ORDER.iter().map(|r| reason_words(r)).collect();
        assert_eq!(
            words,
            [
                "P1",
                "P2",
                "breached",
                "escalated",
                "reopened",
                "oldest open"
            ]
        );
        assert_eq!(status_words("waiting_on_user"), "waiting on user");
        assert_eq!(status_words("queued"), "queued");
    }

    #[test]
    fn key_tickets_merge_reasons_per_case() {
        let ticket = |id: i64, priority: &str| KeyTicket {
            case_ref: format!("HL-{}", id + 1000),
            case_id: id,
            priority: priority.into(),
            status: "queued".into(),
            platform: "crm".into(),
            title: "t".into(),
            reasons: vec![],
            created_at: String::new(),
        };
        let out = key_tickets(vec![
            (ticket(2, "P3"), "escalated".into()),
            (ticket(1, "P1"), "breached".into()),
            (ticket(1, "P1"), "p1".into()),
            (ticket(1, "P1"), "p1".into()),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].case_id, 1);
        assert_eq!(out[0].reasons, vec!["p1", "breached"]);
        assert_eq!(out[1].reasons, vec!["escalated"]);
    }
}
