//! `GET /v1/queue`: open cases for an authenticated specialist, oldest first.

use helpline_shared::api::Queue;
use worker::{Env, Request, Response};

use crate::error::ApiResult;
use crate::{http, specialists};

pub async fn list(req: Request, env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let specialist = specialists::auth::authenticate(&req, &db).await?;
    let cases = super::store::open_cases(&db).await?;
    http::json(200, &Queue { specialist, cases })
}
