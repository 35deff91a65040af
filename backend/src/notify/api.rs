//! `GET /v1/notifications/dead`: the notifications the IM webhook never took
//! (leads), newest first, so nothing the team should have seen is silently lost.

use helpline_shared::api::{DeadNotification, DeadNotifications};
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::Role;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::http;

pub async fn dead(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Lead).await?;
    let rows = super::store::dead_letters(&ctx.db).await?;
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
