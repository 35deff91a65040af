//! The cron's purge of bookkeeping past its window (`helpline_shared::
//! retention`): one batch, a bounded DELETE per table.

use helpline_shared::clock::EpochMillis;
use helpline_shared::retention::{purge_before, PURGED_PER_TICK_MAX, RETENTION};
use worker::Env;

use crate::error::ApiResult;
use crate::http::int;

/// Purges every table's rows past its window: how many went.
pub async fn purge(env: &Env, now: EpochMillis) -> ApiResult<usize> {
    let db = env.d1("DB")?;
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
    Ok(results
        .iter()
        .filter_map(|r| r.meta().ok().flatten().and_then(|m| m.changes))
        .sum())
}
