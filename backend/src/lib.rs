//! The Helpline Worker: a shell around `helpline-shared`, which decides. Each
//! resource has its folder with `api.rs` (decode, call the core, store,
//! answer) and `store.rs` (its SQL; `d1` holds what they share); `routes`
//! dispatches the operations of `helpline_shared::routes` with a `Ctx`, and
//! `error` is the one place a failure becomes an answer. See ARCHITECTURE.md.

mod cases;
mod config;
mod cors;
mod ctx;
mod d1;
mod error;
mod health;
mod http;
mod incidents;
mod links;
mod notify;
mod presence;
mod queue;
mod random;
mod reporters;
mod reports;
mod retention;
mod routes;
mod sla;
mod sop;
mod specialists;

use helpline_shared::notify::Notification;
use worker::{
    event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let cors = cors::CorsPolicy::from_env(&env, &req);
    if let Some(preflight) = cors.preflight(&req)? {
        return Ok(preflight);
    }
    let response = match routes::handle(req, &env).await {
        Ok(response) => response,
        Err(err) => err.into_response()?,
    };
    cors.apply(response)
}

/// The cron trigger, every minute: the SLA sweep (with its escalations and
/// pages), incident counts, the notification drain, yesterday's daily report
/// once the configured hour is reached, and the retention purge.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let now = event.schedule() as i64;
    match sla::sweep(&env, now).await {
        Ok(report) => worker::console_log!(
            "SLA sweep: {} warnings, {} breaches recorded",
            report.warnings,
            report.breaches
        ),
        Err(err) => worker::console_error!("SLA sweep failed: {err}"),
    }
    if let Err(err) = incidents::tell_growth(&env, now).await {
        worker::console_error!("incident counts failed: {err}");
    }
    // Whatever an earlier write or tick left owed (the sweep drains what it
    // raised; this catches the rest, e.g. after a failed send).
    notify::drain(&env, now).await;
    if let Err(err) = reports::write_due(&env, now).await {
        worker::console_error!("daily report failed: {err}");
    }
    match retention::purge(&env, now).await {
        Ok(0) => {}
        Ok(purged) => worker::console_log!("retention: purged {purged} rows"),
        Err(err) => worker::console_error!("retention purge failed: {err}"),
    }
}

/// The notification queue and its dead-letter queue.
#[event(queue)]
async fn consume(batch: MessageBatch<Notification>, env: Env, _ctx: Context) -> Result<()> {
    notify::deliver(batch, &env, http::now()).await;
    Ok(())
}
