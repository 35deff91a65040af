//! `GET /v1/queue` (filters, cursor pages, ordered by SLA urgency) and
//! `POST /v1/queue/claim` (the most urgent unclaimed case, to exactly one caller).

use helpline_shared::api::{Queue, SpecialistSummary};
use helpline_shared::lifecycle::Role;
use helpline_shared::queue::{parse_filter, QueueCursor};
use helpline_shared::specialist::{bearer_token, token_digest};
use worker::{Env, Request, Response};

use crate::cases::service::{self, Caller};
use crate::cases::store::CaseRow;
use crate::cases::view::{summary, Audience};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::specialists::auth;
use crate::{http, random};

pub async fn list(req: Request, env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let specialist = auth::require(&req, &db, &Config::from_env(env), Role::Specialist).await?;
    let pairs = http::query_pairs(&req)?;
    let filter = parse_filter(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        specialist.id,
    )?;
    let mut rows = super::store::page(&db, &filter).await?;
    let next_cursor = if rows.len() > filter.limit {
        rows.truncate(filter.limit);
        rows.last().map(|r| {
            QueueCursor {
                rank: r.queue_rank,
                id: r.id,
            }
            .encode()
        })
    } else {
        None
    };
    let cases = rows
        .iter()
        .map(|r| summary(r, Audience::Specialist))
        .collect::<ApiResult<_>>()?;
    http::json(
        200,
        &Queue {
            specialist,
            cases,
            next_cursor,
        },
    )
}

pub async fn claim(req: Request, env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let config = Config::from_env(env);
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    let token = bearer_token(&header).ok_or(ApiError::Unauthorized)?;
    let now = http::now();
    let op = random::op_id()?;
    let lease_expires = config.claim_lease.expires_at(now);
    let claimed = super::store::claim(&db, &token_digest(token), lease_expires, now, &op).await?;
    match claimed {
        Some(claimed) => {
            let holder = claimed_by(&claimed.0)?;
            service::answer(claimed, &Caller::Specialist(holder), &config)
        }
        None => {
            // Nothing claimed: an empty queue, or a caller who may not claim.
            auth::require(&req, &db, &config, Role::Specialist).await?;
            Ok(Response::empty()?.with_status(204))
        }
    }
}

/// The specialist a case was just claimed by, from its read-back row.
fn claimed_by(row: &CaseRow) -> ApiResult<SpecialistSummary> {
    let holder = row
        .assignee_id
        .zip(row.assignee_name.clone())
        .zip(row.assignee_role.as_deref().and_then(Role::parse));
    holder
        .map(|((id, name), role)| SpecialistSummary { id, name, role })
        .ok_or_else(|| worker::Error::RustError("a claimed case has no holder".into()).into())
}
