//! `GET /v1/queue` (filters, cursor pages, ordered by SLA urgency) and
//! `POST /v1/queue/claim` (the most urgent unclaimed case, to exactly one caller).

use helpline_shared::api::{Queue, SpecialistSummary};
use helpline_shared::lifecycle::Role;
use helpline_shared::queue::{parse_filter, QueueCursor};
use helpline_shared::specialist::{bearer_token, token_digest};
use worker::Response;

use crate::cases::service::{self, Caller};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{http, random};
use helpline_shared::audience::{case_summary, Viewer};
use helpline_shared::record::CaseRecord;

pub async fn list(ctx: Ctx<'_>) -> ApiResult<Response> {
    let specialist = ctx.specialist(Role::Specialist).await?;
    let pairs = http::query_pairs(&ctx.req)?;
    let filter = parse_filter(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        specialist.id,
    )?;
    let (mut rows, counts) =
        super::store::page_and_counts(&ctx.db, &filter, specialist.id, http::now()).await?;
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
        .map(|r| case_summary(r, Viewer::Specialist))
        .collect();
    // Consoles poll the queue every few seconds: an unchanged page is a 304.
    http::json_unless_unchanged(
        &ctx.req,
        &Queue {
            specialist,
            cases,
            counts,
            next_cursor,
        },
    )
}

pub async fn claim(ctx: Ctx<'_>) -> ApiResult<Response> {
    let header = ctx.req.headers().get("Authorization")?.unwrap_or_default();
    let token = bearer_token(&header).ok_or(ApiError::Unauthorized)?;
    let now = http::now();
    let op = random::op_id()?;
    let lease_expires = ctx.config.claim_lease.expires_at(now);
    let claimed =
        super::store::claim(&ctx.db, &token_digest(token), lease_expires, now, &op).await?;
    match claimed {
        Some(claimed) => {
            let holder = claimed_by(&claimed.0)?;
            service::case_response(claimed, &Caller::Specialist(holder), &ctx.config)
        }
        None => {
            // Nothing claimed: an empty queue, or a caller who may not claim.
            ctx.specialist(Role::Specialist).await?;
            Ok(Response::empty()?.with_status(204))
        }
    }
}

/// The specialist a case was just claimed by, from its read-back row.
fn claimed_by(row: &CaseRecord) -> ApiResult<SpecialistSummary> {
    let holder = row
        .assignee_id
        .zip(row.assignee_name.clone())
        .zip(row.assignee_role);
    holder
        .map(|((id, name), role)| SpecialistSummary { id, name, role })
        .ok_or_else(|| ApiError::Internal("a claimed case has no holder".into()))
}
