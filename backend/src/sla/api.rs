//! `POST /v1/sla/sweep`: runs the SLA sweep now (leads and admins), for when a
//! lead wants the board current without waiting for the next minute; and
//! `GET /v1/escalation/policy`, the policy the sweep and escalations follow.

use helpline_shared::lifecycle::Role;
use worker::{Env, Request, Response};

use crate::config::Config;
use crate::error::ApiResult;
use crate::http;
use crate::specialists::auth;

pub async fn sweep(req: Request, env: &Env) -> ApiResult<Response> {
    auth::require(&req, &env.d1("DB")?, &Config::from_env(env), Role::Lead).await?;
    http::json(200, &super::sweep(env, http::now()).await?)
}

/// `GET /v1/escalation/policy`: the teams, levels and rota in force
/// (specialists), so the console can offer exactly what the policy allows.
pub async fn policy(req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    auth::require(&req, &env.d1("DB")?, &config, Role::Specialist).await?;
    http::json(200, &config.escalation)
}
