//! The sweep's SQL: each alert kind raised over every case that owes it, in
//! one batch of set-based statements (a fixed number, whatever the backlog),
//! with its events, the escalation a breach makes and the notifications it
//! owes, so a failure part-way leaves nothing half-recorded.

use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::escalation::EscalationRoute;
use helpline_shared::events::CaseEventKind;
use helpline_shared::priority::Priority;
use helpline_shared::sla_watch::SlaAlert;
use worker::{D1Database, D1PreparedStatement};

use crate::d1::{int, text, with_names};
use crate::error::{ApiError, ApiResult};
use crate::random;

/// The most cases one kind of alert is raised on in one tick. The statements
/// stay within D1's time per query at this size (`cargo xtask bench-sweep`);
/// a larger backlog is finished by the next ticks, most overdue first.
pub const RAISED_PER_TICK_MAX: i64 = 20_000;

/// The column holding when `alert` is owed, and the columns a raise of it
/// clears (a raised breach makes its warning moot).
fn columns(alert: SlaAlert) -> (&'static str, &'static str) {
    match alert {
        SlaAlert::FirstResponseWarning => (
            "sla_first_response_warning_ms",
            "sla_first_response_warning_ms = NULL",
        ),
        SlaAlert::FirstResponseBreached => (
            "sla_first_response_breach_ms",
            "sla_first_response_breach_ms = NULL, sla_first_response_warning_ms = NULL",
        ),
        SlaAlert::ResolutionWarning => (
            "sla_resolution_warning_ms",
            "sla_resolution_warning_ms = NULL",
        ),
        SlaAlert::ResolutionBreached => (
            "sla_resolution_breach_ms",
            "sla_resolution_breach_ms = NULL, sla_resolution_warning_ms = NULL",
        ),
    }
}

/// The order alerts are raised in within a tick: a breach before its
/// warning, so a case owed both gets only the breach.
pub const RAISE_ORDER: [SlaAlert; 4] = [
    SlaAlert::FirstResponseBreached,
    SlaAlert::FirstResponseWarning,
    SlaAlert::ResolutionBreached,
    SlaAlert::ResolutionWarning,
];

// The audit event of a system change, on every case the write tagged ?5 touched.
const EVENT: &str = "INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, ?1, 0, {system}, ?2 || ' (' || priority || ', ' || status || ', swept at ' || ?3 || ')',
        ?4
    FROM cases WHERE last_op = ?5";

// A breach that the policy escalates: the case goes to the leads, unless it
// is already escalated (a person's escalation stands).
const ESCALATE: &str = "UPDATE cases SET escalation_team = ?1, escalation_level = ?2,
        escalation_reason = ?3, last_op = ?4
    WHERE last_op = ?5 AND escalation_level IS NULL
      AND priority IN (SELECT value FROM json_each(?6))";

const ESCALATED_EVENT: &str =
    "INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, ?1, 0, {system}, ?2, ?3 FROM cases WHERE last_op = ?4";

// The alert's notification, composed from the case when it is sent.
const OWE_NOTIFICATION: &str =
    "INSERT INTO pending_notifications (case_id, alert, escalated, created_ms)
    SELECT id, ?1, ?2, ?3 FROM cases WHERE last_op = ?4";

/// The escalation a breach makes for cases of these priorities.
pub struct BreachEscalation<'a> {
    pub route: &'a EscalationRoute,
    pub priorities: &'a [Priority],
}

/// The statements that raise `alert` on every case owing it at `now`; the
/// first one's changes are how many were raised.
pub fn raise_statements(
    db: &D1Database,
    alert: SlaAlert,
    escalation: Option<&BreachEscalation<'_>>,
    now: EpochMillis,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let op = random::op_id()?;
    let (due, cleared) = columns(alert);
    // Guarded by the alert's bit, so two sweeps at once raise it once, and a
    // version bump, so a specialist's save of what they read before fails
    // (409) instead of writing over the escalation.
    let raise = db
        .prepare(format!(
            "UPDATE cases SET sla_alerts = sla_alerts | ?1, {cleared}, version = version + 1,
                last_op = ?2
             WHERE id IN (SELECT id FROM cases WHERE {due} <= ?3 ORDER BY {due} LIMIT ?4)
               AND (sla_alerts & ?1) = 0"
        ))
        .bind(&[
            int(alert.bit()),
            text(&op),
            int(now),
            int(RAISED_PER_TICK_MAX),
        ])?;
    let kind = if alert.is_breach() {
        CaseEventKind::SlaBreached
    } else {
        CaseEventKind::SlaWarning
    };
    let event = db.prepare(with_names(EVENT)).bind(&[
        text(kind.as_str()),
        text(alert.describe()),
        text(&iso(now)),
        int(now),
        text(&op),
    ])?;
    // What the channel is owed for the cases this operation touched: the
    // alert, and (`escalated` 1) the escalation it caused.
    let owe = |escalated: i64, op: &str| {
        db.prepare(OWE_NOTIFICATION)
            .bind(&[int(alert.bit()), int(escalated), int(now), text(op)])
    };
    let mut statements = vec![raise, event];
    if let Some(escalation) = escalation.filter(|_| alert.is_breach()) {
        let escalation_op = random::op_id()?;
        let route = escalation.route;
        let reason = format!("{} (SLA sweep)", alert.describe());
        let priorities = serde_json::to_string(
            &escalation
                .priorities
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>(),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        statements.push(db.prepare(ESCALATE).bind(&[
            text(&route.team),
            int(route.level.into()),
            text(&reason),
            text(&escalation_op),
            text(&op),
            text(&priorities),
        ])?);
        statements.push(db.prepare(with_names(ESCALATED_EVENT)).bind(&[
            text(CaseEventKind::Escalated.as_str()),
            text(&format!("{} (level {}): {reason}", route.team, route.level)),
            int(now),
            text(&escalation_op),
        ])?);
        statements.push(owe(1, &escalation_op)?);
    }
    statements.push(owe(0, &op)?);
    Ok(statements)
}
