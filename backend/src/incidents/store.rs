//! Reading and resolving incidents in D1.

use helpline_shared::api::{IncidentReplied, IncidentView};
use helpline_shared::clock::{iso, EpochMillis};
use serde::Deserialize;
use worker::D1Database;

use crate::d1::{int, optional, text, with_names, Rows, SELECT_CASE};
use crate::error::ApiResult;
use helpline_shared::record::CaseRecord;

#[derive(Deserialize)]
struct IncidentRow {
    id: i64,
    title: String,
    platform: String,
    signature: String,
    status: String,
    cases: i64,
    opened_ms: i64,
    resolved_ms: Option<i64>,
    resolved_by: Option<String>,
    resolution: Option<String>,
}

impl From<IncidentRow> for IncidentView {
    fn from(row: IncidentRow) -> Self {
        IncidentView {
            id: row.id,
            title: row.title,
            platform: row.platform,
            signature: row.signature,
            status: row.status,
            cases: row.cases,
            opened_at: iso(row.opened_ms),
            resolved_at: row.resolved_ms.map(iso),
            resolved_by: row.resolved_by,
            resolution: row.resolution,
        }
    }
}

const SELECT: &str = "SELECT i.*,
    (SELECT COUNT(*) FROM incident_cases ic WHERE ic.incident_id = i.id) AS cases
    FROM incidents i";

/// Newest first; `status` filters to `open` or `resolved`.
pub async fn list(db: &D1Database, status: Option<&str>) -> ApiResult<Vec<IncidentView>> {
    let rows = db
        .prepare(format!(
            "{SELECT} WHERE ?1 IS NULL OR i.status = ?1 ORDER BY i.id DESC LIMIT 100"
        ))
        .bind(&[optional(status)])?
        .rows::<IncidentRow>()
        .await?;
    Ok(rows.into_iter().map(IncidentView::from).collect())
}

pub async fn load(db: &D1Database, id: i64) -> ApiResult<Option<IncidentView>> {
    Ok(db
        .prepare(format!("{SELECT} WHERE i.id = ?1"))
        .bind(&[int(id)])?
        .first::<IncidentRow>(None)
        .await?
        .map(IncidentView::from))
}

/// The incident's cases, oldest first (at most `limit`).
pub async fn cases(db: &D1Database, id: i64, limit: i64) -> ApiResult<Vec<CaseRecord>> {
    db.prepare(format!(
        "{SELECT_CASE} JOIN incident_cases ic ON ic.case_id = c.id
             WHERE ic.incident_id = ?1 ORDER BY c.id LIMIT ?2"
    ))
    .bind(&[int(id), int(limit)])?
    .rows::<CaseRecord>()
    .await
}

/// Resolves an open incident; `false` if it was not open.
pub async fn resolve(
    db: &D1Database,
    id: i64,
    by: &str,
    resolution: Option<&str>,
    now: EpochMillis,
) -> ApiResult<bool> {
    let result = db
        .prepare(with_names(
            "UPDATE incidents SET status = {incident_resolved}, resolved_ms = ?1,
                resolved_by = ?2, resolution = ?3
             WHERE id = ?4 AND status = {incident_open}",
        ))
        .bind(&[int(now), text(by), optional(resolution), int(id)])?
        .run()
        .await?;
    Ok(crate::d1::changes(&result) == 1)
}

/// An incident whose count the channel is to hear.
#[derive(Deserialize)]
pub struct Grown {
    pub id: i64,
    pub title: String,
    pub told_cases: i64,
}

/// Marks as told every open incident that more cases joined since it was
/// last told, if that was at least `every_ms` ago (or never), and answers
/// them with their counts now. One statement: two ticks at once tell it once.
pub async fn told_growth(
    db: &D1Database,
    every_ms: EpochMillis,
    now: EpochMillis,
) -> ApiResult<Vec<Grown>> {
    db
        .prepare(with_names(
            "UPDATE incidents SET
                told_cases = (SELECT COUNT(*) FROM incident_cases ic WHERE ic.incident_id = incidents.id),
                told_ms = ?1
             WHERE status = {incident_open} AND COALESCE(told_ms, opened_ms) <= ?1 - ?2
               AND (SELECT COUNT(*) FROM incident_cases ic WHERE ic.incident_id = incidents.id)
                   > told_cases
             RETURNING id, title, told_cases",
        ))
        .bind(&[int(now), int(every_ms)])?
        .rows::<Grown>().await
}

/// The answer a complete reply under `key` gave, if there was one.
pub async fn reply_answer(
    db: &D1Database,
    id: i64,
    key: &str,
) -> ApiResult<Option<IncidentReplied>> {
    #[derive(Deserialize)]
    struct Row {
        replied: i64,
        skipped: i64,
    }
    Ok(db
        .prepare("SELECT replied, skipped FROM incident_replies WHERE incident_id = ?1 AND reply_key = ?2")
        .bind(&[int(id), text(key)])?
        .first::<Row>(None)
        .await?
        .map(|r| IncidentReplied {
            replied: r.replied.max(0) as usize,
            skipped: r.skipped.max(0) as usize,
        }))
}

/// Keeps a complete reply's answer under its key (the first one stands).
pub async fn keep_reply_answer(
    db: &D1Database,
    id: i64,
    key: &str,
    answer: &IncidentReplied,
    now: EpochMillis,
) -> ApiResult<()> {
    db.prepare(
        "INSERT OR IGNORE INTO incident_replies (incident_id, reply_key, replied, skipped, at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&[
        int(id),
        text(key),
        int(answer.replied as i64),
        int(answer.skipped as i64),
        int(now),
    ])?
    .run()
    .await?;
    Ok(())
}
