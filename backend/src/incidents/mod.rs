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
