//! The case routes. Each handler is parse → core → store → answer.
//!
//! Reporter side (signed identity): `POST /v1/cases`, `GET /v1/cases/mine`,
//! `GET /v1/cases/{id}`, `POST /v1/cases/{id}/messages`, `POST /v1/cases/{id}/feedback`.
//! Specialist side (bearer token): `GET /v1/cases?q=` (search), `GET /v1/cases/{id}`, `POST …/reply`, `…/note`,
//! `…/status`, `…/escalate`, `…/release`, `…/assign`.

use helpline_shared::api::{
    AssignRequest, CaseCreated, CreateCaseRequest, EscalateRequest, FeedbackRequest, FoundCases,
    MessageRequest, MyCases, StatusRequest,
};
use helpline_shared::case::{
    as_signed_reporter, first_response_due, human_ref, intake_outcome, request_fingerprint,
    validate_idempotency_key, validate_new_case, IntakeOutcome, NewCase,
};
use helpline_shared::case_search::parse_search;
use helpline_shared::change::CaseCommand;
use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::incident::{for_arrival, Arrival};
use helpline_shared::lifecycle::{CaseStatus, Role};
use helpline_shared::rate_limit::{
    ip_bucket, message_bucket, reporter_bucket, retry_after_seconds,
};
use helpline_shared::sla::SlaClock;
use helpline_shared::sla_watch::alert_schedule;
use helpline_shared::ValidationError;
use worker::Response;

use super::service::{self, Caller};
use super::store::{self, Intake, StoredCase};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{http, notify, random};
use helpline_shared::audience::{case_summary, Viewer};
use helpline_shared::malfunction::{incident_title, signature};
use helpline_shared::notify::CaseLine;

fn created(stored: &StoredCase, config: &Config, status: u16) -> ApiResult<Response> {
    let (priority, case_status) = (stored.priority, stored.status);
    http::json(
        status,
        &CaseCreated {
            id: stored.id,
            reference: human_ref(stored.id),
            status: case_status,
            priority,
            first_response_due: iso(first_response_due(
                priority,
                stored.created_ms,
                &config.sla_policy,
            )),
        },
    )
}

pub async fn create(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    let reporter = ctx.reporter()?;
    let input: CreateCaseRequest = http::read_json(&mut ctx.req).await?;
    let case = validate_new_case(&input)?;
    let case = as_signed_reporter(case, &reporter.id, reporter.claims.as_ref())?;
    let key = match ctx.req.headers().get("Idempotency-Key")? {
        Some(key) => validate_idempotency_key(&key)?,
        // Without a key a retry cannot be recognised; every send is new.
        None => random::op_id()?,
    };
    let arriving = Arriving {
        fingerprint: request_fingerprint(&input),
        signature: signature(&case.platform, case.category.as_deref(), &case.context),
        now: http::now(),
        case,
        key,
    };
    let result = intake(&ctx, &arriving).await?;
    let stored_fingerprint = result
        .stored
        .as_ref()
        .map(|s| s.request_fingerprint.as_str());
    let outcome = intake_outcome(result.inserted, stored_fingerprint, &arriving.fingerprint);
    match (outcome, &result.stored) {
        (IntakeOutcome::Created, Some(stored)) => {
            tell_arrival(&ctx, &arriving, &result, stored.id).await;
            created(stored, &ctx.config, 201)
        }
        (IntakeOutcome::Replayed, Some(stored)) => created(stored, &ctx.config, 200),
        (IntakeOutcome::KeyReused, _) => Err(ApiError::IdempotencyConflict),
        _ => Err(ApiError::RateLimited {
            retry_after: retry_after_seconds(arriving.now),
        }),
    }
}

/// A validated case on its way in, with what identifies it.
struct Arriving {
    case: NewCase,
    key: String,
    fingerprint: String,
    signature: String,
    now: EpochMillis,
}

/// The intake's one batch (`store::intake`) for `arriving`.
async fn intake(ctx: &Ctx<'_>, arriving: &Arriving) -> ApiResult<store::IntakeResult> {
    let (case, now, config) = (&arriving.case, arriving.now, &ctx.config);
    let ip = ctx
        .req
        .headers()
        .get("CF-Connecting-IP")?
        .unwrap_or_else(|| "unknown".into());
    let (reporter_bucket, ip_bucket) = (reporter_bucket(&case.reporter.id), ip_bucket(&ip));
    let op = random::op_id()?;
    let intake = Intake {
        case,
        idempotency_key: &arriving.key,
        fingerprint: &arriving.fingerprint,
        first_response_due: first_response_due(case.priority, now, &config.sla_policy),
        schedule: alert_schedule(
            &SlaClock::started(now),
            config.sla_policy.target(case.priority),
            CaseStatus::Queued,
            0,
            config.sla_warn_at,
        ),
        now,
        reporter_bucket: (&reporter_bucket, config.cases_per_reporter_per_minute),
        ip_bucket: (&ip_bucket, config.cases_per_ip_per_minute),
        signature: &arriving.signature,
        malfunction: config.malfunction,
        incident_title: &incident_title(&arriving.signature),
        op: &op,
    };
    store::intake(&ctx.db, &intake).await
}

/// Tells the channel of a case just created (`incident::for_arrival`).
async fn tell_arrival(ctx: &Ctx<'_>, arriving: &Arriving, result: &store::IntakeResult, id: i64) {
    let case = &arriving.case;
    let line = CaseLine {
        id,
        case_ref: human_ref(id),
        priority: case.priority.as_str().into(),
        platform: case.platform.clone(),
        title: case.title.clone(),
    };
    let arrival = match (result.opened_incident, result.joined_incident) {
        (Some(incident), _) => Arrival::Opened(incident),
        (None, Some(_)) => Arrival::Joined,
        (None, None) => Arrival::Alone,
    };
    let config = &ctx.config;
    let notes = for_arrival(
        arrival,
        (&config.escalation, config.malfunction),
        &line,
        (case.priority, &arriving.signature),
        arriving.now,
    );
    notify::enqueue(ctx.env, notes).await;
}

pub async fn mine(ctx: Ctx<'_>) -> ApiResult<Response> {
    let reporter = ctx.reporter()?;
    let rows = store::of_reporter(&ctx.db, &reporter.id, 50).await?;
    let cases = rows
        .iter()
        .map(|row| case_summary(row, Viewer::Reporter(&reporter.id)))
        .collect();
    http::json(200, &MyCases { cases })
}

pub async fn search(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let pairs = http::query_pairs(&ctx.req)?;
    let search = parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let mut rows = store::search(&ctx.db, &search).await?;
    let more = rows.len() > search.limit;
    rows.truncate(search.limit);
    let cases = rows
        .iter()
        .map(|row| case_summary(row, Viewer::Specialist))
        .collect();
    let next_cursor = search.next_cursor(rows.len(), more);
    http::json(200, &FoundCases { cases, next_cursor })
}

pub async fn get(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = ctx.caller().await?;
    let before = match http::query_pairs(&ctx.req)?
        .into_iter()
        .find(|(k, _)| k == "events_before")
    {
        None => None,
        Some((_, v)) => Some(v.parse::<i64>().ok().filter(|id| *id > 0).ok_or(
            ValidationError::Invalid {
                field: "events_before",
                reason: "pass the events_before of a case you read",
            },
        )?),
    };
    service::show(&ctx.db, http::case_id(id)?, &caller, &ctx.config, before).await
}

pub async fn message(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Reporter(ctx.reporter()?);
    let body: MessageRequest = http::read_json(&mut ctx.req).await?;
    // A reporter writing faster than a person types is refused, in a bucket
    // of their own for this case (nobody else's allowance is spent).
    if let Caller::Reporter(who) = &caller {
        let now = http::now();
        let bucket = message_bucket(http::case_id(id)?, &who.id);
        let count = store::count_message(&ctx.db, &bucket, now).await?;
        if count > i64::from(ctx.config.messages_per_case_per_minute) {
            return Err(ApiError::RateLimited {
                retry_after: retry_after_seconds(now),
            });
        }
    }
    service::run(
        &ctx,
        id,
        CaseCommand::ReporterMessage { body: body.body },
        caller,
    )
    .await
}

pub async fn feedback(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Reporter(ctx.reporter()?);
    let body: FeedbackRequest = http::read_json(&mut ctx.req).await?;
    let command = CaseCommand::Feedback {
        rating: body.rating,
        comment: body.comment,
    };
    service::run(&ctx, id, command, caller).await
}

pub async fn reply(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    let body: MessageRequest = http::read_json(&mut ctx.req).await?;
    service::run(&ctx, id, CaseCommand::Reply { body: body.body }, caller).await
}

pub async fn note(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    let body: MessageRequest = http::read_json(&mut ctx.req).await?;
    service::run(&ctx, id, CaseCommand::Note { body: body.body }, caller).await
}

pub async fn status(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    let body: StatusRequest = http::read_json(&mut ctx.req).await?;
    let command = CaseCommand::SetStatus { to: body.status };
    service::run(&ctx, id, command, caller).await
}

pub async fn escalate(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    let body: EscalateRequest = http::read_json(&mut ctx.req).await?;
    ctx.config
        .escalation
        .route(&body.team, body.level, http::now())?;
    let command = CaseCommand::Escalate {
        team: body.team,
        level: body.level,
        reason: body.reason,
    };
    service::run(&ctx, id, command, caller).await
}

pub async fn release(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    service::run(&ctx, id, CaseCommand::Release, caller).await
}

pub async fn assign(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let caller = Caller::Specialist(ctx.specialist(Role::Specialist).await?);
    let body: AssignRequest = http::read_json(&mut ctx.req).await?;
    let to = service::colleague(&ctx.db, body.specialist_id).await?;
    let command = CaseCommand::Assign {
        to,
        note: body.note,
    };
    service::run(&ctx, id, command, caller).await
}
