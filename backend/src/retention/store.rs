//! The purge's SQL: one batch, a bounded DELETE per table.

use helpline_shared::clock::EpochMillis;
use helpline_shared::retention::{purge_before, PURGED_PER_TICK_MAX, RETENTION};
use worker::D1Database;

use crate::d1::int;
use crate::error::ApiResult;

/// Purges every table's rows past its window: how many went.
pub async fn purge(db: &D1Database, now: EpochMillis) -> ApiResult<usize> {
    let mut batch = Vec::new();
    for r in RETENTION {
        // Table and column names are constants of the core, never input.
        batch.push(
            db.prepare(format!(
                "DELETE FROM {table} WHERE rowid IN
                    (SELECT rowid FROM {table} WHERE {column} < ?1 LIMIT ?2)",
                table = r.table,
                column = r.time_column
            ))
            .bind(&[int(purge_before(&r, now)), int(PURGED_PER_TICK_MAX)])?,
        );
    }
    let results = db.batch(batch).await?;
    Ok(results.iter().map(crate::d1::changes).sum())
}
