//! The queue in D1: pages in SLA order, and the atomic claim.

use helpline_shared::clock::EpochMillis;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::queue::{AssigneeFilter, QueueFilter};
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::cases::store::{read_results, read_statements, CaseWithEvents, Which};
use crate::d1::{int, text, with_names, SELECT_CASE};
use crate::error::{ApiError, ApiResult};
use helpline_shared::api::QueueCounts;
use helpline_shared::record::CaseRecord;
use helpline_shared::workspace::{QueueView, ViewCondition};

/// Statement parameters as they are bound: `?1`, `?2`, … in order.
#[derive(Default)]
struct Params(Vec<JsValue>);

impl Params {
    fn bind(&mut self, value: JsValue) -> String {
        self.0.push(value);
        format!("?{}", self.0.len())
    }
}

/// What the platform, priority and status filters let through, as SQL
/// conditions on `c`.
fn filtered(filter: &QueueFilter, params: &mut Params) -> Vec<String> {
    let statuses: Vec<String> = filter
        .statuses
        .iter()
        .map(|s| params.bind(text(s.as_str())))
        .collect();
    let mut clauses = vec![format!("c.status IN ({})", statuses.join(", "))];
    if let Some(platform) = &filter.platform {
        clauses.push(format!("c.platform = {}", params.bind(text(platform))));
    }
    if let Some(priority) = filter.priority {
        clauses.push(format!(
            "c.priority = {}",
            params.bind(text(priority.as_str()))
        ));
    }
    clauses
}

/// `condition` as SQL on `c` for specialist `me` at `now` (`1` when it lets
/// every case the filters chose through): the one rendering of the console's
/// views, for a view's page and for every view's count.
fn view_sql(condition: ViewCondition, me: i64, now: EpochMillis, params: &mut Params) -> String {
    match condition {
        ViewCondition::Open => "1".into(),
        ViewCondition::Unassigned => "c.assignee_id IS NULL".into(),
        ViewCondition::HeldByCaller => format!("c.assignee_id = {}", params.bind(int(me))),
        // The rank is the next deadline; a case with none ranks after all times.
        ViewCondition::DueWithin(ms) => format!("c.queue_rank <= {}", params.bind(int(now + ms))),
        ViewCondition::Status(status) => {
            format!("c.status = {}", params.bind(text(status.as_str())))
        }
    }
}

/// One page (plus one row, to know whether another page follows) and the
/// sizes of the console's views over everything the filters let through
/// (for specialist `me` at `now`), in one round trip.
pub async fn page_and_counts(
    db: &D1Database,
    filter: &QueueFilter,
    me: i64,
    now: EpochMillis,
) -> ApiResult<(Vec<CaseRecord>, QueueCounts)> {
    let mut params = Params::default();
    let mut clauses = filtered(filter, &mut params);
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Unassigned => clauses.push("c.assignee_id IS NULL".into()),
        AssigneeFilter::Specialist(id) => {
            clauses.push(format!("c.assignee_id = {}", params.bind(int(id))))
        }
    }
    if filter.view != QueueView::AllOpen {
        clauses.push(view_sql(filter.view.condition(), me, now, &mut params));
    }
    if let Some(after) = filter.after {
        let rank = params.bind(int(after.rank));
        let id = params.bind(int(after.id));
        clauses.push(format!("(c.queue_rank, c.id) > ({rank}, {id})"));
    }
    let limit = params.bind(int(filter.limit as i64 + 1));
    let page = format!(
        "{SELECT_CASE} WHERE {} ORDER BY c.queue_rank, c.id LIMIT {limit}",
        clauses.join(" AND ")
    );
    let mut counting = Params::default();
    let clauses = filtered(filter, &mut counting);
    let columns: Vec<String> = QueueView::ALL
        .into_iter()
        .map(|view| {
            let holds = view_sql(view.condition(), me, now, &mut counting);
            format!("COALESCE(SUM({holds}), 0) AS {}", view.as_str())
        })
        .collect();
    let counts = format!(
        "SELECT {} FROM cases c WHERE {}",
        columns.join(", "),
        clauses.join(" AND ")
    );
    let results = db
        .batch(vec![
            db.prepare(page).bind(&params.0)?,
            db.prepare(counts).bind(&counting.0)?,
        ])
        .await?;
    let (Some(rows), Some(counted)) = (results.first(), results.get(1)) else {
        return Err(ApiError::Internal("the queue batch answered short".into()));
    };
    let counts = counted
        .results::<QueueCounts>()?
        .into_iter()
        .next()
        .unwrap_or_default();
    Ok((rows.results::<CaseRecord>()?, counts))
}

// One statement picks and takes the case, so two claimers can never get the
// same one: D1 runs statements one at a time, and the second sees the first's
// write. A case whose holder's lease ran out is claimable again. The pick is
// two index lookups (the most urgent queued case, the most urgent lapsed
// one) rather than one OR, which SQLite would answer by scanning every case.
// The claimer is found by their token's digest inside the same statement, so
// the common case (a specialist takes a case) is one round trip to D1.
const ACTIVE_SPECIALIST: &str = "(SELECT id FROM specialists WHERE token_hash = ?2 AND active = 1)";

// The case a claim takes: the most urgent queued one, or the most urgent one
// whose holder's lease ran out, whichever comes first.
const PICK: &str = "SELECT id FROM (
        SELECT * FROM (SELECT id, queue_rank FROM cases WHERE status = ?6
                       ORDER BY queue_rank, id LIMIT 1)
        UNION ALL
        SELECT * FROM (SELECT id, queue_rank FROM cases
                       WHERE status = ?1 AND lease_expires_ms < ?5
                       ORDER BY queue_rank, id LIMIT 1))
    ORDER BY queue_rank, id LIMIT 1";

fn claim_sql() -> String {
    format!(
        "UPDATE cases SET status = ?1, assignee_id = {ACTIVE_SPECIALIST}, lease_expires_ms = ?3,
            version = version + 1, last_op = ?4, updated_ms = ?5
        WHERE {ACTIVE_SPECIALIST} IS NOT NULL AND id = ({PICK})
        RETURNING id"
    )
}

// A claim that takes a case from a holder whose lease ran out says so first,
// naming that holder: nobody loses a case without the record showing why.
// Same pick, same transaction, just before the claim's own write.
fn lease_expired_sql() -> String {
    format!(
        "INSERT INTO case_events (case_id, kind, public, actor_kind, actor_name, body,
            from_status, to_status, at_ms)
        SELECT c.id, ?7, 0, {{system}}, NULL,
            'the claim of ' || COALESCE(s.name, 'a specialist') || ' lapsed with no action',
            ?1, ?1, ?5
        FROM cases c LEFT JOIN specialists s ON s.id = c.assignee_id
        WHERE {ACTIVE_SPECIALIST} IS NOT NULL AND c.id = ({PICK}) AND c.status = ?1
          AND c.assignee_id IS NOT ({ACTIVE_SPECIALIST})"
    )
}

// The claimed event names the claimer from the row just written.
const CLAIMED_EVENT: &str = "INSERT INTO case_events (case_id, kind, public, actor_kind, actor_id,
        actor_name, to_status, at_ms)
    SELECT c.id, ?1, ?2, {specialist}, CAST(s.id AS TEXT), s.name, ?3, ?4
    FROM cases c JOIN specialists s ON s.id = c.assignee_id WHERE c.last_op = ?5";

/// Claims the most urgent claimable case for the active specialist whose
/// token has `token_digest`, and reads it back with its timeline, in one
/// batch. `None` when the queue is empty or the token is not an active
/// specialist's (the caller tells these apart only on that slow path).
pub async fn claim(
    db: &D1Database,
    token_digest: &str,
    lease_expires: EpochMillis,
    now: EpochMillis,
    op: &str,
) -> ApiResult<Option<CaseWithEvents>> {
    let mut params = vec![
        text(CaseStatus::InProgress.as_str()),
        text(token_digest),
        int(lease_expires),
        text(op),
        int(now),
        text(CaseStatus::Queued.as_str()),
    ];
    let update = db.prepare(claim_sql()).bind(&params)?;
    params.push(text(CaseEventKind::LeaseExpired.as_str()));
    let lapsed = db.prepare(with_names(&lease_expired_sql())).bind(&params)?;
    let kind = CaseEventKind::Claimed;
    let event = db.prepare(with_names(CLAIMED_EVENT)).bind(&[
        text(kind.as_str()),
        int(kind.is_public() as i64),
        text(CaseStatus::InProgress.as_str()),
        int(now),
        text(op),
    ])?;
    let mut batch = vec![lapsed, update, event];
    batch.extend(read_statements(db, Which::Op(op), false, None)?);
    let results = db.batch(batch).await?;
    read_results(&results, 3)
}
