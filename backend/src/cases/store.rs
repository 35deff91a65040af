//! Storage of cases and their events in D1. A change is written as one batch
//! (one transaction): the guarded UPDATE of the case and the INSERTs of its
//! events, which only land if the UPDATE did (they select on its `last_op`).

use helpline_shared::case_search::{index_terms, CaseSearch};
use helpline_shared::change::CaseChange;
use helpline_shared::clock::EpochMillis;
use helpline_shared::events::{CaseEventKind, TIMELINE_PAGE_EVENTS};
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::limits::{TRIED_ANSWERS_MAX, TRIED_ANSWERS_WINDOW_MS};
use helpline_shared::malfunction::MalfunctionRule;
use helpline_shared::priority::Priority;
use helpline_shared::queue::queue_rank;
use helpline_shared::record::{ActorKind, CaseRecord, EventRecord, TriedAnswerRecord};
use helpline_shared::sla::SlaPolicy;
use helpline_shared::sla_watch::{alert_schedule, AlertSchedule};
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::d1::{int, optional, optional_int, text, with_names, Rows, SELECT_CASE};
use crate::error::{ApiError, ApiResult};

pub async fn load(db: &D1Database, id: i64) -> ApiResult<Option<CaseRecord>> {
    Ok(db
        .prepare(format!("{SELECT_CASE} WHERE c.id = ?1"))
        .bind(&[int(id)])?
        .first::<CaseRecord>(None)
        .await?)
}

/// A case with its timeline and the answers its reporter tried before
/// sending it, as the reads that end a batch find them.
pub type CaseWithEvents = (CaseRecord, Vec<EventRecord>, Vec<TriedAnswerRecord>);

/// Which case the reads at the end of a batch are about.
#[derive(Clone, Copy)]
pub enum Which<'a> {
    Id(i64),
    /// The case the batch's write (tagged with this op) touched.
    Op(&'a str),
}

/// Three reads (the case; its events, only public ones when `public_only`;
/// the answers its reporter read and rejected in the hour before it) to
/// append to a batch, so a change and its answer share one round trip to D1.
/// The events read are the newest page (`events::timeline_page`) before
/// `before` (an event id), or the newest of all.
pub fn read_statements(
    db: &D1Database,
    which: Which<'_>,
    public_only: bool,
    before: Option<i64>,
) -> ApiResult<[D1PreparedStatement; 3]> {
    let (case_filter, key) = match which {
        Which::Id(id) => ("c.id = ?1", int(id)),
        Which::Op(op) => ("c.last_op = ?1", text(op)),
    };
    let case = db
        .prepare(format!("{SELECT_CASE} WHERE {case_filter}"))
        .bind(std::slice::from_ref(&key))?;
    let visibility = if public_only { "AND e.public = 1" } else { "" };
    // One more than a page, to know whether an older page exists.
    let events = db
        .prepare(format!(
            "SELECT * FROM (
                SELECT e.* FROM case_events e JOIN cases c ON c.id = e.case_id
                WHERE {case_filter} {visibility} AND e.id < ?2 ORDER BY e.id DESC LIMIT ?3)
             ORDER BY id"
        ))
        .bind(&[
            key.clone(),
            int(before.unwrap_or(i64::MAX >> 11)),
            int(TIMELINE_PAGE_EVENTS as i64 + 1),
        ])?;
    let tried = db
        .prepare(format!(
            "SELECT d.article_slug, d.query, d.at_ms,
                (SELECT a.title FROM sop_articles a WHERE a.slug = d.article_slug) AS title
             FROM deflections d JOIN cases c ON c.reporter_id = d.reporter_id
             WHERE {case_filter} AND d.solved = 0 AND d.article_slug IS NOT NULL
               AND d.at_ms BETWEEN c.created_ms - ?2 AND c.created_ms
             ORDER BY d.at_ms, d.id LIMIT ?3"
        ))
        .bind(&[
            key,
            int(TRIED_ANSWERS_WINDOW_MS),
            int(TRIED_ANSWERS_MAX as i64),
        ])?;
    Ok([case, events, tried])
}

/// What [`read_statements`] put at `results[at..]`.
pub fn read_results(results: &[D1Result], at: usize) -> ApiResult<Option<CaseWithEvents>> {
    let (Some(case), Some(events), Some(tried)) =
        (results.get(at), results.get(at + 1), results.get(at + 2))
    else {
        return Ok(None);
    };
    let Some(row) = case.results::<CaseRecord>()?.into_iter().next() else {
        return Ok(None);
    };
    Ok(Some((
        row,
        events.results::<EventRecord>()?,
        tried.results::<TriedAnswerRecord>()?,
    )))
}

/// A case with its timeline, in one round trip.
pub async fn load_with_events(
    db: &D1Database,
    id: i64,
    public_only: bool,
    before: Option<i64>,
) -> ApiResult<Option<CaseWithEvents>> {
    let results = db
        .batch(read_statements(db, Which::Id(id), public_only, before)?.into())
        .await?;
    read_results(&results, 0)
}

// A search's candidates, each with a score (lower is better): the case its
// ref names, then that reporter's cases, then the index's matches by bm25
// (negative; the title weighs three times the rest). A case found twice
// keeps its best score; ties go to the newest case.
const FOUND_BY_REF: &str = "SELECT id, -2.0e9 AS score FROM cases WHERE id = ?1";
const FOUND_BY_REPORTER: &str = "SELECT id, -1.0e9 AS score FROM cases WHERE reporter_id = ?2";
const FOUND_BY_WORDS: &str = "SELECT rowid AS id, bm25(case_search, 3.0, 1.0) AS score
    FROM case_search WHERE case_search MATCH ?3";

/// One page of a search (plus one row, to know whether another follows).
pub async fn search(db: &D1Database, search: &CaseSearch) -> ApiResult<Vec<CaseRecord>> {
    let mut found = vec![FOUND_BY_REF, FOUND_BY_REPORTER];
    found.extend(search.terms.is_some().then_some(FOUND_BY_WORDS));
    let sql = format!(
        "WITH found AS ({}), best AS (SELECT id, MIN(score) AS score FROM found GROUP BY id)
        {SELECT_CASE} JOIN best b ON b.id = c.id ORDER BY b.score, c.id DESC LIMIT ?4 OFFSET ?5",
        found.join(" UNION ALL ")
    );
    db.prepare(sql)
        .bind(&[
            optional_int(search.case_id),
            text(&search.reporter_id),
            optional(search.terms.as_deref()),
            int(search.limit as i64 + 1),
            int(search.offset as i64),
        ])?
        .rows::<CaseRecord>()
        .await
}

// A new case's terms go into the index in its intake batch; a repeated
// intake (same key) inserted no row with this op, so it indexes nothing.
const INDEX_NEW_CASE: &str = "INSERT INTO case_search (rowid, title, body)
    SELECT id, ?2, ?3 FROM cases WHERE last_op = ?1";

fn index_statement(db: &D1Database, intake: &Intake<'_>) -> ApiResult<D1PreparedStatement> {
    let case = intake.case;
    let reporter = &case.reporter;
    let body = index_terms(&[
        &case.description,
        &reporter.id,
        reporter.name.as_deref().unwrap_or_default(),
        reporter.email.as_deref().unwrap_or_default(),
    ]);
    Ok(db.prepare(INDEX_NEW_CASE).bind(&[
        text(intake.op),
        text(&index_terms(&[&case.title])),
        text(&body),
    ])?)
}

/// A reporter's cases, newest first.
pub async fn of_reporter(
    db: &D1Database,
    reporter_id: &str,
    limit: usize,
) -> ApiResult<Vec<CaseRecord>> {
    db.prepare(format!(
        "{SELECT_CASE} WHERE c.reporter_id = ?1 ORDER BY c.created_ms DESC, c.id DESC LIMIT ?2"
    ))
    .bind(&[text(reporter_id), int(limit as i64)])?
    .rows::<CaseRecord>()
    .await
}

/// Counts a reporter's message in its bucket for this minute: the count now.
pub async fn count_message(db: &D1Database, bucket: &str, now: EpochMillis) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct Count {
        count: i64,
    }
    Ok(db
        .prepare(
            "INSERT INTO rate_limits (bucket, window_ms, count) VALUES (?1, ?2, 1)
             ON CONFLICT (bucket) DO UPDATE SET
                count = CASE WHEN window_ms = excluded.window_ms THEN count + 1 ELSE 1 END,
                window_ms = excluded.window_ms
             RETURNING count",
        )
        .bind(&[
            text(bucket),
            int(helpline_shared::rate_limit::window_start(now)),
        ])?
        .first::<Count>(None)
        .await?
        .map_or(1, |c| c.count))
}

/// The open cases `specialist_id` holds (at most `limit`).
pub async fn held_by(
    db: &D1Database,
    specialist_id: i64,
    limit: i64,
) -> ApiResult<Vec<CaseRecord>> {
    let held: Vec<&str> = CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_held())
        .map(CaseStatus::as_str)
        .collect();
    let held = crate::d1::json_text(&held)?;
    db.prepare(format!(
        "{SELECT_CASE} WHERE c.assignee_id = ?1
               AND c.status IN (SELECT value FROM json_each(?2)) ORDER BY c.id LIMIT ?3"
    ))
    .bind(&[int(specialist_id), text(&held), int(limit)])?
    .rows::<CaseRecord>()
    .await
}

/// What a new case is stored with.
pub struct Intake<'a> {
    pub case: &'a helpline_shared::case::NewCase,
    pub idempotency_key: &'a str,
    pub fingerprint: &'a str,
    pub first_response_due: EpochMillis,
    /// When its SLA alerts fall due.
    pub schedule: AlertSchedule,
    pub now: EpochMillis,
    /// Rate-limit buckets and their limits for this minute.
    pub reporter_bucket: (&'a str, u32),
    pub ip_bucket: (&'a str, u32),
    /// What makes it look like other cases (`malfunction::signature`), and the
    /// rule for when look-alikes become an incident, with that incident's title.
    pub signature: &'a str,
    pub malfunction: MalfunctionRule,
    pub incident_title: &'a str,
    /// Tags the insert, so the statements after it know whether it happened.
    pub op: &'a str,
}

/// The case stored under a reporter's idempotency key.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredCase {
    pub id: i64,
    pub status: CaseStatus,
    pub priority: Priority,
    pub request_fingerprint: String,
    pub created_ms: i64,
}

/// What the intake write found.
pub struct IntakeResult {
    pub inserted: bool,
    pub stored: Option<StoredCase>,
    /// The incident this case's arrival opened, if it did.
    pub opened_incident: Option<i64>,
    /// The incident this case is in, if any (opened or joined).
    pub joined_incident: Option<i64>,
}

// Counts an attempt in a rate-limit bucket for this window, unless it is a
// retry of a case already stored (retries must not use up the allowance).
const COUNT_ATTEMPT: &str = "INSERT INTO rate_limits (bucket, window_ms, count)
    SELECT ?1, ?2, 1 WHERE NOT EXISTS
        (SELECT 1 FROM cases WHERE reporter_id = ?3 AND idempotency_key = ?4)
    ON CONFLICT (bucket) DO UPDATE SET
        count = CASE WHEN window_ms = excluded.window_ms THEN count + 1 ELSE 1 END,
        window_ms = excluded.window_ms";

// The address's bucket counts only what the reporter's let through: one
// reporter's refused flood must not spend the allowance of colleagues behind
// the same address.
const COUNT_ADDRESS_ATTEMPT: &str = "INSERT INTO rate_limits (bucket, window_ms, count)
    SELECT ?1, ?2, 1 WHERE NOT EXISTS
        (SELECT 1 FROM cases WHERE reporter_id = ?3 AND idempotency_key = ?4)
      AND (SELECT count FROM rate_limits WHERE bucket = ?5) <= ?6
    ON CONFLICT (bucket) DO UPDATE SET
        count = CASE WHEN window_ms = excluded.window_ms THEN count + 1 ELSE 1 END,
        window_ms = excluded.window_ms";

// ... and an attempt the address's bucket refused gives the reporter's
// allowance back (the reporter was within it, or the address would not have
// counted), so neither bucket's refusal spends the other's.
const GIVE_BACK_REPORTER_ATTEMPT: &str = "UPDATE rate_limits SET count = count - 1
    WHERE bucket = ?1 AND window_ms = ?2 AND count <= ?3
      AND NOT EXISTS (SELECT 1 FROM cases WHERE reporter_id = ?4 AND idempotency_key = ?5)
      AND (SELECT count FROM rate_limits WHERE bucket = ?6) > ?7";

// Stores the case only while both buckets are within their limits and the key
// is new; the `created` event comes from the table's trigger.
/// The new case's row, bound as one JSON parameter whose fields are named as
/// the columns they fill (and the two buckets that must be within limits).
#[derive(Serialize)]
struct CaseInsert<'a> {
    title: &'a str,
    description: &'a str,
    platform: &'a str,
    category: Option<&'a str>,
    impact: &'static str,
    urgency: &'static str,
    priority: &'static str,
    status: &'static str,
    reporter_id: &'a str,
    reporter_name: Option<&'a str>,
    reporter_email: Option<&'a str>,
    reporter_verified: i64,
    context: &'a str,
    queue_rank: i64,
    idempotency_key: &'a str,
    request_fingerprint: &'a str,
    created_ms: i64,
    updated_ms: i64,
    signature: &'a str,
    last_op: &'a str,
    sla_first_response_warning_ms: Option<i64>,
    sla_first_response_breach_ms: Option<i64>,
    sla_resolution_warning_ms: Option<i64>,
    sla_resolution_breach_ms: Option<i64>,
    #[serde(skip)]
    limits: [(&'a str, u32); 2],
}

/// The columns `CaseInsert` fills, in its field names.
const CASE_INSERT_COLUMNS: [&str; 24] = [
    "title",
    "description",
    "platform",
    "category",
    "impact",
    "urgency",
    "priority",
    "status",
    "reporter_id",
    "reporter_name",
    "reporter_email",
    "reporter_verified",
    "context",
    "queue_rank",
    "idempotency_key",
    "request_fingerprint",
    "created_ms",
    "updated_ms",
    "signature",
    "last_op",
    "sla_first_response_warning_ms",
    "sla_first_response_breach_ms",
    "sla_resolution_warning_ms",
    "sla_resolution_breach_ms",
];

/// Inserts the case (?1, the JSON of a `CaseInsert`) only while the reporter's
/// bucket (?2) is within its limit (?3) and the address's (?4) within its own
/// (?5), and only if its key is new.
fn insert_case_sql() -> String {
    let values: Vec<String> = CASE_INSERT_COLUMNS
        .iter()
        .map(|column| format!("json_extract(?1, '$.{column}')"))
        .collect();
    format!(
        "INSERT INTO cases ({}) SELECT {}
         WHERE (SELECT count FROM rate_limits WHERE bucket = ?2) <= ?3
           AND (SELECT count FROM rate_limits WHERE bucket = ?4) <= ?5
         ON CONFLICT (reporter_id, idempotency_key) DO NOTHING
         RETURNING id",
        CASE_INSERT_COLUMNS.join(", "),
        values.join(", ")
    )
}

impl CaseInsert<'_> {
    fn statement(&self, db: &D1Database) -> ApiResult<D1PreparedStatement> {
        let [(reporter, reporter_limit), (address, address_limit)] = self.limits;
        Ok(db.prepare(insert_case_sql()).bind(&[
            text(&crate::d1::json_text(self)?),
            text(reporter),
            int(reporter_limit.into()),
            text(address),
            int(address_limit.into()),
        ])?)
    }
}

// Malfunction detection, in the intake's own transaction (D1 runs a batch
// alone, so a burst of concurrent intakes counts exactly): when the new case
// makes `threshold` look-alikes within the window, open an incident (the
// partial unique index allows one open per signature) ...
const OPEN_INCIDENT: &str =
    "INSERT OR IGNORE INTO incidents (signature, platform, title, status, opened_ms)
    SELECT c.signature, c.platform, ?3, {incident_open}, ?4 FROM cases c
    WHERE c.last_op = ?1
      AND (SELECT COUNT(*) FROM cases o
           WHERE o.signature = c.signature AND o.created_ms > ?4 - ?2) >= ?5
    RETURNING id";

// ... link the burst that opened it (only when it opened just now) ...
const LINK_BURST: &str = "INSERT OR IGNORE INTO incident_cases (incident_id, case_id)
    SELECT i.id, o.id FROM cases c
    JOIN incidents i ON i.signature = c.signature AND i.status = {incident_open} AND i.opened_ms = ?3
    JOIN cases o ON o.signature = i.signature AND o.created_ms > ?3 - ?2
    WHERE c.last_op = ?1";

// ... record that the channel is told of the burst that opened it (the
// opening message counts it), so its first count comes only once more join ...
const TOLD_BURST: &str = "UPDATE incidents SET told_ms = ?2,
        told_cases = (SELECT COUNT(*) FROM incident_cases ic WHERE ic.incident_id = incidents.id)
    WHERE status = {incident_open} AND opened_ms = ?2 AND told_ms IS NULL
      AND signature = (SELECT signature FROM cases WHERE last_op = ?1)";

// ... and join the new case to the open incident of its kind, if any.
const LINK_CASE: &str = "INSERT OR IGNORE INTO incident_cases (incident_id, case_id)
    SELECT i.id, c.id FROM cases c
    JOIN incidents i ON i.signature = c.signature AND i.status = {incident_open}
    WHERE c.last_op = ?1";

// Whether the new case is in an incident now, however it got there (a burst
// link of an intake in the same millisecond, or its own link).
const IN_INCIDENT: &str = "SELECT ic.incident_id AS id FROM incident_cases ic
    JOIN cases c ON c.id = ic.case_id WHERE c.last_op = ?1";

const STORED_CASE: &str = "SELECT id, status, priority, request_fingerprint, created_ms
    FROM cases WHERE reporter_id = ?1 AND idempotency_key = ?2";

/// The new case's row as `intake` describes it.
fn case_insert<'a>(intake: &'a Intake<'a>, context: &'a str) -> CaseInsert<'a> {
    let case = intake.case;
    CaseInsert {
        title: &case.title,
        description: &case.description,
        platform: &case.platform,
        category: case.category.as_deref(),
        impact: case.impact.as_str(),
        urgency: case.urgency.as_str(),
        priority: case.priority.as_str(),
        status: CaseStatus::Queued.as_str(),
        reporter_id: &case.reporter.id,
        reporter_name: case.reporter.name.as_deref(),
        reporter_email: case.reporter.email.as_deref(),
        reporter_verified: case.reporter.verified.into(),
        context,
        queue_rank: queue_rank(Some(intake.first_response_due)),
        idempotency_key: intake.idempotency_key,
        request_fingerprint: intake.fingerprint,
        created_ms: intake.now,
        updated_ms: intake.now,
        signature: intake.signature,
        last_op: intake.op,
        sla_first_response_warning_ms: intake.schedule.first_response_warning,
        sla_first_response_breach_ms: intake.schedule.first_response_breach,
        sla_resolution_warning_ms: intake.schedule.resolution_warning,
        sla_resolution_breach_ms: intake.schedule.resolution_breach,
        limits: [intake.reporter_bucket, intake.ip_bucket],
    }
}

/// The rate-limit statements of an intake: count the attempt in the
/// reporter's bucket; only if that let it through, in the address's; and give
/// the reporter's attempt back if the address refused it.
fn bucket_statements(db: &D1Database, intake: &Intake<'_>) -> ApiResult<[D1PreparedStatement; 3]> {
    let window = int(helpline_shared::rate_limit::window_start(intake.now));
    let (reporter_bucket, reporter_limit) = intake.reporter_bucket;
    let (address_bucket, address_limit) = intake.ip_bucket;
    let count_reporter = db.prepare(COUNT_ATTEMPT).bind(&[
        text(reporter_bucket),
        window.clone(),
        text(&intake.case.reporter.id),
        text(intake.idempotency_key),
    ])?;
    let count_address = db.prepare(COUNT_ADDRESS_ATTEMPT).bind(&[
        text(address_bucket),
        window.clone(),
        text(&intake.case.reporter.id),
        text(intake.idempotency_key),
        text(reporter_bucket),
        int(reporter_limit.into()),
    ])?;
    let give_back = db.prepare(GIVE_BACK_REPORTER_ATTEMPT).bind(&[
        text(reporter_bucket),
        window.clone(),
        int(reporter_limit.into()),
        text(&intake.case.reporter.id),
        text(intake.idempotency_key),
        text(address_bucket),
        int(address_limit.into()),
    ])?;
    Ok([count_reporter, count_address, give_back])
}

/// Counts the attempt, stores the case if allowed and new, and reads back what
/// is stored under the key: one batch, so one round trip and one transaction.
pub async fn intake(db: &D1Database, intake: &Intake<'_>) -> ApiResult<IntakeResult> {
    let case = intake.case;
    let context = crate::d1::json_text(&case.context)?;
    let [count_reporter, count_address, give_back] = bucket_statements(db, intake)?;
    let insert = case_insert(intake, &context).statement(db)?;
    let rule = intake.malfunction;
    let open_incident = db.prepare(with_names(OPEN_INCIDENT)).bind(&[
        text(intake.op),
        int(rule.window_ms()),
        text(intake.incident_title),
        int(intake.now),
        int(rule.threshold()),
    ])?;
    let link_burst = db.prepare(with_names(LINK_BURST)).bind(&[
        text(intake.op),
        int(rule.window_ms()),
        int(intake.now),
    ])?;
    let told_burst = db
        .prepare(with_names(TOLD_BURST))
        .bind(&[text(intake.op), int(intake.now)])?;
    let link_case = db.prepare(with_names(LINK_CASE)).bind(&[text(intake.op)])?;
    let in_incident = db
        .prepare(with_names(IN_INCIDENT))
        .bind(&[text(intake.op)])?;
    let stored = db
        .prepare(STORED_CASE)
        .bind(&[text(&case.reporter.id), text(intake.idempotency_key)])?;
    let results = db
        .batch(vec![
            count_reporter,
            count_address,
            insert,
            give_back,
            open_incident,
            link_burst,
            told_burst,
            link_case,
            in_incident,
            stored,
            index_statement(db, intake)?,
        ])
        .await?;
    #[derive(Deserialize)]
    struct Inserted {
        id: i64,
    }
    let returned = |at: usize| -> ApiResult<Option<i64>> {
        Ok(match results.get(at) {
            Some(r) => r.results::<Inserted>()?.first().map(|row| row.id),
            None => None,
        })
    };
    let inserted = returned(2)?.is_some();
    let opened_incident = returned(4)?;
    let joined_incident = returned(8)?;
    let stored = match results.get(9) {
        Some(r) => r.results::<StoredCase>()?.into_iter().next(),
        None => None,
    };
    Ok(IntakeResult {
        inserted,
        stored,
        opened_incident,
        joined_incident,
    })
}

/// Who made a change, as the audit trail records it.
pub struct EventActor<'a> {
    pub kind: ActorKind,
    pub id: Option<String>,
    pub name: Option<&'a str>,
}

/// One change to write: to the case `row` was read as, by `actor`, tagged `op`.
pub struct Write<'a> {
    pub row: &'a CaseRecord,
    pub change: &'a CaseChange,
    pub actor: &'a EventActor<'a>,
    pub policy: &'a SlaPolicy,
    pub warn_at: f64,
    pub now: EpochMillis,
    pub op: &'a str,
}

/// The version-guarded UPDATE of a change and its events' INSERTs (which land
/// only if it did). With `once_per`, a key: the UPDATE lands only if the case
/// has not had a write under that key yet, and records that it now has, so a
/// retried broadcast reaches each case once.
fn write_statements(
    db: &D1Database,
    w: &Write<'_>,
    once_per: Option<&str>,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let s = &w.change.state;
    let target = w.policy.target(s.priority);
    let rank = queue_rank(s.sla.next_due(target, w.now));
    let schedule = alert_schedule(&s.sla, target, s.status, w.row.sla_alerts, w.warn_at);
    let once = if once_per.is_some() {
        "AND NOT EXISTS (SELECT 1 FROM case_writes_once WHERE write_key = ?21 AND case_id = ?15)"
    } else {
        ""
    };
    let mut params = vec![
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
        text(w.op),
        int(w.now),
        int(w.row.id),
        int(w.row.version),
        optional_int(schedule.first_response_warning),
        optional_int(schedule.first_response_breach),
        optional_int(schedule.resolution_warning),
        optional_int(schedule.resolution_breach),
    ];
    if let Some(key) = once_per {
        params.push(text(key));
    }
    let update = db
        .prepare(format!(
            "UPDATE cases SET status = ?1, sla_paused_ms = ?2, sla_paused_since_ms = ?3,
                first_response_ms = ?4, resolved_ms = ?5, queue_rank = ?6, assignee_id = ?7,
                lease_expires_ms = ?8, escalation_team = ?9, escalation_level = ?10,
                escalation_reason = ?11, rating = ?12, version = version + 1, last_op = ?13,
                updated_ms = ?14, sla_first_response_warning_ms = ?17,
                sla_first_response_breach_ms = ?18, sla_resolution_warning_ms = ?19,
                sla_resolution_breach_ms = ?20
             WHERE id = ?15 AND version = ?16 {once}"
        ))
        .bind(&params)?;
    let mut batch = vec![update];
    for event in &w.change.events {
        batch.push(event_insert(
            db,
            w.row.id,
            w.op,
            event.kind,
            w.actor,
            event.body.as_deref(),
            event.from_status,
            event.to_status,
            w.now,
        )?);
    }
    if let Some(key) = once_per {
        batch.push(
            db.prepare(
                "INSERT OR IGNORE INTO case_writes_once (write_key, case_id, at_ms)
                 SELECT ?1, id, ?4 FROM cases WHERE id = ?2 AND last_op = ?3",
            )
            .bind(&[text(key), int(w.row.id), text(w.op), int(w.now)])?,
        );
    }
    Ok(batch)
}

fn changed(result: Option<&D1Result>) -> usize {
    result.map_or(0, crate::d1::changes)
}

/// Writes `change` to the case `row` was read as, and reads it back with its
/// timeline (public events only when `public_only`); a case changed by
/// someone else in between is a 409, and then nothing is written.
pub async fn save(db: &D1Database, w: &Write<'_>, public_only: bool) -> ApiResult<CaseWithEvents> {
    let mut batch = write_statements(db, w, None)?;
    let reads_at = batch.len();
    batch.extend(read_statements(db, Which::Id(w.row.id), public_only, None)?);
    let results = db.batch(batch).await?;
    if changed(results.first()) != 1 {
        return Err(ApiError::StaleVersion);
    }
    read_results(&results, reads_at)?
        .ok_or_else(|| ApiError::Internal("a saved case vanished".into()))
}

/// Writes each change at most once per `key` (however often this runs with
/// the same key), in as few round trips as D1's batch size allows: how many
/// of them this call wrote (the others were written before, or changed by
/// someone meanwhile).
pub async fn save_once_each(db: &D1Database, writes: &[Write<'_>], key: &str) -> ApiResult<usize> {
    /// Cases per batch: a few statements each, well inside D1's limits.
    const CASES_PER_BATCH: usize = 25;
    let mut written = 0;
    for chunk in writes.chunks(CASES_PER_BATCH) {
        let mut batch = Vec::new();
        let mut updates = Vec::new();
        for w in chunk {
            updates.push(batch.len());
            batch.extend(write_statements(db, w, Some(key))?);
        }
        let results = db.batch(batch).await?;
        written += updates
            .into_iter()
            .filter(|at| changed(results.get(*at)) == 1)
            .count();
    }
    Ok(written)
}

/// An event INSERT on case `case_id` that lands only if the write tagged `op` did.
#[allow(clippy::too_many_arguments)]
fn event_insert(
    db: &D1Database,
    case_id: i64,
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
             WHERE id = ?11 AND last_op = ?10",
        )
        .bind(&[
            text(kind.as_str()),
            int(kind.is_public() as i64),
            text(actor.kind.as_str()),
            optional(actor.id.as_deref()),
            optional(actor.name),
            optional(body),
            optional(from.map(CaseStatus::as_str)),
            optional(to.map(CaseStatus::as_str)),
            int(now),
            text(op),
            int(case_id),
        ])?)
}
