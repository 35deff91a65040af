//! `POST /v1/specialists` (token shown once), `GET /v1/specialists`,
//! `POST /v1/specialists/{id}/revoke`: admins only (or the bootstrap token).
//! `GET /v1/team`: the same list for every specialist, to hand work to.

use helpline_shared::api::{CreateSpecialistRequest, SpecialistCreated, SpecialistList};
use helpline_shared::lifecycle::Role;
use helpline_shared::limits::NAME_MAX_CHARS;
use helpline_shared::specialist::{format_token, token_digest};
use helpline_shared::text;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{http, random};

pub async fn create(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.admin_or_bootstrap().await?;
    let input: CreateSpecialistRequest = http::read_json(&mut ctx.req).await?;
    let name = text::required("name", &input.name, NAME_MAX_CHARS, false)?;
    let token = format_token(&random::bytes::<24>()?);
    let specialist = super::store::insert(
        &ctx.db,
        &name,
        input.role,
        &token_digest(&token),
        http::now(),
    )
    .await?;
    http::json(201, &SpecialistCreated { specialist, token })
}

pub async fn list(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.admin_or_bootstrap().await?;
    let specialists = super::store::list(&ctx.db).await?;
    http::json(200, &SpecialistList { specialists })
}

pub async fn team(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let specialists = super::store::list(&ctx.db).await?;
    http::json(200, &SpecialistList { specialists })
}

pub async fn revoke(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    ctx.admin_or_bootstrap().await?;
    let id = id
        .parse::<i64>()
        .map_err(|_| crate::error::ApiError::NotFound)?;
    let leaving = super::store::active_by_id(&ctx.db, id)
        .await?
        .ok_or(crate::error::ApiError::NotFound)?;
    // Their cases first, then the token: a revocation that fails part-way
    // leaves them active, so it can simply be made again.
    let held = crate::cases::service::return_cases_of(ctx.env, &ctx.config, &leaving).await?;
    if held as i64 == crate::cases::service::RETURNED_PER_REVOCATION_MAX {
        return Err(crate::error::ApiError::Conflict(format!(
            "{} held {held} cases or more; those were returned to the queue: revoke again for the rest",
            leaving.name
        )));
    }
    let revoked = super::store::revoke(&ctx.db, id, http::now()).await?;
    http::json(200, &revoked)
}
