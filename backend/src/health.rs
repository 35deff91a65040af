//! `GET /healthz`: the Worker is up and D1 answers.

use helpline_shared::api::Health;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::http;

pub async fn check(ctx: &Ctx<'_>) -> ApiResult<Response> {
    let database = crate::d1::answers(&ctx.db).await;
    http::json(
        if database { 200 } else { 503 },
        &Health {
            ok: database,
            database,
        },
    )
}
