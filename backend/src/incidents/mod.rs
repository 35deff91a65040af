//! Incidents: malfunctions the intake detected (a burst of look-alike cases,
//! rules in `helpline_shared::malfunction`; the detection itself runs inside
//! the intake's batch, `cases::store::intake`). Specialists list them, see
//! their cases, answer all those cases at once and resolve them.

pub mod api;
mod store;

use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::malfunction::incident_title;
use helpline_shared::notify::{Notification, NotificationKind};

use crate::config::Config;

/// The channel message for an incident that just opened.
pub fn opened(config: &Config, id: i64, signature: &str, now: EpochMillis) -> Notification {
    let rule = config.malfunction;
    let mut notification = Notification::general(
        NotificationKind::Incident,
        format!(
            "#{id} {}: {} or more similar cases within {} min (GET /v1/incidents/{id})",
            incident_title(signature),
            rule.threshold(),
            rule.window_minutes.max(1)
        ),
        config.escalation.lead_handles(now),
        iso(now),
    );
    notification.incident_id = Some(id);
    notification
}

/// The channel message for an open incident that more cases joined since it
/// was last told.
pub fn grown(id: i64, title: &str, cases: i64, now: EpochMillis) -> Notification {
    let mut notification = Notification::general(
        NotificationKind::Incident,
        format!("#{id} {title}: {cases} similar cases so far (GET /v1/incidents/{id})"),
        vec![],
        iso(now),
    );
    notification.incident_id = Some(id);
    notification
}

/// How often the channel hears an open incident's count, at most.
pub const GROWTH_EVERY_MS: EpochMillis = 10 * 60_000;

/// Tells the channel the count of every open incident that grew since it was
/// last told (at most every [`GROWTH_EVERY_MS`]); run by the cron tick.
pub async fn tell_growth(env: &worker::Env, now: EpochMillis) -> crate::error::ApiResult<()> {
    let grown = store::told_growth(&env.d1("DB")?, GROWTH_EVERY_MS, now).await?;
    let notifications = grown
        .into_iter()
        .map(|g| self::grown(g.id, &g.title, g.told_cases, now))
        .collect();
    crate::notify::enqueue(env, notifications).await;
    Ok(())
}
