//! Reading the queue from D1.

use helpline_shared::api::QueueEntry;
use helpline_shared::case::human_ref;
use serde::Deserialize;
use worker::D1Database;

use crate::error::ApiResult;

/// How many cases one queue page holds.
const PAGE: u32 = 100;

const OPEN_CASES: &str =
    "SELECT id, title, description, platform, status, reporter_id, reporter_name, created_at
    FROM cases WHERE status = 'queued' ORDER BY created_at, id LIMIT ?1";

#[derive(Deserialize)]
struct Row {
    id: i64,
    title: String,
    description: String,
    platform: String,
    status: String,
    reporter_id: String,
    reporter_name: Option<String>,
    created_at: String,
}

pub async fn open_cases(db: &D1Database) -> ApiResult<Vec<QueueEntry>> {
    let rows = db
        .prepare(OPEN_CASES)
        .bind(&[PAGE.into()])?
        .all()
        .await?
        .results::<Row>()?;
    Ok(rows
        .into_iter()
        .map(|r| QueueEntry {
            id: r.id,
            reference: human_ref(r.id),
            title: r.title,
            description: r.description,
            platform: r.platform,
            status: r.status,
            reporter_id: r.reporter_id,
            reporter_name: r.reporter_name,
            created_at: r.created_at,
        })
        .collect())
}
