//! The daily report's figures, as SQL aggregates over one day in D1: one batch
//! of grouped counts, window-function percentiles and short lists, so a day of
//! 100,000 cases is summed by SQLite, never loaded into the Worker.

use helpline_shared::case::human_ref;
use helpline_shared::clock::iso;
use helpline_shared::report::{
    hourly, key_tickets, share, top, BreachLine, Csat, DailyReport, DayWindow, IncidentLine,
    KeyTicket, ReportTotals, ResponseTimes, SelfServe, SlaCompliance, Tally,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{D1Database, D1Result};

use crate::error::ApiResult;
use crate::http::int;

/// How many labels a breakdown shows before summing the rest as `other`.
const BREAKDOWN_MAX: usize = 12;
/// The longest lists a report carries (the totals still count everything).
const BREACHES_MAX: i64 = 1000;
const KEY_TICKET_ROWS_MAX: i64 = 600;
const GAPS_MAX: i64 = 5;

// ?1 = start (inclusive), ?2 = end (exclusive), epoch ms.
const TOTALS: &str = "SELECT
    (SELECT COUNT(*) FROM cases WHERE created_ms >= ?1 AND created_ms < ?2) AS received,
    (SELECT COUNT(*) FROM cases WHERE resolved_ms >= ?1 AND resolved_ms < ?2) AS resolved,
    (SELECT COUNT(*) FROM cases WHERE resolved_ms IS NULL AND created_ms < ?2)
      + (SELECT COUNT(*) FROM cases WHERE resolved_ms >= ?2 AND created_ms < ?2) AS backlog,
    (SELECT COUNT(DISTINCT case_id) FROM case_events
      WHERE kind = 'escalated' AND at_ms >= ?1 AND at_ms < ?2) AS escalated,
    (SELECT COUNT(DISTINCT case_id) FROM case_events
      WHERE kind = 'reopened' AND at_ms >= ?1 AND at_ms < ?2) AS reopened,
    (SELECT COUNT(*) FROM case_events
      WHERE kind = 'sla_breached' AND at_ms >= ?1 AND at_ms < ?2) AS breaches";

// Nearest-rank percentiles (the smallest value whose rank reaches q·n).
const TIMES: &str = "WITH day AS (
        SELECT created_ms, first_response_ms, resolved_ms FROM cases
        WHERE created_ms >= ?1 AND created_ms < ?2),
    fr AS (SELECT first_response_ms - created_ms AS d,
               ROW_NUMBER() OVER (ORDER BY first_response_ms - created_ms) AS rn,
               COUNT(*) OVER () AS n
           FROM day WHERE first_response_ms IS NOT NULL),
    rs AS (SELECT resolved_ms - created_ms AS d,
               ROW_NUMBER() OVER (ORDER BY resolved_ms - created_ms) AS rn,
               COUNT(*) OVER () AS n
           FROM day WHERE resolved_ms IS NOT NULL)
    SELECT
      (SELECT MIN(d) FROM fr WHERE rn >= n * 0.5) AS fr50,
      (SELECT MIN(d) FROM fr WHERE rn >= n * 0.9) AS fr90,
      (SELECT MIN(d) FROM rs WHERE rn >= n * 0.5) AS rs50,
      (SELECT MIN(d) FROM rs WHERE rn >= n * 0.9) AS rs90";

// Parameters arrive as JS numbers, which D1 may bind as REAL: hours are cast.
const BREAKDOWNS: &str = "
    SELECT 'platform' AS dim, platform AS key, COUNT(*) AS count FROM cases
      WHERE created_ms >= ?1 AND created_ms < ?2 GROUP BY platform
    UNION ALL
    SELECT 'category', COALESCE(category, '(none)'), COUNT(*) FROM cases
      WHERE created_ms >= ?1 AND created_ms < ?2 GROUP BY category
    UNION ALL
    SELECT 'priority', priority, COUNT(*) FROM cases
      WHERE created_ms >= ?1 AND created_ms < ?2 GROUP BY priority
    UNION ALL
    SELECT 'hour', CAST(CAST((created_ms - ?1) / 3600000 AS INTEGER) AS TEXT), COUNT(*)
      FROM cases WHERE created_ms >= ?1 AND created_ms < ?2
      GROUP BY CAST((created_ms - ?1) / 3600000 AS INTEGER)";

// Breach bits of helpline_shared::sla_watch::SlaAlert: 2 first response, 8 resolution.
const SLA: &str = "SELECT priority, COUNT(*) AS cases,
        SUM((sla_alerts & 2) != 0) AS first_response_breached,
        SUM((sla_alerts & 8) != 0) AS resolution_breached,
        SUM((sla_alerts & 10) != 0) AS any_breached
    FROM cases WHERE created_ms >= ?1 AND created_ms < ?2
    GROUP BY priority ORDER BY priority";

const BREACHES: &str = "SELECT e.case_id, e.body, e.at_ms, c.priority, c.title
    FROM case_events e JOIN cases c ON c.id = e.case_id
    WHERE e.kind = 'sla_breached' AND e.at_ms >= ?1 AND e.at_ms < ?2
    ORDER BY e.at_ms, e.id LIMIT ?3";

const KEY_TICKETS: &str = "SELECT c.id, c.priority, c.status, c.platform, c.title,
        c.created_ms, k.reason
    FROM (
        SELECT id AS case_id, lower(priority) AS reason FROM cases
          WHERE created_ms >= ?1 AND created_ms < ?2 AND priority IN ('P1', 'P2')
        UNION SELECT case_id, 'breached' FROM case_events
          WHERE kind = 'sla_breached' AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'escalated' FROM case_events
          WHERE kind = 'escalated' AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'reopened' FROM case_events
          WHERE kind = 'reopened' AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'oldest_open' FROM (
          SELECT id AS case_id FROM cases
          WHERE resolved_ms IS NULL AND created_ms < ?2
            AND status NOT IN ('resolved', 'closed')
          ORDER BY created_ms LIMIT 5)
    ) k JOIN cases c ON c.id = k.case_id
    ORDER BY c.priority, c.id LIMIT ?3";

const INCIDENTS: &str = "SELECT i.id, i.title, i.platform, i.status, i.opened_ms,
        (SELECT COUNT(*) FROM incident_cases ic WHERE ic.incident_id = i.id) AS cases
    FROM incidents i
    WHERE i.opened_ms < ?2 AND (i.resolved_ms IS NULL OR i.resolved_ms >= ?1)
    ORDER BY i.opened_ms";

const DEFLECTIONS: &str = "SELECT COALESCE(SUM(solved), 0) AS solved,
        COALESCE(SUM(1 - solved), 0) AS not_solved
    FROM deflections WHERE at_ms >= ?1 AND at_ms < ?2";

const GAPS: &str = "SELECT query_key AS key, COUNT(*) AS count FROM deflections
    WHERE solved = 0 AND at_ms >= ?1 AND at_ms < ?2
    GROUP BY query_key ORDER BY count DESC, query_key LIMIT ?3";

const CSAT: &str = "SELECT c.rating AS rating, COUNT(*) AS count
    FROM case_events e JOIN cases c ON c.id = e.case_id
    WHERE e.kind = 'feedback' AND e.at_ms >= ?1 AND e.at_ms < ?2 AND c.rating IS NOT NULL
    GROUP BY c.rating";

#[derive(Deserialize)]
struct TotalsRow {
    received: i64,
    resolved: i64,
    backlog: i64,
    escalated: i64,
    reopened: i64,
    breaches: i64,
}

#[derive(Deserialize)]
struct TimesRow {
    fr50: Option<f64>,
    fr90: Option<f64>,
    rs50: Option<f64>,
    rs90: Option<f64>,
}

#[derive(Deserialize)]
struct BreakdownRow {
    dim: String,
    key: String,
    count: i64,
}

#[derive(Deserialize)]
struct SlaRow {
    priority: String,
    cases: i64,
    first_response_breached: i64,
    resolution_breached: i64,
    any_breached: i64,
}

#[derive(Deserialize)]
struct BreachRow {
    case_id: i64,
    body: Option<String>,
    at_ms: i64,
    priority: String,
    title: String,
}

#[derive(Deserialize)]
struct KeyTicketRow {
    id: i64,
    priority: String,
    status: String,
    platform: String,
    title: String,
    created_ms: i64,
    reason: String,
}

#[derive(Deserialize)]
struct IncidentRow {
    id: i64,
    title: String,
    platform: String,
    status: String,
    opened_ms: i64,
    cases: i64,
}

#[derive(Deserialize)]
struct DeflectionRow {
    solved: i64,
    not_solved: i64,
}

#[derive(Deserialize)]
struct CsatRow {
    rating: i64,
    count: i64,
}

fn rows<T: DeserializeOwned>(results: &[D1Result], at: usize) -> ApiResult<Vec<T>> {
    match results.get(at) {
        Some(result) => Ok(result.results::<T>()?),
        None => Ok(Vec::new()),
    }
}

const MINUTE_MS: f64 = 60_000.0;

/// The report for `day`, generated at `now`, and how long D1 spent on it
/// (milliseconds of SQL, as D1 reports it), for the `Server-Timing` header.
pub async fn daily(db: &D1Database, day: &DayWindow, now: i64) -> ApiResult<(DailyReport, f64)> {
    let (from, to) = (int(day.start_ms), int(day.end_ms));
    let window = || [from.clone(), to.clone()];
    let limited = |limit: i64| [from.clone(), to.clone(), int(limit)];
    let statements = vec![
        db.prepare(TOTALS).bind(&window())?,
        db.prepare(TIMES).bind(&window())?,
        db.prepare(BREAKDOWNS).bind(&window())?,
        db.prepare(SLA).bind(&window())?,
        db.prepare(BREACHES).bind(&limited(BREACHES_MAX))?,
        db.prepare(KEY_TICKETS)
            .bind(&limited(KEY_TICKET_ROWS_MAX))?,
        db.prepare(INCIDENTS).bind(&window())?,
        db.prepare(DEFLECTIONS).bind(&window())?,
        db.prepare(GAPS).bind(&limited(GAPS_MAX))?,
        db.prepare(CSAT).bind(&window())?,
    ];
    let results = db.batch(statements).await?;
    let sql_ms: f64 = results
        .iter()
        .filter_map(|r| r.meta().ok().flatten().and_then(|m| m.duration))
        .sum();

    let totals = rows::<TotalsRow>(&results, 0)?
        .into_iter()
        .next()
        .map(|t| ReportTotals {
            received: t.received,
            resolved: t.resolved,
            backlog: t.backlog,
            escalated: t.escalated,
            reopened: t.reopened,
            breaches: t.breaches,
        })
        .unwrap_or_default();
    let minutes = |ms: Option<f64>| ms.map(|v| (v / MINUTE_MS * 10.0).round() / 10.0);
    let response_times = rows::<TimesRow>(&results, 1)?
        .into_iter()
        .next()
        .map(|t| ResponseTimes {
            first_response_p50_minutes: minutes(t.fr50),
            first_response_p90_minutes: minutes(t.fr90),
            resolution_p50_minutes: minutes(t.rs50),
            resolution_p90_minutes: minutes(t.rs90),
        })
        .unwrap_or_default();

    let breakdowns = rows::<BreakdownRow>(&results, 2)?;
    let dimension = |dim: &str| -> Vec<Tally> {
        breakdowns
            .iter()
            .filter(|r| r.dim == dim)
            .map(|r| Tally {
                key: r.key.clone(),
                count: r.count,
            })
            .collect()
    };
    let per_hour = hourly(
        day.hours(),
        &breakdowns
            .iter()
            .filter(|r| r.dim == "hour")
            .filter_map(|r| Some((r.key.parse().ok()?, r.count)))
            .collect::<Vec<_>>(),
    );
    let mut by_priority = dimension("priority");
    by_priority.sort_by(|a, b| a.key.cmp(&b.key));

    let sla = rows::<SlaRow>(&results, 3)?
        .into_iter()
        .map(|r| SlaCompliance {
            compliance: share(r.cases - r.any_breached, r.cases),
            priority: r.priority,
            cases: r.cases,
            first_response_breached: r.first_response_breached,
            resolution_breached: r.resolution_breached,
        })
        .collect();
    let breaches = rows::<BreachRow>(&results, 4)?
        .into_iter()
        .map(|r| BreachLine {
            case_ref: human_ref(r.case_id),
            case_id: r.case_id,
            priority: r.priority,
            title: r.title,
            what: r.body.unwrap_or_default(),
            at: iso(r.at_ms),
        })
        .collect();
    let key_tickets = key_tickets(
        rows::<KeyTicketRow>(&results, 5)?
            .into_iter()
            .map(|r| {
                (
                    KeyTicket {
                        case_ref: human_ref(r.id),
                        case_id: r.id,
                        priority: r.priority,
                        status: r.status,
                        platform: r.platform,
                        title: r.title,
                        reasons: vec![],
                        created_at: iso(r.created_ms),
                    },
                    r.reason,
                )
            })
            .collect(),
    );
    let incidents = rows::<IncidentRow>(&results, 6)?
        .into_iter()
        .map(|r| IncidentLine {
            id: r.id,
            title: r.title,
            platform: r.platform,
            status: r.status,
            cases: r.cases,
            opened_at: iso(r.opened_ms),
        })
        .collect();
    let deflections = rows::<DeflectionRow>(&results, 7)?
        .into_iter()
        .next()
        .unwrap_or(DeflectionRow {
            solved: 0,
            not_solved: 0,
        });
    let self_serve = SelfServe {
        solved: deflections.solved,
        not_solved: deflections.not_solved,
        deflection_rate: share(deflections.solved, deflections.solved + totals.received),
        top_gaps: rows::<Tally>(&results, 8)?,
    };
    let mut csat = Csat::default();
    for r in rows::<CsatRow>(&results, 9)? {
        if let Some(slot) = usize::try_from(r.rating - 1)
            .ok()
            .and_then(|i| csat.distribution.get_mut(i))
        {
            *slot += r.count;
            csat.ratings += r.count;
        }
    }
    let weighted: i64 = (1..=5).zip(csat.distribution).map(|(r, n)| r * n).sum();
    csat.average = share(weighted, csat.ratings).map(|a| (a * 10.0).round() / 10.0);

    let report = DailyReport {
        date: day.date_text(),
        time_zone: day.zone_name().into(),
        from: iso(day.start_ms),
        to: iso(day.end_ms),
        generated_at: iso(now),
        totals,
        response_times,
        per_hour,
        by_platform: top(dimension("platform"), BREAKDOWN_MAX),
        by_category: top(dimension("category"), BREAKDOWN_MAX),
        by_priority,
        sla,
        breaches,
        key_tickets,
        incidents,
        self_serve,
        csat,
    };
    Ok((report, sql_ms))
}
