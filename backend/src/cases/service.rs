//! Running a command on a case: load it, check the caller may see it, let the
//! core decide the change, store it with its events, and answer with the case
//! as the caller may see it.

use helpline_shared::change::{apply, Actor, CaseCommand};
use worker::{D1Database, Env, Request, Response};

use super::store::{self, CaseRow, EventActor};
use super::view::{case_view, Audience};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::reporters::{self, ReporterIdentity};
use crate::specialists::auth;
use crate::{http, random};
use helpline_shared::api::SpecialistSummary;
use helpline_shared::lifecycle::Role;

/// Who is asking about a case.
pub enum Caller {
    Specialist(SpecialistSummary),
    Reporter(ReporterIdentity),
}

impl Caller {
    /// A bearer token makes the caller a specialist; otherwise they must be a
    /// signed reporter.
    pub async fn identify(req: &Request, db: &D1Database, config: &Config) -> ApiResult<Caller> {
        if auth::has_token(req) {
            Ok(Caller::Specialist(
                auth::require(req, db, config, Role::Specialist).await?,
            ))
        } else {
            Ok(Caller::Reporter(reporters::identify(req, config)?))
        }
    }

    pub fn audience(&self) -> Audience {
        match self {
            Caller::Specialist(_) => Audience::Specialist,
            Caller::Reporter(_) => Audience::Reporter,
        }
    }

    fn actor(&self) -> Actor {
        match self {
            Caller::Specialist(s) => Actor::Specialist {
                id: s.id,
                role: s.role,
            },
            Caller::Reporter(_) => Actor::Reporter,
        }
    }

    fn event_actor(&self) -> EventActor<'_> {
        match self {
            Caller::Specialist(s) => EventActor {
                kind: "specialist",
                id: Some(s.id.to_string()),
                name: Some(&s.name),
            },
            Caller::Reporter(r) => EventActor {
                kind: "reporter",
                id: Some(r.id.clone()),
                name: None,
            },
        }
    }
}

/// The case, if the caller may see it. Another reporter's case is "not found",
/// so ids reveal nothing about what exists.
pub async fn visible_case(db: &D1Database, id: i64, caller: &Caller) -> ApiResult<CaseRow> {
    let row = store::load(db, id).await?.ok_or(ApiError::NotFound)?;
    match caller {
        Caller::Reporter(r) if r.id != row.reporter_id => Err(ApiError::NotFound),
        _ => Ok(row),
    }
}

/// The case as `caller` may see it, with its timeline.
pub async fn answer(
    db: &D1Database,
    id: i64,
    caller: &Caller,
    config: &Config,
    status: u16,
) -> ApiResult<Response> {
    let row = visible_case(db, id, caller).await?;
    let audience = caller.audience();
    let events = store::events(db, id, audience == Audience::Reporter).await?;
    let view = case_view(&row, events, audience, &config.sla_policy, http::now())?;
    let mut response = http::json(status, &view)?;
    response
        .headers_mut()
        .set("ETag", &format!("\"{}\"", row.version))?;
    Ok(response)
}

/// Runs `command` on case `id` for the caller behind `req`.
pub async fn run(
    req: &Request,
    env: &Env,
    id: &str,
    command: CaseCommand,
    caller: Caller,
) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let config = Config::from_env(env);
    let id = http::case_id(id)?;
    let row = visible_case(&db, id, &caller).await?;
    if let Some(expected) = http::if_match(req)? {
        if expected != row.version {
            return Err(ApiError::StaleVersion);
        }
    }
    let now = http::now();
    let change = apply(
        &row.state()?,
        command,
        caller.actor(),
        now,
        config.claim_lease,
    )?;
    let op = random::op_id()?;
    store::save(
        &db,
        &row,
        &change,
        &caller.event_actor(),
        &config.sla_policy,
        now,
        &op,
    )
    .await?;
    answer(&db, id, &caller, &config, 200).await
}
