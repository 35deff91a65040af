//! Incidents: malfunctions the intake detected (a burst of look-alike cases,
//! rules in `helpline_shared::malfunction`; the detection itself runs inside
//! the intake's batch, `cases::store::intake`). Specialists list them, see
//! their cases, answer all those cases at once and resolve them.

pub mod api;
mod store;

use helpline_shared::clock::EpochMillis;
use helpline_shared::incident::{self as notice, GROWTH_EVERY_MS};

/// Tells the channel the count of every open incident that grew since it was
/// last told (at most every [`GROWTH_EVERY_MS`]); run by the cron tick.
pub async fn tell_growth(env: &worker::Env, now: EpochMillis) -> crate::error::ApiResult<()> {
    let grown = store::told_growth(&env.d1("DB")?, GROWTH_EVERY_MS, now).await?;
    let notifications = grown
        .into_iter()
        .map(|g| notice::grown(g.id, &g.title, g.told_cases, now))
        .collect();
    crate::notify::enqueue(env, notifications).await;
    Ok(())
}
