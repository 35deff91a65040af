//! The API's routing table: which handler answers which method and path. An
//! unknown path is a JSON 404 and a known path with the wrong method a 405.

use worker::{Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};
use crate::{cases, health, incidents, notify, queue, reports, sla, sop, specialists};

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    use Method::{Get, Post, Put};
    match (segments.as_slice(), method) {
        (["healthz"], Get) => health::check(env).await,
        (["v1", "cases"], Post) => cases::api::create(req, env).await,
        (["v1", "cases", "mine"], Get) => cases::api::mine(req, env).await,
        (["v1", "cases", id], Get) => cases::api::get(req, env, id).await,
        (["v1", "cases", id, "messages"], Post) => cases::api::message(req, env, id).await,
        (["v1", "cases", id, "feedback"], Post) => cases::api::feedback(req, env, id).await,
        (["v1", "cases", id, "reply"], Post) => cases::api::reply(req, env, id).await,
        (["v1", "cases", id, "note"], Post) => cases::api::note(req, env, id).await,
        (["v1", "cases", id, "status"], Post) => cases::api::status(req, env, id).await,
        (["v1", "cases", id, "escalate"], Post) => cases::api::escalate(req, env, id).await,
        (["v1", "cases", id, "release"], Post) => cases::api::release(req, env, id).await,
        (["v1", "queue"], Get) => queue::api::list(req, env).await,
        (["v1", "queue", "claim"], Post) => queue::api::claim(req, env).await,
        (["v1", "sop", "index"], Get) => sop::api::index(req, env).await,
        (["v1", "sop", "search"], Get) => sop::api::search(req, env).await,
        (["v1", "sop", "gaps"], Get) => sop::api::gaps(req, env).await,
        (["v1", "sop", "articles"], Get) => sop::api::list(req, env).await,
        (["v1", "sop", "articles"], Post) => sop::api::create(req, env).await,
        (["v1", "sop", "articles", slug], Get) => sop::api::article(req, env, slug).await,
        (["v1", "sop", "articles", slug], Put) => sop::api::edit(req, env, slug).await,
        (["v1", "sop", "articles", slug, "versions"], Get) => {
            sop::api::versions(req, env, slug).await
        }
        (["v1", "sop", "articles", slug, "publish"], Post) => {
            sop::api::publish(req, env, slug, true).await
        }
        (["v1", "sop", "articles", slug, "unpublish"], Post) => {
            sop::api::publish(req, env, slug, false).await
        }
        (["v1", "deflections"], Post) => sop::api::deflection(req, env).await,
        (["v1", "sla", "sweep"], Post) => sla::api::sweep(req, env).await,
        (["v1", "escalation", "policy"], Get) => sla::api::policy(req, env).await,
        (["v1", "incidents"], Get) => incidents::api::list(req, env).await,
        (["v1", "incidents", id], Get) => incidents::api::get(req, env, id).await,
        (["v1", "incidents", id, "resolve"], Post) => incidents::api::resolve(req, env, id).await,
        (["v1", "incidents", id, "reply"], Post) => incidents::api::reply(req, env, id).await,
        (["v1", "reports", "daily"], Get) => reports::api::daily(req, env).await,
        (["v1", "reports", "daily"], Post) => reports::api::write(req, env).await,
        (["v1", "notifications", "dead"], Get) => notify::api::dead(req, env).await,
        (["v1", "specialists"], Post) => specialists::api::create(req, env).await,
        (["v1", "specialists"], Get) => specialists::api::list(req, env).await,
        (["v1", "specialists", id, "revoke"], Post) => specialists::api::revoke(req, env, id).await,
        (
            ["healthz"]
            | ["v1", "cases" | "queue" | "specialists"]
            | ["v1", "cases", _]
            | ["v1", "cases", _, "messages" | "feedback" | "reply" | "note" | "status" | "escalate" | "release"]
            | ["v1", "queue", "claim"]
            | ["v1", "specialists", _, "revoke"]
            | ["v1", "sop", "index" | "search" | "gaps" | "articles"]
            | ["v1", "sop", "articles", _]
            | ["v1", "sop", "articles", _, "versions" | "publish" | "unpublish"]
            | ["v1", "deflections"]
            | ["v1", "sla", "sweep"]
            | ["v1", "escalation", "policy"]
            | ["v1", "incidents"]
            | ["v1", "incidents", _]
            | ["v1", "incidents", _, "resolve" | "reply"]
            | ["v1", "reports", "daily"]
            | ["v1", "notifications", "dead"],
            _,
        ) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound),
    }
}
