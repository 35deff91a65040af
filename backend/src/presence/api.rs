//! `POST /v1/cases/{id}/presence`: the caller has the case open; the answer
//! names the others who have.

use helpline_shared::api::{CasePresence, PresenceBeat};
use helpline_shared::lifecycle::Role;
use helpline_shared::presence;
use worker::Response;

use super::store;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::http;

pub async fn beat(mut ctx: Ctx<'_>, id: &str) -> ApiResult<Response> {
    let me = ctx.specialist(Role::Specialist).await?;
    let case_id = http::case_id(id)?;
    let input: PresenceBeat = http::read_json(&mut ctx.req).await?;
    let now = http::now();
    let beats = store::beat(&ctx.db, case_id, &me, input.typing, now).await?;
    let present = presence::others(beats, me.id, now);
    http::json(200, &CasePresence { present })
}
