//! `GET /v1/notifications/dead`: the notifications the IM webhook never took
//! (leads), newest first, so nothing the team should have seen is silently lost.

use helpline_shared::api::{DeadNotification, DeadNotifications};
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::Role;
use serde::Deserialize;
use worker::{Env, Request, Response};

use crate::config::Config;
use crate::error::ApiResult;
use crate::http;
use crate::specialists::auth;

#[derive(Deserialize)]
struct DeadRow {
    message_id: String,
    body: String,
    failed_ms: i64,
}

pub async fn dead(req: Request, env: &Env) -> ApiResult<Response> {
    let db = env.d1("DB")?;
    auth::require(&req, &db, &Config::from_env(env), Role::Lead).await?;
    let rows = db
        .prepare(
            "SELECT message_id, body, failed_ms FROM dead_notifications ORDER BY id DESC LIMIT 200",
        )
        .all()
        .await?
        .results::<DeadRow>()?;
    let notifications = rows
        .into_iter()
        .map(|row| DeadNotification {
            message_id: row.message_id,
            notification: serde_json::from_str(&row.body).ok(),
            failed_at: iso(row.failed_ms),
        })
        .collect();
    http::json(200, &DeadNotifications { notifications })
}
