//! Running a command on a case: load it, check the caller may see it, let the
//! core decide the change, store it with its events, and answer with the case
//! as the caller may see it.

use helpline_shared::change::{
    apply, returned_to_queue, Actor, CaseChange, CaseCommand, Colleague,
};
use helpline_shared::clock::EpochMillis;
use worker::{D1Database, Env, Request, Response};

use super::store::{self, CaseWithEvents, EventActor};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::reporters;
use crate::specialists::auth;
use crate::{http, notify, random};
use helpline_shared::api::SpecialistSummary;
use helpline_shared::audience::{case_view, may_see, Policies, Viewer};
use helpline_shared::identity::ReporterIdentity;
use helpline_shared::lifecycle::Role;
use helpline_shared::notify::{for_change, Notification};
use helpline_shared::record::{ActorKind, CaseRecord};

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

    pub fn viewer(&self) -> Viewer<'_> {
        match self {
            Caller::Specialist(_) => Viewer::Specialist,
            Caller::Reporter(r) => Viewer::Reporter(&r.id),
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
                kind: ActorKind::Specialist,
                id: Some(s.id.to_string()),
                name: Some(&s.name),
            },
            Caller::Reporter(r) => EventActor {
                kind: ActorKind::Reporter,
                id: Some(r.id.clone()),
                name: None,
            },
        }
    }
}

/// The case, if the caller may see it. Another reporter's case is "not found",
/// so ids reveal nothing about what exists.
async fn visible_case(db: &D1Database, id: i64, caller: &Caller) -> ApiResult<CaseRecord> {
    match store::load(db, id).await? {
        Some(row) if may_see(&row, caller.viewer()) => Ok(row),
        _ => Err(ApiError::NotFound),
    }
}

/// Case `id` as `caller` may see it, with its timeline.
pub async fn show(
    db: &D1Database,
    id: i64,
    caller: &Caller,
    config: &Config,
    events_before: Option<i64>,
) -> ApiResult<Response> {
    let public_only = caller.viewer().public_only();
    match store::load_with_events(db, id, public_only, events_before).await? {
        Some(found) if may_see(&found.0, caller.viewer()) => case_response(found, caller, config),
        _ => Err(ApiError::NotFound),
    }
}

/// The answer with a case as `caller` may see it, read at the end of a batch.
pub fn case_response(
    (row, events, tried): CaseWithEvents,
    caller: &Caller,
    config: &Config,
) -> ApiResult<Response> {
    let policies = Policies {
        sla: &config.sla_policy,
        escalation: &config.escalation,
    };
    let view = case_view(&row, events, tried, caller.viewer(), &policies, http::now());
    let mut response = http::json(200, &view)?;
    response
        .headers_mut()
        .set("ETag", &format!("\"{}\"", row.version))?;
    Ok(response)
}

/// Runs `command` on case `id` for the caller behind `req`, tells the team
/// channel what it should hear of it, and answers with the case.
pub async fn run(
    ctx: &Ctx<'_>,
    id: &str,
    command: CaseCommand,
    caller: Caller,
) -> ApiResult<Response> {
    let id = http::case_id(id)?;
    let expected = http::if_match(&ctx.req)?;
    let changed = change(ctx.env, &ctx.config, id, command, &caller, expected).await?;
    notify::enqueue(ctx.env, changed.notifications).await;
    case_response(changed.saved, &caller, &ctx.config)
}

/// The active colleague with row id `id`, whom a case can be handed to
/// (`None`: nobody by that id is active, the handover's own refusal).
pub async fn colleague(db: &D1Database, id: i64) -> ApiResult<Option<Colleague>> {
    Ok(crate::specialists::store::active_by_id(db, id)
        .await?
        .map(|s| Colleague {
            id: s.id,
            name: s.name,
        }))
}

/// A stored change: the case as read back, and what the channel should hear.
pub struct Changed {
    pub saved: CaseWithEvents,
    pub notifications: Vec<Notification>,
}

/// Applies `command` to case `id` for `caller` and stores it, if the case is
/// still at `expected_version` (when given).
pub async fn change(
    env: &Env,
    config: &Config,
    id: i64,
    command: CaseCommand,
    caller: &Caller,
    expected_version: Option<i64>,
) -> ApiResult<Changed> {
    let db = env.d1("DB")?;
    let row = visible_case(&db, id, caller).await?;
    if expected_version.is_some_and(|expected| expected != row.version) {
        return Err(ApiError::StaleVersion);
    }
    let now = http::now();
    let change = apply(
        &row.state(),
        command,
        caller.actor(),
        now,
        config.claim_lease,
    )?;
    let op = random::op_id()?;
    let public_only = caller.viewer().public_only();
    let actor = caller.event_actor();
    let write = write(config, &row, &change, &actor, now, &op);
    let saved = store::save(&db, &write, public_only).await?;
    let by = actor.name.unwrap_or("the reporter");
    Ok(Changed {
        saved,
        notifications: for_change(&config.escalation, &row.line(), &change, by, now),
    })
}

/// A change to store, with the SLA settings in force.
pub fn write<'a>(
    config: &'a Config,
    row: &'a CaseRecord,
    change: &'a CaseChange,
    actor: &'a EventActor<'a>,
    now: EpochMillis,
    op: &'a str,
) -> store::Write<'a> {
    store::Write {
        row,
        change,
        actor,
        policy: &config.sla_policy,
        warn_at: config.sla_warn_at,
        now,
        op,
    }
}

/// The most cases one revocation hands back; a holder of more (nobody should
/// be) stays active and a second revocation call hands back the rest.
pub const RETURNED_PER_REVOCATION_MAX: i64 = 500;

/// How often a case changed by someone else meanwhile is read again and
/// returned anew before the revocation gives up (and can be retried).
const RETURN_TRIES: usize = 3;

/// Every open case `specialist` holds goes back to the queue, each with its
/// events (`change::returned_to_queue`): how many were held (at most
/// [`RETURNED_PER_REVOCATION_MAX`]). A case that keeps changing under it is an
/// error, so the caller does not revoke with cases still held.
pub async fn return_cases_of(
    env: &Env,
    config: &Config,
    specialist: &SpecialistSummary,
) -> ApiResult<usize> {
    let db = env.d1("DB")?;
    let why = format!(
        "returned to the queue: {}'s access was revoked",
        specialist.name
    );
    let actor = EventActor {
        kind: ActorKind::System,
        id: None,
        name: None,
    };
    let held = store::held_by(&db, specialist.id, RETURNED_PER_REVOCATION_MAX).await?;
    for first_read in &held {
        let mut row = first_read.clone();
        for attempt in 1..=RETURN_TRIES {
            let now = http::now();
            let change = returned_to_queue(&row.state(), &why, now);
            let op = random::op_id()?;
            match store::save(&db, &write(config, &row, &change, &actor, now, &op), false).await {
                Ok(_) => break,
                // Changed meanwhile (its reporter wrote, say): read it again.
                Err(ApiError::StaleVersion) if attempt < RETURN_TRIES => {
                    match store::load(&db, row.id).await? {
                        Some(fresh) if fresh.assignee_id == Some(specialist.id) => row = fresh,
                        // Someone else took it, or it closed: nothing to return.
                        _ => break,
                    }
                }
                Err(err) => return Err(err),
            }
        }
    }
    Ok(held.len())
}
