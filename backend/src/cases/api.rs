//! The case routes. Each handler is parse → core → store → answer.
//!
//! Reporter side (signed identity): `POST /v1/cases`, `GET /v1/cases/mine`,
//! `GET /v1/cases/{id}`, `POST /v1/cases/{id}/messages`, `POST /v1/cases/{id}/feedback`.
//! Specialist side (bearer token): `GET /v1/cases/{id}`, `POST …/reply`, `…/note`,
//! `…/status`, `…/escalate`, `…/release`.

use helpline_shared::api::{
    CaseCreated, CreateCaseRequest, EscalateRequest, FeedbackRequest, MessageRequest, MyCases,
    StatusRequest,
};
use helpline_shared::case::{
    first_response_due, human_ref, intake_outcome, request_fingerprint, validate_idempotency_key,
    validate_new_case, verified_reporter, IntakeOutcome,
};
use helpline_shared::change::CaseCommand;
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::{CaseStatus, Role};
use helpline_shared::priority::Priority;
use helpline_shared::rate_limit::{
    ip_bucket, message_bucket, reporter_bucket, retry_after_seconds,
};
use helpline_shared::sla::SlaClock;
use helpline_shared::sla_watch::alert_schedule;
use helpline_shared::ValidationError;
use worker::{Env, Request, Response};

use super::service::{self, Caller};
use super::store::{self, Intake, StoredCase};
use super::view::{summary, Audience};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::specialists::auth;
use crate::{http, incidents, notify, random, reporters};
use helpline_shared::malfunction::{incident_title, signature};
use helpline_shared::notify::{for_new_case, CaseLine};

fn created(stored: &StoredCase, config: &Config, status: u16) -> ApiResult<Response> {
    let priority = Priority::parse(&stored.priority)
        .ok_or_else(|| worker::Error::RustError(format!("stored priority {}", stored.priority)))?;
    let case_status = CaseStatus::parse(&stored.status)
        .ok_or_else(|| worker::Error::RustError(format!("stored status {}", stored.status)))?;
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

pub async fn create(mut req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    let reporter = reporters::identify(&req, &config)?;
    let input: CreateCaseRequest = http::read_json(&mut req).await?;
    let mut case = validate_new_case(&input)?;
    // A signed identity token names the reporter: its name and email stand,
    // whatever the body says; otherwise the body's are kept, unverified.
    if let Some(claims) = &reporter.claims {
        case.reporter = verified_reporter(claims)?;
    }
    if case.reporter.id != reporter.id {
        return Err(ValidationError::Invalid {
            field: "reporter.id",
            reason: "must be the signed-in user",
        }
        .into());
    }
    let key = match req.headers().get("Idempotency-Key")? {
        Some(key) => validate_idempotency_key(&key)?,
        // Without a key a retry cannot be recognised; every send is new.
        None => random::op_id()?,
    };
    let fingerprint = request_fingerprint(&input);
    let ip = req
        .headers()
        .get("CF-Connecting-IP")?
        .unwrap_or_else(|| "unknown".into());
    let now = http::now();
    let (reporter_bucket, ip_bucket) = (reporter_bucket(&reporter.id), ip_bucket(&ip));
    let signature = signature(&case.platform, case.category.as_deref(), &case.context);
    let op = random::op_id()?;
    let result = store::intake(
        &env.d1("DB")?,
        &Intake {
            case: &case,
            idempotency_key: &key,
            fingerprint: &fingerprint,
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
            signature: &signature,
            malfunction: config.malfunction,
            incident_title: &incident_title(&signature),
            op: &op,
        },
    )
    .await?;
    let stored_fingerprint = result
        .stored
        .as_ref()
        .map(|s| s.request_fingerprint.as_str());
    match (
        intake_outcome(result.inserted, stored_fingerprint, &fingerprint),
        &result.stored,
    ) {
        (IntakeOutcome::Created, Some(stored)) => {
            let line = CaseLine {
                id: stored.id,
                case_ref: human_ref(stored.id),
                priority: case.priority.as_str().into(),
                platform: case.platform.clone(),
                title: case.title.clone(),
            };
            // A case of an incident is told to the channel through it: one
            // message when it opens, then a periodic count, never a page each.
            let notes = match (result.opened_incident, result.joined_incident) {
                (Some(incident), _) => vec![incidents::opened(&config, incident, &signature, now)],
                (None, Some(_)) => vec![],
                (None, None) => for_new_case(&config.escalation, &line, case.priority, now),
            };
            notify::enqueue(env, notes).await;
            created(stored, &config, 201)
        }
        (IntakeOutcome::Replayed, Some(stored)) => created(stored, &config, 200),
        (IntakeOutcome::KeyReused, _) => Err(ApiError::IdempotencyConflict),
        _ => Err(ApiError::RateLimited {
            retry_after: retry_after_seconds(now),
        }),
    }
}

pub async fn mine(req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    let reporter = reporters::identify(&req, &config)?;
    let rows = store::of_reporter(&env.d1("DB")?, &reporter.id, 50).await?;
    let cases = rows
        .iter()
        .map(|row| summary(row, Audience::Reporter))
        .collect::<ApiResult<_>>()?;
    http::json(200, &MyCases { cases })
}

pub async fn get(req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let config = Config::from_env(env);
    let caller = Caller::identify(&req, &db, &config).await?;
    let before = match http::query_pairs(&req)?
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
    service::show(&db, http::case_id(id)?, &caller, &config, before).await
}

async fn reporter(req: &Request, env: &Env) -> ApiResult<Caller> {
    Ok(Caller::Reporter(reporters::identify(
        req,
        &Config::from_env(env),
    )?))
}

async fn specialist(req: &Request, env: &Env) -> ApiResult<Caller> {
    let db = env.d1("DB")?;
    let s = auth::require(req, &db, &Config::from_env(env), Role::Specialist).await?;
    Ok(Caller::Specialist(s))
}

pub async fn message(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = reporter(&req, env).await?;
    let body: MessageRequest = http::read_json(&mut req).await?;
    // A reporter writing faster than a person types is refused, in a bucket
    // of their own for this case (nobody else's allowance is spent).
    if let Caller::Reporter(who) = &caller {
        let config = Config::from_env(env);
        let now = http::now();
        let bucket = message_bucket(http::case_id(id)?, &who.id);
        let count = store::count_message(&env.d1("DB")?, &bucket, now).await?;
        if count > i64::from(config.messages_per_case_per_minute) {
            return Err(ApiError::RateLimited {
                retry_after: retry_after_seconds(now),
            });
        }
    }
    service::run(
        &req,
        env,
        id,
        CaseCommand::ReporterMessage { body: body.body },
        caller,
    )
    .await
}

pub async fn feedback(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = reporter(&req, env).await?;
    let body: FeedbackRequest = http::read_json(&mut req).await?;
    let command = CaseCommand::Feedback {
        rating: body.rating,
        comment: body.comment,
    };
    service::run(&req, env, id, command, caller).await
}

pub async fn reply(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = specialist(&req, env).await?;
    let body: MessageRequest = http::read_json(&mut req).await?;
    service::run(
        &req,
        env,
        id,
        CaseCommand::Reply { body: body.body },
        caller,
    )
    .await
}

pub async fn note(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = specialist(&req, env).await?;
    let body: MessageRequest = http::read_json(&mut req).await?;
    service::run(&req, env, id, CaseCommand::Note { body: body.body }, caller).await
}

pub async fn status(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = specialist(&req, env).await?;
    let body: StatusRequest = http::read_json(&mut req).await?;
    let command = CaseCommand::SetStatus { to: body.status };
    service::run(&req, env, id, command, caller).await
}

pub async fn escalate(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = specialist(&req, env).await?;
    let body: EscalateRequest = http::read_json(&mut req).await?;
    Config::from_env(env)
        .escalation
        .route(&body.team, body.level, http::now())?;
    let command = CaseCommand::Escalate {
        team: body.team,
        level: body.level,
        reason: body.reason,
    };
    service::run(&req, env, id, command, caller).await
}

pub async fn release(req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let caller = specialist(&req, env).await?;
    service::run(&req, env, id, CaseCommand::Release, caller).await
}
