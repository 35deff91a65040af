//! `POST /v1/sla/sweep`: runs the SLA sweep now (leads and admins), for when a
//! lead wants the board current without waiting for the next minute; and
//! `GET /v1/escalation/policy`, the policy the sweep and escalations follow.

use helpline_shared::lifecycle::Role;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::http;

pub async fn sweep(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Lead).await?;
    http::json(200, &super::sweep(ctx.env, http::now()).await?)
}

/// `GET /v1/escalation/policy`: the teams, levels and rota in force
/// (specialists), so the console can offer exactly what the policy allows.
pub async fn policy(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    http::json(200, &ctx.config.escalation)
}
