//! The daily report's figures, as SQL aggregates over one day in D1: one batch
//! of grouped counts, window-function percentiles and short lists, so a day of
//! 100,000 cases is summed by SQLite, never loaded into the Worker.

use helpline_shared::clock::EpochMillis;
use helpline_shared::notify::Notification;
use helpline_shared::report::figures::{assemble, DayFigures};
use helpline_shared::report::{DailyReport, DayWindow};
use serde::de::DeserializeOwned;
use worker::{D1Database, D1Result};

use crate::d1::{int, json_text, text, with_names};
use crate::error::ApiResult;

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
      WHERE kind = {escalated} AND at_ms >= ?1 AND at_ms < ?2) AS escalated,
    (SELECT COUNT(DISTINCT case_id) FROM case_events
      WHERE kind = {reopened} AND at_ms >= ?1 AND at_ms < ?2) AS reopened,
    (SELECT COUNT(*) FROM case_events
      WHERE kind = {sla_breached} AND at_ms >= ?1 AND at_ms < ?2) AS breaches";

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

const SLA: &str = "SELECT priority, COUNT(*) AS cases,
        SUM((sla_alerts & {first_response_breached}) != 0) AS first_response_breached,
        SUM((sla_alerts & {resolution_breached}) != 0) AS resolution_breached,
        SUM((sla_alerts & {any_breached}) != 0) AS any_breached
    FROM cases WHERE created_ms >= ?1 AND created_ms < ?2
    GROUP BY priority ORDER BY priority";

const BREACHES: &str = "SELECT e.case_id, e.body, e.at_ms, c.priority, c.title
    FROM case_events e JOIN cases c ON c.id = e.case_id
    WHERE e.kind = {sla_breached} AND e.at_ms >= ?1 AND e.at_ms < ?2
    ORDER BY e.at_ms, e.id LIMIT ?3";

const KEY_TICKETS: &str = "SELECT c.id, c.priority, c.status, c.platform, c.title,
        c.created_ms, k.reason
    FROM (
        SELECT id AS case_id, lower(priority) AS reason FROM cases
          WHERE created_ms >= ?1 AND created_ms < ?2 AND priority IN ({p1}, {p2})
        UNION SELECT case_id, 'breached' FROM case_events
          WHERE kind = {sla_breached} AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'escalated' FROM case_events
          WHERE kind = {escalated} AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'reopened' FROM case_events
          WHERE kind = {reopened} AND at_ms >= ?1 AND at_ms < ?2
        UNION SELECT case_id, 'oldest_open' FROM (
          SELECT id AS case_id FROM cases
          WHERE resolved_ms IS NULL AND created_ms < ?2
            AND status NOT IN ({resolved}, {closed})
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
    WHERE e.kind = {feedback} AND e.at_ms >= ?1 AND e.at_ms < ?2 AND c.rating IS NOT NULL
    GROUP BY c.rating";

fn rows<T: DeserializeOwned>(results: &[D1Result], at: usize) -> ApiResult<Vec<T>> {
    match results.get(at) {
        Some(result) => Ok(result.results::<T>()?),
        None => Ok(Vec::new()),
    }
}

/// The report for `day`, generated at `now`, and how long D1 spent on it
/// (milliseconds of SQL, as D1 reports it), for the `Server-Timing` header.
pub async fn daily(db: &D1Database, day: &DayWindow, now: i64) -> ApiResult<(DailyReport, f64)> {
    let (from, to) = (int(day.start_ms), int(day.end_ms));
    let window = || [from.clone(), to.clone()];
    let limited = |limit: i64| [from.clone(), to.clone(), int(limit)];
    let statements = vec![
        db.prepare(with_names(TOTALS)).bind(&window())?,
        db.prepare(TIMES).bind(&window())?,
        db.prepare(BREAKDOWNS).bind(&window())?,
        db.prepare(with_names(SLA)).bind(&window())?,
        db.prepare(with_names(BREACHES))
            .bind(&limited(BREACHES_MAX))?,
        db.prepare(with_names(KEY_TICKETS))
            .bind(&limited(KEY_TICKET_ROWS_MAX))?,
        db.prepare(INCIDENTS).bind(&window())?,
        db.prepare(DEFLECTIONS).bind(&window())?,
        db.prepare(GAPS).bind(&limited(GAPS_MAX))?,
        db.prepare(with_names(CSAT)).bind(&window())?,
    ];
    let results = db.batch(statements).await?;
    let sql_ms: f64 = results
        .iter()
        .filter_map(|r| r.meta().ok().flatten().and_then(|m| m.duration))
        .sum();
    let figures = DayFigures {
        totals: first(&results, 0)?,
        times: first(&results, 1)?,
        breakdowns: rows(&results, 2)?,
        sla: rows(&results, 3)?,
        breaches: rows(&results, 4)?,
        key_tickets: rows(&results, 5)?,
        incidents: rows(&results, 6)?,
        deflections: first(&results, 7)?,
        gaps: rows(&results, 8)?,
        csat: rows(&results, 9)?,
    };
    Ok((assemble(day, now, figures), sql_ms))
}

/// The one row of an aggregate (its default when D1 answered none).
fn first<T: DeserializeOwned + Default>(results: &[D1Result], at: usize) -> ApiResult<T> {
    Ok(rows::<T>(results, at)?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// Keeps `report` (replacing a kept one of its day and zone only when
/// `replace`) and, in the same batch, owes the channel `message` if it was
/// kept: a report is never marked written without its message. Whether it
/// was kept.
pub async fn keep(
    db: &D1Database,
    report: &DailyReport,
    message: &Notification,
    replace: bool,
    now: EpochMillis,
) -> ApiResult<bool> {
    let verb = if replace {
        "INSERT OR REPLACE"
    } else {
        "INSERT OR IGNORE"
    };
    let keep = db
        .prepare(format!(
            "{verb} INTO daily_reports (date, time_zone, report, created_ms) VALUES (?1, ?2, ?3, ?4)"
        ))
        .bind(&[
            text(&report.date),
            text(&report.time_zone),
            text(&json_text(report)?),
            int(now),
        ])?;
    // Owed only if the row kept is the one written now.
    let owe = db
        .prepare(
            "INSERT INTO pending_notifications (body, created_ms)
             SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM daily_reports
                 WHERE date = ?3 AND time_zone = ?4 AND created_ms = ?2)",
        )
        .bind(&[
            text(&json_text(message)?),
            int(now),
            text(&report.date),
            text(&report.time_zone),
        ])?;
    let results = db.batch(vec![keep, owe]).await?;
    Ok(results.first().map_or(0, crate::d1::changes) > 0)
}

/// Whether the report of `day` is kept already.
pub async fn kept(db: &D1Database, day: &DayWindow) -> ApiResult<bool> {
    Ok(db
        .prepare("SELECT 1 AS found FROM daily_reports WHERE date = ?1 AND time_zone = ?2")
        .bind(&[text(&day.date_text()), text(day.zone_name())])?
        .first::<serde_json::Value>(None)
        .await?
        .is_some())
}
