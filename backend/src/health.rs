//! `GET /healthz`: the Worker is up and D1 answers.

use serde::Serialize;
use worker::{Env, Response};

use crate::error::ApiResult;
use crate::http;

#[derive(Serialize)]
struct Health {
    ok: bool,
    database: bool,
}

pub async fn check(env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    let database = db
        .prepare("SELECT 1 AS one")
        .first::<serde_json::Value>(None)
        .await
        .is_ok();
    http::json(
        if database { 200 } else { 503 },
        &Health {
            ok: database,
            database,
        },
    )
}
