//! Storage of cases and their events in D1. A change is written as one batch
//! (one transaction): the guarded UPDATE of the case and the INSERTs of its
//! events, which only land if the UPDATE did (they select on its `last_op`).

use helpline_shared::change::{CaseChange, CaseState, Escalation};
use helpline_shared::clock::EpochMillis;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::priority::Priority;
use helpline_shared::queue::queue_rank;
use helpline_shared::sla::{SlaClock, SlaPolicy};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use crate::error::{ApiError, ApiResult};
use crate::http::{int, optional, optional_int, text};

/// A case row joined with its assignee.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub platform: String,
    pub category: Option<String>,
    pub impact: String,
    pub urgency: String,
    pub priority: String,
    pub status: String,
    pub reporter_id: String,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub context: String,
    pub sla_paused_ms: i64,
    pub sla_paused_since_ms: Option<i64>,
    pub first_response_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub queue_rank: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub assignee_role: Option<String>,
    pub lease_expires_ms: Option<i64>,
    pub escalation_team: Option<String>,
    pub escalation_level: Option<i64>,
    pub escalation_reason: Option<String>,
    pub rating: Option<i64>,
    pub request_fingerprint: String,
    pub version: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn corrupt(what: &str, value: &str) -> ApiError {
    worker::Error::RustError(format!("stored {what} is not valid: {value}")).into()
}

impl CaseRow {
    pub fn status(&self) -> ApiResult<CaseStatus> {
        CaseStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))
    }

    pub fn priority(&self) -> ApiResult<Priority> {
        Priority::parse(&self.priority).ok_or_else(|| corrupt("priority", &self.priority))
    }

    pub fn sla(&self) -> SlaClock {
        SlaClock {
            created_at: self.created_ms,
            paused_ms: self.sla_paused_ms,
            paused_since: self.sla_paused_since_ms,
            first_response_at: self.first_response_ms,
            resolved_at: self.resolved_ms,
        }
    }

    /// The part of the case that commands change.
    pub fn state(&self) -> ApiResult<CaseState> {
        Ok(CaseState {
            status: self.status()?,
            priority: self.priority()?,
            sla: self.sla(),
            assignee_id: self.assignee_id,
            lease_expires_at: self.lease_expires_ms,
            escalation: match (
                &self.escalation_team,
                self.escalation_level,
                &self.escalation_reason,
            ) {
                (Some(team), Some(level), Some(reason)) => Some(Escalation {
                    team: team.clone(),
                    level: level.clamp(0, u8::MAX as i64) as u8,
                    reason: reason.clone(),
                }),
                _ => None,
            },
            rating: self.rating.map(|r| r.clamp(0, 5) as u8),
        })
    }
}

const SELECT_CASE: &str = "SELECT c.*, s.name AS assignee_name, s.role AS assignee_role
    FROM cases c LEFT JOIN specialists s ON s.id = c.assignee_id";

pub async fn load(db: &D1Database, id: i64) -> ApiResult<Option<CaseRow>> {
    Ok(db
        .prepare(format!("{SELECT_CASE} WHERE c.id = ?1"))
        .bind(&[int(id)])?
        .first::<CaseRow>(None)
        .await?)
}

pub async fn by_idempotency_key(
    db: &D1Database,
    reporter_id: &str,
    key: &str,
) -> ApiResult<Option<CaseRow>> {
    Ok(db
        .prepare(format!(
            "{SELECT_CASE} WHERE c.reporter_id = ?1 AND c.idempotency_key = ?2"
        ))
        .bind(&[text(reporter_id), text(key)])?
        .first::<CaseRow>(None)
        .await?)
}

/// A reporter's cases, newest first.
pub async fn of_reporter(
    db: &D1Database,
    reporter_id: &str,
    limit: usize,
) -> ApiResult<Vec<CaseRow>> {
    Ok(db
        .prepare(format!(
            "{SELECT_CASE} WHERE c.reporter_id = ?1 ORDER BY c.created_ms DESC, c.id DESC LIMIT ?2"
        ))
        .bind(&[text(reporter_id), int(limit as i64)])?
        .all()
        .await?
        .results::<CaseRow>()?)
}

/// What a new case is stored with.
pub struct Intake<'a> {
    pub case: &'a helpline_shared::case::NewCase,
    pub idempotency_key: &'a str,
    pub fingerprint: &'a str,
    pub first_response_due: EpochMillis,
    pub now: EpochMillis,
}

/// Inserts a case unless the reporter already has one with this key; the
/// `created` event is written by the table's trigger in the same statement.
pub async fn insert(db: &D1Database, intake: &Intake<'_>) -> ApiResult<Option<i64>> {
    #[derive(Deserialize)]
    struct Inserted {
        id: i64,
    }
    let case = intake.case;
    let context = serde_json::to_string(&case.context)
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    let inserted = db
        .prepare(
            "INSERT INTO cases (title, description, platform, category, impact, urgency, priority,
                status, reporter_id, reporter_name, reporter_email, context, queue_rank,
                idempotency_key, request_fingerprint, created_ms, updated_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)
             ON CONFLICT (reporter_id, idempotency_key) DO NOTHING
             RETURNING id",
        )
        .bind(&[
            text(&case.title),
            text(&case.description),
            text(&case.platform),
            optional(case.category.as_deref()),
            text(enum_text(&case.impact)?.as_str()),
            text(enum_text(&case.urgency)?.as_str()),
            text(case.priority.as_str()),
            text(CaseStatus::Queued.as_str()),
            text(&case.reporter.id),
            optional(case.reporter.name.as_deref()),
            optional(case.reporter.email.as_deref()),
            text(&context),
            int(queue_rank(Some(intake.first_response_due))),
            text(intake.idempotency_key),
            text(intake.fingerprint),
            int(intake.now),
        ])?
        .first::<Inserted>(None)
        .await?;
    Ok(inserted.map(|i| i.id))
}

/// The snake_case name serde gives a unit enum variant.
pub fn enum_text<T: serde::Serialize>(value: &T) -> ApiResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(worker::Error::RustError("not a unit enum".into()).into()),
    }
}

/// Who made a change, as the audit trail records it.
pub struct EventActor<'a> {
    pub kind: &'static str,
    pub id: Option<String>,
    pub name: Option<&'a str>,
}

/// Writes `change` to the case `row` was read as; a case changed by someone
/// else in between is a 409, and then nothing is written.
pub async fn save(
    db: &D1Database,
    row: &CaseRow,
    change: &CaseChange,
    actor: &EventActor<'_>,
    policy: &SlaPolicy,
    now: EpochMillis,
    op: &str,
) -> ApiResult<()> {
    let s = &change.state;
    let rank = queue_rank(s.sla.next_due(policy.target(s.priority), now));
    let update = db
        .prepare(
            "UPDATE cases SET status = ?1, sla_paused_ms = ?2, sla_paused_since_ms = ?3,
                first_response_ms = ?4, resolved_ms = ?5, queue_rank = ?6, assignee_id = ?7,
                lease_expires_ms = ?8, escalation_team = ?9, escalation_level = ?10,
                escalation_reason = ?11, rating = ?12, version = version + 1, last_op = ?13,
                updated_ms = ?14
             WHERE id = ?15 AND version = ?16",
        )
        .bind(&[
            text(s.status.as_str()),
            int(s.sla.paused_ms),
            optional_int(s.sla.paused_since),
            optional_int(s.sla.first_response_at),
            optional_int(s.sla.resolved_at),
            int(rank),
            optional_int(s.assignee_id),
            optional_int(s.lease_expires_at),
            optional(s.escalation.as_ref().map(|e| e.team.as_str())),
            optional_int(s.escalation.as_ref().map(|e| e.level as i64)),
            optional(s.escalation.as_ref().map(|e| e.reason.as_str())),
            optional_int(s.rating.map(i64::from)),
            text(op),
            int(now),
            int(row.id),
            int(row.version),
        ])?;
    let mut batch = vec![update];
    for event in &change.events {
        batch.push(event_insert(
            db,
            Some(row.id),
            op,
            event.kind,
            actor,
            event.body.as_deref(),
            event.from_status,
            event.to_status,
            now,
        )?);
    }
    let results = db.batch(batch).await?;
    let changed = results
        .first()
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0);
    if changed == 1 {
        Ok(())
    } else {
        Err(ApiError::StaleVersion)
    }
}

/// An event INSERT that lands only if the write tagged `op` did (on case
/// `case_id`, or on whichever case that write touched when the id is not known).
#[allow(clippy::too_many_arguments)]
pub fn event_insert(
    db: &D1Database,
    case_id: Option<i64>,
    op: &str,
    kind: CaseEventKind,
    actor: &EventActor<'_>,
    body: Option<&str>,
    from: Option<CaseStatus>,
    to: Option<CaseStatus>,
    now: EpochMillis,
) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO case_events (case_id, kind, public, actor_kind, actor_id, actor_name,
                body, from_status, to_status, at_ms)
             SELECT id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM cases
             WHERE last_op = ?10 AND (?11 IS NULL OR id = ?11)",
        )
        .bind(&[
            text(kind.as_str()),
            int(kind.is_public() as i64),
            text(actor.kind),
            optional(actor.id.as_deref()),
            optional(actor.name),
            optional(body),
            optional(from.map(CaseStatus::as_str)),
            optional(to.map(CaseStatus::as_str)),
            int(now),
            text(op),
            optional_int(case_id),
        ])?)
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub actor_kind: String,
    pub actor_name: Option<String>,
    pub body: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub at_ms: i64,
}

/// A case's timeline, oldest first; only public events when `public_only`.
pub async fn events(db: &D1Database, case_id: i64, public_only: bool) -> ApiResult<Vec<EventRow>> {
    let sql = if public_only {
        "SELECT * FROM case_events WHERE case_id = ?1 AND public = 1 ORDER BY id"
    } else {
        "SELECT * FROM case_events WHERE case_id = ?1 ORDER BY id"
    };
    Ok(db
        .prepare(sql)
        .bind(&[int(case_id)])?
        .all()
        .await?
        .results::<EventRow>()?)
}
