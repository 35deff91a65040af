//! One sweep over the open cases whose deadlines are near or past.

use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::escalation::EscalationRoute;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::notify::{Notification, NotificationKind};
use helpline_shared::sla_watch::{alerts_due, look_ahead_ms, SlaAlert};
use worker::{D1Database, D1PreparedStatement, Env};

use crate::cases::store::CaseRow;
use crate::config::Config;
use crate::error::ApiResult;
use crate::http::{int, text};
use crate::{notify, random};

use helpline_shared::api::SweepReport;

// Open cases with a running clock and a deadline within the look-ahead, plus
// paused ones (a miss before the pause is still a miss), not yet fully alerted.
const CANDIDATES: &str = "SELECT c.*, NULL AS assignee_name, NULL AS assignee_role FROM cases c
    WHERE c.status IN ('queued', 'in_progress', 'waiting_on_user', 'escalated')
      AND c.sla_alerts < 15
      AND (c.queue_rank <= ?1 OR c.sla_paused_since_ms IS NOT NULL)
    ORDER BY c.queue_rank LIMIT 500";

// Sets the alert's bit only if it is not set yet; the event below lands only
// if this write did, so two sweeps at once still record it once.
const RAISE: &str = "UPDATE cases SET sla_alerts = sla_alerts | ?1, last_op = ?2
    WHERE id = ?3 AND (sla_alerts & ?1) = 0";

const EVENT: &str = "INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, ?1, 0, 'system', ?2, ?3 FROM cases WHERE id = ?4 AND last_op = ?5";

// A breach that the policy escalates: the case goes to the leads, unless it
// is already escalated at least that far (a person's escalation stands).
const ESCALATE: &str = "UPDATE cases SET escalation_team = ?1, escalation_level = ?2,
        escalation_reason = ?3
    WHERE id = ?4 AND last_op = ?5 AND escalation_level IS NULL";

pub async fn sweep(env: &Env, now: EpochMillis) -> ApiResult<SweepReport> {
    let config = Config::from_env(env);
    let db = env.d1("DB")?;
    let horizon = now + look_ahead_ms(&config.sla_policy, config.sla_warn_at);
    let rows = db
        .prepare(CANDIDATES)
        .bind(&[int(horizon)])?
        .all()
        .await?
        .results::<CaseRow>()?;
    let mut report = SweepReport::default();
    let mut notifications = Vec::new();
    for row in rows {
        let flags = row.sla_alerts;
        let status = row.status()?;
        let priority = row.priority()?;
        let target = config.sla_policy.target(priority);
        for alert in alerts_due(&row.sla(), target, status, flags, now, config.sla_warn_at) {
            let escalation = alert
                .is_breach()
                .then(|| {
                    let escalated = row.escalation_level.is_some();
                    config.escalation.on_breach(priority, escalated, now)
                })
                .flatten();
            if record(&db, &row, alert, status, escalation.as_ref(), now).await? {
                if alert.is_breach() {
                    report.breaches += 1;
                } else {
                    report.warnings += 1;
                }
                let unclaimed_page =
                    status == CaseStatus::Queued && config.escalation.pages_unclaimed(priority);
                let (kind, mentions) = match (&escalation, alert.is_breach()) {
                    (Some(route), _) => (NotificationKind::SlaBreached, route.notify.clone()),
                    (None, _) if unclaimed_page => {
                        (NotificationKind::Page, config.escalation.lead_handles(now))
                    }
                    (None, true) => (NotificationKind::SlaBreached, vec![]),
                    (None, false) => (NotificationKind::SlaWarning, vec![]),
                };
                let detail = match &escalation {
                    Some(route) => format!(
                        "{}; escalated to {} ({})",
                        alert.describe(),
                        route.team_name,
                        route.holder
                    ),
                    None => alert.describe().to_string(),
                };
                notifications.push(Notification::about_case(
                    kind,
                    row.line(),
                    &detail,
                    mentions,
                    iso(now),
                ));
            }
        }
    }
    notify::enqueue(env, notifications).await;
    Ok(report)
}

/// Records `alert` on the case unless it already was, with the escalation the
/// policy makes of it; `true` if this call did.
async fn record(
    db: &D1Database,
    row: &CaseRow,
    alert: SlaAlert,
    status: CaseStatus,
    escalation: Option<&EscalationRoute>,
    now: EpochMillis,
) -> ApiResult<bool> {
    let op = random::op_id()?;
    let kind = if alert.is_breach() {
        CaseEventKind::SlaBreached
    } else {
        CaseEventKind::SlaWarning
    };
    let body = format!(
        "{} ({}, {}, swept at {})",
        alert.describe(),
        row.priority,
        status.as_str(),
        iso(now)
    );
    let raise = db
        .prepare(RAISE)
        .bind(&[int(alert.bit()), text(&op), int(row.id)])?;
    let event = |kind: CaseEventKind, body: &str| -> ApiResult<D1PreparedStatement> {
        Ok(db.prepare(EVENT).bind(&[
            text(kind.as_str()),
            text(body),
            int(now),
            int(row.id),
            text(&op),
        ])?)
    };
    let mut statements = vec![raise, event(kind, &body)?];
    if let Some(route) = escalation {
        let reason = format!("{} (SLA sweep)", alert.describe());
        statements.push(db.prepare(ESCALATE).bind(&[
            text(&route.team),
            int(route.level.into()),
            text(&reason),
            int(row.id),
            text(&op),
        ])?);
        statements.push(event(
            CaseEventKind::Escalated,
            &format!("{} (level {}): {reason}", route.team, route.level),
        )?);
    }
    let results = db.batch(statements).await?;
    let changed = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    Ok(changed == 1)
}
