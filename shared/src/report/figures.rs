//! The day's figures as the database answers them (one shape per query, plain
//! counts and milliseconds), and [`assemble`]: all of the report's arithmetic
//! over them — shares and SLA compliance, minutes to one decimal, the CSAT
//! average, the deflection rate, the top platforms and categories, the hours,
//! the key tickets. The Worker only runs the queries and decodes the rows.

use serde::Deserialize;

use super::{
    hourly, key_tickets, share, top, BreachLine, Csat, DailyReport, DayWindow, IncidentLine,
    KeyTicket, ReportTotals, ResponseTimes, SelfServe, SlaCompliance, Tally,
};
use crate::case::human_ref;
use crate::clock::{iso, EpochMillis};

/// How many labels a breakdown shows before summing the rest as `other`.
pub const BREAKDOWN_MAX: usize = 12;

/// Percentiles in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TimesRow {
    pub fr50: Option<f64>,
    pub fr90: Option<f64>,
    pub rs50: Option<f64>,
    pub rs90: Option<f64>,
}

/// One count of a breakdown: `dim` is `platform`, `category`, `priority` or
/// `hour` (the hour's index in the day, as text).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BreakdownRow {
    pub dim: String,
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SlaRow {
    pub priority: String,
    pub cases: i64,
    pub first_response_breached: i64,
    pub resolution_breached: i64,
    pub any_breached: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BreachRow {
    pub case_id: i64,
    pub body: Option<String>,
    pub at_ms: i64,
    pub priority: String,
    pub title: String,
}

/// A case that is a key ticket for one `reason` (it may come once per reason).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KeyTicketRow {
    pub id: i64,
    pub priority: String,
    pub status: String,
    pub platform: String,
    pub title: String,
    pub created_ms: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub platform: String,
    pub status: String,
    pub opened_ms: i64,
    pub cases: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DeflectionRow {
    pub solved: i64,
    pub not_solved: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CsatRow {
    pub rating: i64,
    pub count: i64,
}

/// Everything the day's queries answered.
#[derive(Debug, Clone, Default)]
pub struct DayFigures {
    /// The totals are as the query counts them.
    pub totals: ReportTotals,
    pub times: TimesRow,
    pub breakdowns: Vec<BreakdownRow>,
    pub sla: Vec<SlaRow>,
    pub breaches: Vec<BreachRow>,
    pub key_tickets: Vec<KeyTicketRow>,
    pub incidents: Vec<IncidentRow>,
    pub deflections: DeflectionRow,
    pub gaps: Vec<Tally>,
    pub csat: Vec<CsatRow>,
}

const MINUTE_MS: f64 = 60_000.0;

/// Milliseconds as minutes, to one decimal.
fn minutes(ms: Option<f64>) -> Option<f64> {
    ms.map(|v| (v / MINUTE_MS * 10.0).round() / 10.0)
}

fn response_times(t: &TimesRow) -> ResponseTimes {
    ResponseTimes {
        first_response_p50_minutes: minutes(t.fr50),
        first_response_p90_minutes: minutes(t.fr90),
        resolution_p50_minutes: minutes(t.rs50),
        resolution_p90_minutes: minutes(t.rs90),
    }
}

/// Ratings 1–5 counted, and their average to one decimal; anything else is
/// not a rating and is left out.
fn csat(rows: &[CsatRow]) -> Csat {
    let mut csat = Csat::default();
    for r in rows {
        let slot = usize::try_from(r.rating - 1)
            .ok()
            .and_then(|i| csat.distribution.get_mut(i));
        if let Some(slot) = slot {
            *slot += r.count;
            csat.ratings += r.count;
        }
    }
    let weighted: i64 = (1..=5).zip(csat.distribution).map(|(r, n)| r * n).sum();
    csat.average = share(weighted, csat.ratings).map(|a| (a * 10.0).round() / 10.0);
    csat
}

/// Of everyone who came for help, the share an answer sent away solved.
fn self_serve(d: &DeflectionRow, received: i64, top_gaps: Vec<Tally>) -> SelfServe {
    SelfServe {
        solved: d.solved,
        not_solved: d.not_solved,
        deflection_rate: share(d.solved, d.solved + received),
        top_gaps,
    }
}

fn sla_compliance(r: SlaRow) -> SlaCompliance {
    SlaCompliance {
        compliance: share(r.cases - r.any_breached, r.cases),
        priority: r.priority,
        cases: r.cases,
        first_response_breached: r.first_response_breached,
        resolution_breached: r.resolution_breached,
    }
}

fn breach_line(r: BreachRow) -> BreachLine {
    BreachLine {
        case_ref: human_ref(r.case_id),
        case_id: r.case_id,
        priority: r.priority,
        title: r.title,
        what: r.body.unwrap_or_default(),
        at: iso(r.at_ms),
    }
}

fn key_ticket(r: KeyTicketRow) -> (KeyTicket, String) {
    let ticket = KeyTicket {
        case_ref: human_ref(r.id),
        case_id: r.id,
        priority: r.priority,
        status: r.status,
        platform: r.platform,
        title: r.title,
        reasons: vec![],
        created_at: iso(r.created_ms),
    };
    (ticket, r.reason)
}

fn incident_line(r: IncidentRow) -> IncidentLine {
    IncidentLine {
        id: r.id,
        title: r.title,
        platform: r.platform,
        status: r.status,
        cases: r.cases,
        opened_at: iso(r.opened_ms),
    }
}

/// The counts of one breakdown dimension.
fn dimension(rows: &[BreakdownRow], dim: &str) -> Vec<Tally> {
    rows.iter()
        .filter(|r| r.dim == dim)
        .map(|r| Tally {
            key: r.key.clone(),
            count: r.count,
        })
        .collect()
}

/// The report of `day`, generated at `now`, from its figures.
pub fn assemble(day: &DayWindow, now: EpochMillis, f: DayFigures) -> DailyReport {
    let totals = f.totals;
    let hours: Vec<(i64, i64)> = f
        .breakdowns
        .iter()
        .filter(|r| r.dim == "hour")
        .filter_map(|r| Some((r.key.parse().ok()?, r.count)))
        .collect();
    let mut by_priority = dimension(&f.breakdowns, "priority");
    by_priority.sort_by(|a, b| a.key.cmp(&b.key));
    DailyReport {
        date: day.date_text(),
        time_zone: day.zone_name().into(),
        from: iso(day.start_ms),
        to: iso(day.end_ms),
        generated_at: iso(now),
        response_times: response_times(&f.times),
        per_hour: hourly(day.hours(), &hours),
        by_platform: top(dimension(&f.breakdowns, "platform"), BREAKDOWN_MAX),
        by_category: top(dimension(&f.breakdowns, "category"), BREAKDOWN_MAX),
        by_priority,
        sla: f.sla.into_iter().map(sla_compliance).collect(),
        breaches: f.breaches.into_iter().map(breach_line).collect(),
        key_tickets: key_tickets(f.key_tickets.into_iter().map(key_ticket).collect()),
        incidents: f.incidents.into_iter().map(incident_line).collect(),
        self_serve: self_serve(&f.deflections, totals.received, f.gaps),
        csat: csat(&f.csat),
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> DayWindow {
        DayWindow::requested(Some("2026-11-30"), "UTC", 0).unwrap()
    }

    #[test]
    fn minutes_are_rounded_to_one_decimal() {
        assert_eq!(minutes(Some(90_000.0)), Some(1.5));
        assert_eq!(minutes(Some(61_000.0)), Some(1.0));
        assert_eq!(minutes(Some(63_000.0)), Some(1.1));
        assert_eq!(minutes(None), None);
    }

    #[test]
    fn csat_averages_the_ratings_and_ignores_what_is_not_one() {
        let rows = [(5, 3), (4, 1), (1, 1), (0, 7), (6, 2)]
            .map(|(rating, count)| CsatRow { rating, count });
        let csat = csat(&rows);
        assert_eq!(csat.distribution, [1, 0, 0, 1, 3]);
        assert_eq!(csat.ratings, 5);
        assert_eq!(csat.average, Some(4.0));
        assert_eq!(super::csat(&[]).average, None, "no ratings, no average");
    }

    #[test]
    fn the_deflection_rate_is_of_everyone_who_came() {
        let d = DeflectionRow {
            solved: 30,
            not_solved: 10,
        };
        let served = self_serve(&d, 70, vec![]);
        assert_eq!(served.deflection_rate, Some(0.3));
        assert_eq!(
            self_serve(&DeflectionRow::default(), 0, vec![]).deflection_rate,
            None
        );
    }

    #[test]
    fn compliance_is_the_share_of_cases_with_no_breach() {
        let row = SlaRow {
            priority: "P1".into(),
            cases: 8,
            first_response_breached: 2,
            resolution_breached: 1,
            any_breached: 2,
        };
        assert_eq!(sla_compliance(row).compliance, Some(0.75));
    }

    #[test]
    fn a_day_assembles_from_its_figures() {
        let figures = DayFigures {
            totals: ReportTotals {
                received: 4,
                ..ReportTotals::default()
            },
            breakdowns: vec![
                BreakdownRow {
                    dim: "priority".into(),
                    key: "P3".into(),
                    count: 3,
                },
                BreakdownRow {
                    dim: "priority".into(),
                    key: "P1".into(),
                    count: 1,
                },
                BreakdownRow {
                    dim: "hour".into(),
                    key: "9".into(),
                    count: 4,
                },
            ],
            ..DayFigures::default()
        };
        let report = assemble(&day(), 0, figures);
        assert_eq!(report.date, "2026-11-30");
        assert_eq!(report.totals.received, 4);
        let keys: Vec<_> = report.by_priority.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["P1", "P3"]);
        assert_eq!(report.per_hour.len(), 24);
        assert_eq!(report.per_hour[9], 4);
    }
}
