//! Intake rate limits kept in D1, so they hold across every Worker instance.

use helpline_shared::clock::EpochMillis;
use helpline_shared::rate_limit::{retry_after_seconds, window_start};
use serde::Deserialize;
use worker::D1Database;

use crate::error::{ApiError, ApiResult};
use crate::http::{int, text};

const COUNT: &str = "INSERT INTO rate_limits (bucket, window_ms, count) VALUES (?1, ?2, 1)
    ON CONFLICT (bucket) DO UPDATE SET
        count = CASE WHEN window_ms = excluded.window_ms THEN count + 1 ELSE 1 END,
        window_ms = excluded.window_ms
    RETURNING count";

#[derive(Deserialize)]
struct Count {
    count: u32,
}

/// Counts one more request in `bucket`; over `limit` this minute is a 429.
pub async fn hit(db: &D1Database, bucket: &str, limit: u32, now: EpochMillis) -> ApiResult<()> {
    let count = db
        .prepare(COUNT)
        .bind(&[text(bucket), int(window_start(now))])?
        .first::<Count>(None)
        .await?
        .map_or(0, |c| c.count);
    if count > limit {
        Err(ApiError::RateLimited {
            retry_after: retry_after_seconds(now),
        })
    } else {
        Ok(())
    }
}
