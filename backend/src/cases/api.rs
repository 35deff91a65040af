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
    first_response_due, human_ref, request_fingerprint, validate_idempotency_key, validate_new_case,
};
use helpline_shared::change::CaseCommand;
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::Role;
use helpline_shared::rate_limit::{ip_bucket, reporter_bucket};
use helpline_shared::ValidationError;
use worker::{D1Database, Env, Request, Response};

use super::service::{self, Caller};
use super::store::{self, CaseRow, Intake};
use super::view::{summary, Audience};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::specialists::auth;
use crate::{http, random, rate_limit, reporters};

/// The answer to a submission that was already stored: the same case if the
/// content matches, a conflict if the key is being reused for something else.
fn replay(row: &CaseRow, fingerprint: &str, config: &Config) -> ApiResult<Response> {
    if row.request_fingerprint != fingerprint {
        return Err(ApiError::IdempotencyConflict);
    }
    created(row, config, 200)
}

fn created(row: &CaseRow, config: &Config, status: u16) -> ApiResult<Response> {
    let priority = row.priority()?;
    http::json(
        status,
        &CaseCreated {
            id: row.id,
            reference: human_ref(row.id),
            status: row.status()?,
            priority,
            first_response_due: iso(first_response_due(
                priority,
                row.created_ms,
                &config.sla_policy,
            )),
        },
    )
}

async fn existing(db: &D1Database, reporter: &str, key: &str) -> ApiResult<Option<CaseRow>> {
    store::by_idempotency_key(db, reporter, key).await
}

pub async fn create(mut req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    let reporter = reporters::identify(&req, &config)?;
    let input: CreateCaseRequest = http::read_json(&mut req).await?;
    let case = validate_new_case(&input)?;
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
    let db = env.d1("DB")?;
    if let Some(row) = existing(&db, &reporter.id, &key).await? {
        return replay(&row, &fingerprint, &config);
    }

    let now = http::now();
    let ip = req
        .headers()
        .get("CF-Connecting-IP")?
        .unwrap_or_else(|| "unknown".into());
    let limited = async {
        rate_limit::hit(
            &db,
            &reporter_bucket(&reporter.id),
            config.cases_per_reporter_per_minute,
            now,
        )
        .await?;
        rate_limit::hit(&db, &ip_bucket(&ip), config.cases_per_ip_per_minute, now).await
    }
    .await;
    if let Err(err) = limited {
        // A twin of this request may have been stored meanwhile: a retry is
        // answered with its case, not told to slow down.
        return match existing(&db, &reporter.id, &key).await? {
            Some(row) => replay(&row, &fingerprint, &config),
            None => Err(err),
        };
    }

    let intake = Intake {
        case: &case,
        idempotency_key: &key,
        fingerprint: &fingerprint,
        first_response_due: first_response_due(case.priority, now, &config.sla_policy),
        now,
    };
    let inserted = store::insert(&db, &intake).await?;
    let row = existing(&db, &reporter.id, &key)
        .await?
        .ok_or_else(|| worker::Error::RustError("stored case vanished".into()))?;
    match inserted {
        Some(_) => created(&row, &config, 201),
        None => replay(&row, &fingerprint, &config),
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
    service::answer(&db, http::case_id(id)?, &caller, &config, 200).await
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
