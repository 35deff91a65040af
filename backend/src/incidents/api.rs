//! `GET /v1/incidents`, `GET /v1/incidents/{id}`,
//! `POST /v1/incidents/{id}/resolve` and `POST /v1/incidents/{id}/reply`
//! (specialists; the reply goes to every case of the incident that is not
//! closed, as a public message).

use helpline_shared::api::{
    IncidentDetail, IncidentList, IncidentReplied, MessageRequest, ResolveIncidentRequest,
};
use helpline_shared::case::validate_idempotency_key;
use helpline_shared::change::{apply, Actor, CaseCommand};
use helpline_shared::incident;
use helpline_shared::lifecycle::Role;
use helpline_shared::limits::REASON_MAX_CHARS;
use helpline_shared::record::ActorKind;
use helpline_shared::{text, ValidationError};
use worker::Response;

use super::store;
use crate::cases::service;
use crate::cases::store::{self as case_store, EventActor};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{http, notify, random};
use helpline_shared::audience::{case_summary, Viewer};

/// The most cases one incident lists or answers at once.
const INCIDENT_CASES_MAX: i64 = 500;

fn incident_id(segment: &str) -> ApiResult<i64> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

pub async fn list(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let mut status = None;
    for (name, value) in http::query_pairs(&ctx.req)? {
        if name == "status" {
            match value.as_str() {
                "open" | "resolved" => status = Some(value),
                "" | "all" => status = None,
                _ => {
                    return Err(ValidationError::Invalid {
                        field: "status",
                        reason: "use open, resolved or all",
                    }
                    .into())
                }
            }
        }
    }
    let incidents = store::list(&ctx.db, status.as_deref()).await?;
    http::json(200, &IncidentList { incidents })
}

pub async fn get(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let id = incident_id(id)?;
    let incident = store::load(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    let cases = store::cases(&ctx.db, id, INCIDENT_CASES_MAX)
        .await?
        .iter()
        .map(|row| case_summary(row, Viewer::Specialist))
        .collect();
    http::json(200, &IncidentDetail { incident, cases })
}

pub async fn resolve(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let who = ctx.specialist(Role::Specialist).await?;
    let id = incident_id(id)?;
    let body: ResolveIncidentRequest = http::read_json_or_default(&mut ctx.req).await?;
    let resolution = text::optional("resolution", body.resolution.as_deref(), REASON_MAX_CHARS)?;
    let now = http::now();
    if !store::resolve(&ctx.db, id, &who.name, resolution.as_deref(), now).await? {
        return match store::load(&ctx.db, id).await? {
            Some(_) => Err(ApiError::Conflict(
                "the incident is already resolved".into(),
            )),
            None => Err(ApiError::NotFound),
        };
    }
    let incident = store::load(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    let told = incident::resolved(id, &incident.title, &who.name, resolution.as_deref(), now);
    notify::enqueue(ctx.env, vec![told]).await;
    http::json(200, &incident)
}

/// One public reply to every open case of the incident, as one idempotent
/// operation: under one `Idempotency-Key` (or a fresh one), each case gets
/// the message at most once however often the request is retried, and a
/// retry after a complete reply answers what the first one did.
pub async fn reply(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let who = ctx.specialist(Role::Specialist).await?;
    let id = incident_id(id)?;
    let key = match ctx.req.headers().get("Idempotency-Key")? {
        Some(key) => validate_idempotency_key(&key)?,
        None => random::op_id()?,
    };
    let body: MessageRequest = http::read_json(&mut ctx.req).await?;
    text::required(
        "body",
        &body.body,
        helpline_shared::limits::MESSAGE_MAX_CHARS,
        true,
    )?;
    store::load(&ctx.db, id).await?.ok_or(ApiError::NotFound)?;
    if let Some(done) = store::reply_answer(&ctx.db, id, &key).await? {
        return http::json(200, &done);
    }
    let now = http::now();
    let actor = EventActor {
        kind: ActorKind::Specialist,
        id: Some(who.id.to_string()),
        name: Some(&who.name),
    };
    let rows = store::cases(&ctx.db, id, INCIDENT_CASES_MAX).await?;
    let mut changes = Vec::new();
    let mut skipped = 0;
    for row in &rows {
        let command = CaseCommand::Broadcast {
            body: body.body.clone(),
        };
        let specialist = Actor::Specialist {
            id: who.id,
            role: who.role,
        };
        match apply(
            &row.state(),
            command,
            specialist,
            now,
            ctx.config.claim_lease,
        ) {
            Ok(change) => changes.push((row, change, random::op_id()?)),
            // Closed: nothing to answer.
            Err(_) => skipped += 1,
        }
    }
    let writes: Vec<_> = changes
        .iter()
        .map(|(row, change, op)| service::write(&ctx.config, row, change, &actor, now, op))
        .collect();
    let replied =
        case_store::save_once_each(&ctx.db, &writes, &format!("incident-reply:{id}:{key}")).await?;
    // A case changed by someone between the read and the write, or answered
    // by an earlier try under this key, counts as skipped here.
    let answered = IncidentReplied {
        replied,
        skipped: skipped + (writes.len() - replied),
    };
    store::keep_reply_answer(&ctx.db, id, &key, &answered, now).await?;
    http::json(200, &answered)
}
