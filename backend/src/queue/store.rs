//! The queue in D1: pages in SLA order, and the atomic claim.

use helpline_shared::api::SpecialistSummary;
use helpline_shared::clock::EpochMillis;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::queue::{AssigneeFilter, QueueFilter};
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::cases::store::{
    event_insert, read_results, read_statements, CaseRow, CaseWithEvents, EventActor, Which,
};
use crate::error::ApiResult;
use crate::http::{int, text};

/// One page (plus one row, to know whether another page follows).
pub async fn page(db: &D1Database, filter: &QueueFilter) -> ApiResult<Vec<CaseRow>> {
    let mut clauses = Vec::new();
    let mut params: Vec<JsValue> = Vec::new();
    let mut bind = |value: JsValue| {
        params.push(value);
        format!("?{}", params.len())
    };
    let statuses: Vec<String> = filter
        .statuses
        .iter()
        .map(|s| bind(text(s.as_str())))
        .collect();
    clauses.push(format!("c.status IN ({})", statuses.join(", ")));
    if let Some(platform) = &filter.platform {
        clauses.push(format!("c.platform = {}", bind(text(platform))));
    }
    if let Some(priority) = filter.priority {
        clauses.push(format!("c.priority = {}", bind(text(priority.as_str()))));
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Unassigned => clauses.push("c.assignee_id IS NULL".into()),
        AssigneeFilter::Specialist(id) => {
            clauses.push(format!("c.assignee_id = {}", bind(int(id))))
        }
    }
    if let Some(after) = filter.after {
        let rank = bind(int(after.rank));
        let id = bind(int(after.id));
        clauses.push(format!("(c.queue_rank, c.id) > ({rank}, {id})"));
    }
    let limit = bind(int(filter.limit as i64 + 1));
    let sql = format!(
        "SELECT c.*, s.name AS assignee_name, s.role AS assignee_role
         FROM cases c LEFT JOIN specialists s ON s.id = c.assignee_id
         WHERE {} ORDER BY c.queue_rank, c.id LIMIT {limit}",
        clauses.join(" AND ")
    );
    Ok(db
        .prepare(sql)
        .bind(&params)?
        .all()
        .await?
        .results::<CaseRow>()?)
}

// One statement picks and takes the case, so two claimers can never get the
// same one: D1 runs statements one at a time, and the second sees the first's
// write. A case whose holder's lease ran out is claimable again.
const CLAIM: &str = "UPDATE cases SET status = ?1, assignee_id = ?2, lease_expires_ms = ?3,
        version = version + 1, last_op = ?4, updated_ms = ?5
    WHERE id = (
        SELECT id FROM cases
        WHERE status = ?6 OR (status = ?1 AND lease_expires_ms < ?5)
        ORDER BY queue_rank, id LIMIT 1)
    RETURNING id";

/// Claims the most urgent claimable case for `specialist` and reads it back
/// with its timeline, in one batch; `None` when the queue is empty.
pub async fn claim(
    db: &D1Database,
    specialist: &SpecialistSummary,
    lease_expires: EpochMillis,
    now: EpochMillis,
    op: &str,
) -> ApiResult<Option<CaseWithEvents>> {
    let update = db.prepare(CLAIM).bind(&[
        text(CaseStatus::InProgress.as_str()),
        int(specialist.id),
        int(lease_expires),
        text(op),
        int(now),
        text(CaseStatus::Queued.as_str()),
    ])?;
    let actor = EventActor {
        kind: "specialist",
        id: Some(specialist.id.to_string()),
        name: Some(&specialist.name),
    };
    // The claimed case's id is not known yet: the event finds it by `last_op`.
    let event = event_insert(
        db,
        None,
        op,
        CaseEventKind::Claimed,
        &actor,
        None,
        None,
        Some(CaseStatus::InProgress),
        now,
    )?;
    let mut batch = vec![update, event];
    batch.extend(read_statements(db, Which::Op(op), false)?);
    let results = db.batch(batch).await?;
    read_results(&results, 2)
}
