//! `GET /v1/queue` (filters, cursor pages, ordered by SLA urgency) and
//! `POST /v1/queue/claim` (the most urgent unclaimed case, to exactly one caller).

use helpline_shared::api::Queue;
use helpline_shared::lifecycle::Role;
use helpline_shared::queue::{parse_filter, QueueCursor};
use worker::{Env, Request, Response};

use crate::cases::service::{self, Caller};
use crate::cases::view::{summary, Audience};
use crate::config::Config;
use crate::error::ApiResult;
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
    let specialist = auth::require(&req, &db, &config, Role::Specialist).await?;
    let now = http::now();
    let op = random::op_id()?;
    let claimed = super::store::claim(
        &db,
        &specialist,
        config.claim_lease.expires_at(now),
        now,
        &op,
    )
    .await?;
    match claimed {
        Some(claimed) => service::answer(claimed, &Caller::Specialist(specialist), &config),
        None => Ok(Response::empty()?.with_status(204)),
    }
}
