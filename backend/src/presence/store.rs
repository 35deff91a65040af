//! Storage of presence beats in D1.

use helpline_shared::api::SpecialistSummary;
use helpline_shared::clock::EpochMillis;
use helpline_shared::presence::{stale_before, Beat};
use serde::Deserialize;
use worker::D1Database;

use crate::d1::{changes, int, text};
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct Row {
    specialist_id: i64,
    name: String,
    typing: i64,
    seen_ms: i64,
}

/// Records `me`'s beat on case `case_id` at `now` and answers every beat on
/// it, in one round trip; beats that no longer count, on any case, go first.
/// `NotFound` when there is no such case.
pub async fn beat(
    db: &D1Database,
    case_id: i64,
    me: &SpecialistSummary,
    typing: bool,
    now: EpochMillis,
) -> ApiResult<Vec<Beat>> {
    let forget = db
        .prepare("DELETE FROM case_presence WHERE seen_ms < ?1")
        .bind(&[int(stale_before(now))])?;
    let record = db
        .prepare(
            "INSERT INTO case_presence (case_id, specialist_id, name, typing, seen_ms)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?1)
             ON CONFLICT (case_id, specialist_id)
             DO UPDATE SET name = excluded.name, typing = excluded.typing,
                           seen_ms = excluded.seen_ms",
        )
        .bind(&[
            int(case_id),
            int(me.id),
            text(&me.name),
            int(i64::from(typing)),
            int(now),
        ])?;
    let read = db
        .prepare(
            "SELECT specialist_id, name, typing, seen_ms FROM case_presence WHERE case_id = ?1",
        )
        .bind(&[int(case_id)])?;
    let results = db.batch(vec![forget, record, read]).await?;
    let (Some(recorded), Some(rows)) = (results.get(1), results.get(2)) else {
        return Err(ApiError::Internal(
            "the presence batch answered short".into(),
        ));
    };
    if changes(recorded) != 1 {
        return Err(ApiError::NotFound);
    }
    Ok(rows
        .results::<Row>()?
        .into_iter()
        .map(|r| Beat {
            specialist_id: r.specialist_id,
            name: r.name,
            typing: r.typing != 0,
            at: r.seen_ms,
        })
        .collect())
}
