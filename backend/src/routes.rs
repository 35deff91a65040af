//! The API's routing table: which handler answers which method and path. An
//! unknown path is a JSON 404 and a known path with the wrong method a 405.

use worker::{Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};
use crate::{cases, health, queue};

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (segments.as_slice(), method) {
        (["healthz"], Method::Get) => health::check(env).await,
        (["v1", "cases"], Method::Post) => cases::api::create(req, env).await,
        (["v1", "queue"], Method::Get) => queue::api::list(req, env).await,
        (["healthz"] | ["v1", "cases"] | ["v1", "queue"], _) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound),
    }
}
