//! The daily report: `GET /v1/reports/daily` reads it for any day and zone in
//! JSON, Markdown or HTML; `POST /v1/reports/daily` (leads) writes it now and
//! sends it to the team channel; the cron does the same for yesterday once
//! the configured local hour is reached, once per day.

pub mod api;
mod store;

use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::notify::{Notification, NotificationKind};
use helpline_shared::report::{markdown, report_due, zone, DailyReport, DayWindow};
use worker::{D1Database, Env};

use crate::config::Config;
use crate::error::ApiResult;
use crate::notify;

/// Keeps the report (replacing an earlier one of the same day and zone only
/// when `replace`) together with the channel's summary of it, and drains.
async fn keep_and_send(
    env: &Env,
    db: &D1Database,
    report: &DailyReport,
    replace: bool,
    now: EpochMillis,
) -> ApiResult<bool> {
    let message = Notification::general(
        NotificationKind::DailyReport,
        markdown::channel_message(report),
        vec![],
        iso(now),
    );
    let written = store::keep(db, report, &message, replace, now).await?;
    if written {
        notify::drain(env, now).await;
    }
    Ok(written)
}

/// The cron's part: yesterday's report in the configured zone, once the
/// configured hour is reached, written and sent once.
pub async fn write_due(env: &Env, now: EpochMillis) -> ApiResult<()> {
    let config = Config::from_env(env);
    let Ok(zone) = zone(&config.report_time_zone) else {
        worker::console_error!(
            "REPORT_TIME_ZONE {} is not an IANA zone; no daily report",
            config.report_time_zone
        );
        return Ok(());
    };
    let Some(day) = report_due(now, zone, config.report_hour) else {
        return Ok(());
    };
    let db = env.d1("DB")?;
    if !store::kept(&db, &day).await? {
        let (report, _) = store::daily(&db, &day, now).await?;
        keep_and_send(env, &db, &report, false, now).await?;
    }
    Ok(())
}

/// The report for `day`, computed now, with the milliseconds D1 spent on it.
pub async fn daily(env: &Env, day: &DayWindow, now: EpochMillis) -> ApiResult<(DailyReport, f64)> {
    store::daily(&env.d1("DB")?, day, now).await
}

/// Writes and sends the report for `day` now, replacing a kept one.
pub async fn write_now(env: &Env, day: &DayWindow, now: EpochMillis) -> ApiResult<DailyReport> {
    let db = env.d1("DB")?;
    let (report, _) = store::daily(&db, day, now).await?;
    keep_and_send(env, &db, &report, true, now).await?;
    Ok(report)
}
