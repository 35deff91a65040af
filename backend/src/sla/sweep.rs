//! One sweep over the open cases whose deadlines are near or past.

use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::sla_watch::{alerts_due, look_ahead_ms, SlaAlert};
use worker::{D1Database, Env};

use crate::cases::store::CaseRow;
use crate::config::Config;
use crate::error::ApiResult;
use crate::http::{int, text};
use crate::random;

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
    for row in rows {
        let flags = row.sla_alerts;
        let status = row.status()?;
        let target = config.sla_policy.target(row.priority()?);
        for alert in alerts_due(&row.sla(), target, status, flags, now, config.sla_warn_at) {
            if record(&db, &row, alert, status, now).await? {
                if alert.is_breach() {
                    report.breaches += 1;
                } else {
                    report.warnings += 1;
                }
            }
        }
    }
    Ok(report)
}

/// Records `alert` on the case unless it already was; `true` if this call did.
async fn record(
    db: &D1Database,
    row: &CaseRow,
    alert: SlaAlert,
    status: CaseStatus,
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
    let event = db.prepare(EVENT).bind(&[
        text(kind.as_str()),
        text(&body),
        int(now),
        int(row.id),
        text(&op),
    ])?;
    let results = db.batch(vec![raise, event]).await?;
    let changed = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    Ok(changed == 1)
}
