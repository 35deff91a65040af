//! The cron's purge of bookkeeping past its window; how long each table keeps
//! its rows is decided in `helpline_shared::retention`.

mod store;

use helpline_shared::clock::EpochMillis;
use worker::Env;

use crate::error::ApiResult;

/// Purges every table's rows past its window: how many went.
pub async fn purge(env: &Env, now: EpochMillis) -> ApiResult<usize> {
    store::purge(&env.d1("DB")?, now).await
}
