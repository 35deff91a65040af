//! The notifications not yet handed to the Queue (`pending_notifications`):
//! writes add to it in their own batch or just after, and a drain hands them
//! on at the channel's pace, folding what is past it into one digest. A row
//! leaves only once the Queue took its message (or a digest that counts it),
//! so a crash at any point loses nothing; a claim that outlived its drain is
//! simply claimed again (at worst a message goes twice, never not at all).

use helpline_shared::clock::EpochMillis;
use helpline_shared::rate_limit::window_start;
use serde::Deserialize;
use worker::D1Database;

use crate::d1::SELECT_CASE;
use crate::d1::{int, text, Rows};
use crate::error::ApiResult;
use helpline_shared::record::CaseRecord;

/// How many rows one drain reads; more waiting are counted, not read.
pub const CLAIM_MAX: i64 = 200;
/// How long a drain holds what it claimed before another may take it.
const CLAIM_MS: i64 = 60_000;
/// The rate-limit bucket counting the channel's messages this minute.
const CHANNEL_BUCKET: &str = "channel";

#[derive(Debug, Clone, Deserialize)]
pub struct PendingRow {
    pub id: i64,
    pub body: Option<String>,
    pub case_id: Option<i64>,
    pub alert: Option<i64>,
    pub escalated: i64,
    pub created_ms: i64,
}

const FREE: &str = "(claimed_until IS NULL OR claimed_until < ?1)";

/// Ids as one JSON parameter, read in SQL with `json_each`: one bound value
/// however many ids.
fn ids_param(ids: &[i64]) -> ApiResult<worker::wasm_bindgen::JsValue> {
    let ids = crate::d1::json_text(ids)?;
    Ok(text(&ids))
}

/// Adds composed notifications (JSON bodies).
pub async fn add(db: &D1Database, bodies: &[String], now: EpochMillis) -> ApiResult<()> {
    let mut batch = Vec::new();
    for body in bodies {
        batch.push(
            db.prepare("INSERT INTO pending_notifications (body, created_ms) VALUES (?1, ?2)")
                .bind(&[text(body), int(now)])?,
        );
    }
    if !batch.is_empty() {
        db.batch(batch).await?;
    }
    Ok(())
}

/// Claims the oldest free rows for this drain, oldest first.
pub async fn claim(db: &D1Database, now: EpochMillis) -> ApiResult<Vec<PendingRow>> {
    let mut rows = db
        .prepare(format!(
            "UPDATE pending_notifications SET claimed_until = ?2
             WHERE id IN (SELECT id FROM pending_notifications WHERE {FREE}
                          ORDER BY id LIMIT ?3)
             RETURNING id, body, case_id, alert, escalated, created_ms"
        ))
        .bind(&[int(now), int(now + CLAIM_MS), int(CLAIM_MAX)])?
        .rows::<PendingRow>()
        .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// How many free rows wait besides the claimed ones.
pub async fn count_free(db: &D1Database, now: EpochMillis) -> ApiResult<usize> {
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let count = db
        .prepare(format!(
            "SELECT COUNT(*) AS n FROM pending_notifications WHERE {FREE}"
        ))
        .bind(&[int(now)])?
        .first::<Count>(None)
        .await?;
    Ok(count.map_or(0, |c| c.n.max(0) as usize))
}

/// Claims every free row, for a digest that counts them: their ids.
pub async fn claim_all_free(db: &D1Database, now: EpochMillis) -> ApiResult<Vec<i64>> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    Ok(db
        .prepare(format!(
            "UPDATE pending_notifications SET claimed_until = ?2 WHERE {FREE} RETURNING id"
        ))
        .bind(&[int(now), int(now + CLAIM_MS)])?
        .rows::<Id>()
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Removes rows whose messages the Queue took.
pub async fn remove(db: &D1Database, ids: &[i64]) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    db.prepare("DELETE FROM pending_notifications WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(&[ids_param(ids)?])?
        .run()
        .await?;
    Ok(())
}

/// Frees rows this drain could not send, for the next one.
pub async fn release(db: &D1Database, ids: &[i64]) -> ApiResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    db.prepare(
        "UPDATE pending_notifications SET claimed_until = NULL
         WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(&[ids_param(ids)?])?
    .run()
    .await?;
    Ok(())
}

/// The cases alert rows are about. A row that does not decode (a stored
/// name this version does not know) is left out, logged, rather than holding
/// up every other notification of the drain.
pub async fn cases(db: &D1Database, ids: &[i64]) -> ApiResult<Vec<CaseRecord>> {
    let result = db
        .prepare(format!(
            "{SELECT_CASE} WHERE c.id IN (SELECT value FROM json_each(?1))"
        ))
        .bind(&[ids_param(ids)?])?
        .all()
        .await?;
    match result.results::<CaseRecord>() {
        Ok(cases) => Ok(cases),
        Err(err) => {
            worker::console_error!("notifications: a case row does not decode: {err}");
            Ok(result
                .results::<serde_json::Value>()?
                .into_iter()
                .filter_map(|row| serde_json::from_value::<CaseRecord>(row).ok())
                .collect())
        }
    }
}

/// Reserves up to `wanted` of the channel's `per_minute` messages this
/// minute and answers how many it got (give back what goes unsent with
/// [`unreserve`]). One statement, so concurrent drains never share out more
/// than the minute holds.
pub async fn reserve(
    db: &D1Database,
    wanted: u32,
    per_minute: u32,
    now: EpochMillis,
) -> ApiResult<u32> {
    #[derive(Deserialize)]
    struct Count {
        count: i64,
    }
    let after = db
        .prepare(
            "INSERT INTO rate_limits (bucket, window_ms, count) VALUES (?1, ?2, ?3)
             ON CONFLICT (bucket) DO UPDATE SET
                count = CASE WHEN window_ms = excluded.window_ms
                             THEN count + excluded.count ELSE excluded.count END,
                window_ms = excluded.window_ms
             RETURNING count",
        )
        .bind(&[
            text(CHANNEL_BUCKET),
            int(window_start(now)),
            int(wanted.into()),
        ])?
        .first::<Count>(None)
        .await?
        .map_or(i64::from(wanted), |c| c.count);
    let before = after - i64::from(wanted);
    let granted = (i64::from(per_minute) - before).clamp(0, i64::from(wanted));
    let granted = granted as u32;
    unreserve(db, wanted - granted, now).await?;
    Ok(granted)
}

/// Gives back reserved messages a drain did not send.
pub async fn unreserve(db: &D1Database, unused: u32, now: EpochMillis) -> ApiResult<()> {
    if unused == 0 {
        return Ok(());
    }
    db.prepare(
        "UPDATE rate_limits SET count = max(count - ?2, 0) WHERE bucket = ?1 AND window_ms = ?3",
    )
    .bind(&[
        text(CHANNEL_BUCKET),
        int(unused.into()),
        int(window_start(now)),
    ])?
    .run()
    .await?;
    Ok(())
}

/// A notification the webhook never took (or that never decoded), as kept.
#[derive(Debug, Clone, Deserialize)]
pub struct DeadRow {
    pub message_id: String,
    pub body: String,
    pub failed_ms: i64,
}

/// Keeps a dead letter, once per queue message id.
pub async fn bury(
    db: &D1Database,
    message_id: &str,
    body: &str,
    now: EpochMillis,
) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO dead_notifications (message_id, body, failed_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(&[text(message_id), text(body), int(now)])?
    .run()
    .await?;
    Ok(())
}

/// The newest dead letters, at most 200.
pub async fn dead_letters(db: &D1Database) -> ApiResult<Vec<DeadRow>> {
    db.prepare(
        "SELECT message_id, body, failed_ms FROM dead_notifications ORDER BY id DESC LIMIT 200",
    )
    .rows::<DeadRow>()
    .await
}
