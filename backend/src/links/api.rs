//! `GET /v1/links` (specialists), `POST /v1/links` and
//! `POST /v1/links/{id}/remove` (admins); `GET /v1/cases/{id}/links`: one
//! case's troubleshooting links, filled.

use helpline_shared::api::{CaseLinks, CreateLinkRequest, LinkTemplateList};
use helpline_shared::lifecycle::Role;
use helpline_shared::troubleshooting;
use worker::Response;

use super::store;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http;

pub async fn list(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let templates = store::list(&ctx.db).await?;
    http::json(200, &LinkTemplateList { templates })
}

pub async fn create(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    let admin = ctx.specialist(Role::Admin).await?;
    let input: CreateLinkRequest = http::read_json(&mut ctx.req).await?;
    let template = troubleshooting::check(&input.platform, &input.label, &input.template)?;
    troubleshooting::room_for_another(store::count(&ctx.db).await?)?;
    let kept = store::insert(&ctx.db, &template, &admin.name, http::now()).await?;
    http::json(201, &kept)
}

pub async fn remove(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    ctx.specialist(Role::Admin).await?;
    let id = id.parse::<i64>().map_err(|_| ApiError::NotFound)?;
    if !store::remove(&ctx.db, id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(Response::empty()?.with_status(204))
}

pub async fn for_case(ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let case = crate::cases::store::load(&ctx.db, http::case_id(id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    let templates = store::serving(&ctx.db, &case.platform).await?;
    let links = troubleshooting::links_for(&case, &templates);
    http::json(200, &CaseLinks { links })
}
