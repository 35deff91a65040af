//! `GET /v1/incidents`, `GET /v1/incidents/{id}`,
//! `POST /v1/incidents/{id}/resolve` and `POST /v1/incidents/{id}/reply`
//! (specialists; the reply goes to every case of the incident that is not
//! closed, as a public message).

use helpline_shared::api::{
    IncidentDetail, IncidentList, IncidentReplied, MessageRequest, ResolveIncidentRequest,
};
use helpline_shared::change::CaseCommand;
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::{CaseStatus, Role};
use helpline_shared::limits::REASON_MAX_CHARS;
use helpline_shared::notify::{Notification, NotificationKind};
use helpline_shared::{text, ValidationError};
use worker::{Env, Request, Response};

use super::store;
use crate::cases::service::{self, Caller};
use crate::cases::view::{summary, Audience};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::specialists::auth;
use crate::{http, notify};

/// The most cases one incident lists or answers at once.
const INCIDENT_CASES_MAX: i64 = 500;

fn incident_id(segment: &str) -> ApiResult<i64> {
    segment
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}

pub async fn list(req: Request, env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    auth::require(&req, &db, &Config::from_env(env), Role::Specialist).await?;
    let mut status = None;
    for (name, value) in http::query_pairs(&req)? {
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
    let incidents = store::list(&db, status.as_deref()).await?;
    http::json(200, &IncidentList { incidents })
}

pub async fn get(req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    auth::require(&req, &db, &Config::from_env(env), Role::Specialist).await?;
    let id = incident_id(id)?;
    let incident = store::load(&db, id).await?.ok_or(ApiError::NotFound)?;
    let cases = store::cases(&db, id, INCIDENT_CASES_MAX)
        .await?
        .iter()
        .map(|row| summary(row, Audience::Specialist))
        .collect::<ApiResult<_>>()?;
    http::json(200, &IncidentDetail { incident, cases })
}

pub async fn resolve(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let config = Config::from_env(env);
    let who = auth::require(&req, &db, &config, Role::Specialist).await?;
    let id = incident_id(id)?;
    let body: ResolveIncidentRequest = http::read_json_or_default(&mut req).await?;
    let resolution = text::optional("resolution", body.resolution.as_deref(), REASON_MAX_CHARS)?;
    let now = http::now();
    if !store::resolve(&db, id, &who.name, resolution.as_deref(), now).await? {
        return match store::load(&db, id).await? {
            Some(_) => Err(ApiError::Conflict(
                "the incident is already resolved".into(),
            )),
            None => Err(ApiError::NotFound),
        };
    }
    let incident = store::load(&db, id).await?.ok_or(ApiError::NotFound)?;
    let mut notification = Notification::general(
        NotificationKind::Incident,
        format!(
            "#{id} {} resolved by {}{}",
            incident.title,
            who.name,
            resolution.map(|r| format!(": {r}")).unwrap_or_default()
        ),
        vec![],
        iso(now),
    );
    notification.incident_id = Some(id);
    notify::enqueue(env, vec![notification]).await;
    http::json(200, &incident)
}

pub async fn reply(mut req: Request, env: &Env, id: &str) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let config = Config::from_env(env);
    let who = auth::require(&req, &db, &config, Role::Specialist).await?;
    let id = incident_id(id)?;
    let body: MessageRequest = http::read_json(&mut req).await?;
    text::required(
        "body",
        &body.body,
        helpline_shared::limits::MESSAGE_MAX_CHARS,
        true,
    )?;
    store::load(&db, id).await?.ok_or(ApiError::NotFound)?;
    let caller = Caller::Specialist(who);
    let mut answered = IncidentReplied {
        replied: 0,
        skipped: 0,
    };
    for row in store::cases(&db, id, INCIDENT_CASES_MAX).await? {
        if row.status == CaseStatus::Closed.as_str() {
            answered.skipped += 1;
            continue;
        }
        let command = CaseCommand::Broadcast {
            body: body.body.clone(),
        };
        // One message per case to its reporter; the channel hears of the
        // incident, not of each copy, so the per-case notifications are dropped.
        match service::change(env, &config, row.id, command, &caller, None).await {
            Ok(_) => answered.replied += 1,
            // Closed, or changed by someone, since the list was read: skipped,
            // so the others still get their answer.
            Err(ApiError::Transition(_) | ApiError::StaleVersion) => answered.skipped += 1,
            Err(other) => return Err(other),
        }
    }
    http::json(200, &answered)
}
