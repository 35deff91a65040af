//! Which handler answers which operation. The paths and their methods are
//! data in `helpline_shared::routes` (so the API document is checked against
//! the same table): an unknown path is a JSON 404, a known path with another
//! method a 405 with `Allow`.

use helpline_shared::routes::{route_request, Operation as Op, Routed};
use worker::{Env, Request, Response};

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{
    cases, health, incidents, links, notify, presence, queue, reports, sla, sop, specialists,
};

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let method = req.method();
    let (operation, params) = match route_request(method.as_ref(), &path) {
        Routed::Found(operation, params) => (operation, params),
        Routed::MethodNotAllowed(allow) => return Err(ApiError::MethodNotAllowed { allow }),
        Routed::NotFound => return Err(ApiError::NotFound),
    };
    // Every `{…}` segment of a path is its first and only one.
    let id = params.first().copied().unwrap_or_default();
    let ctx = Ctx::new(req, env)?;
    match operation {
        Op::Health => health::check(&ctx).await,
        Op::SearchCases => cases::api::search(ctx).await,
        Op::CreateCase => cases::api::create(ctx).await,
        Op::MyCases => cases::api::mine(ctx).await,
        Op::GetCase => cases::api::get(ctx, id).await,
        Op::PostMessage => cases::api::message(ctx, id).await,
        Op::PostFeedback => cases::api::feedback(ctx, id).await,
        Op::Reply => cases::api::reply(ctx, id).await,
        Op::Note => cases::api::note(ctx, id).await,
        Op::SetStatus => cases::api::status(ctx, id).await,
        Op::Escalate => cases::api::escalate(ctx, id).await,
        Op::Release => cases::api::release(ctx, id).await,
        Op::Assign => cases::api::assign(ctx, id).await,
        Op::EndShift => cases::shift::end(ctx).await,
        Op::CaseLinks => links::api::for_case(ctx, id).await,
        Op::CasePresence => presence::api::beat(ctx, id).await,
        Op::Queue => queue::api::list(ctx).await,
        Op::Claim => queue::api::claim(ctx).await,
        Op::ListSpecialists => specialists::api::list(ctx).await,
        Op::ListTeam => specialists::api::team(ctx).await,
        Op::CreateSpecialist => specialists::api::create(ctx).await,
        Op::RevokeSpecialist => specialists::api::revoke(ctx, id).await,
        Op::SopIndex => sop::api::index(ctx).await,
        Op::SopSearch => sop::api::search(ctx).await,
        Op::SopGaps => sop::api::gaps(ctx).await,
        Op::ListSopArticles => sop::api::list(ctx).await,
        Op::CreateSopArticle => sop::api::create(ctx).await,
        Op::GetSopArticle => sop::api::article(ctx, id).await,
        Op::EditSopArticle => sop::api::edit(ctx, id).await,
        Op::ListSopArticleVersions => sop::api::versions(ctx, id).await,
        Op::PublishSopArticle => sop::api::publish(ctx, id, true).await,
        Op::UnpublishSopArticle => sop::api::publish(ctx, id, false).await,
        Op::RecordDeflection => sop::api::deflection(ctx).await,
        Op::RunSlaSweep => sla::api::sweep(ctx).await,
        Op::EscalationPolicy => sla::api::policy(ctx).await,
        Op::ListIncidents => incidents::api::list(ctx).await,
        Op::GetIncident => incidents::api::get(ctx, id).await,
        Op::ResolveIncident => incidents::api::resolve(ctx, id).await,
        Op::ReplyToIncident => incidents::api::reply(ctx, id).await,
        Op::DailyReport => reports::api::daily(ctx).await,
        Op::WriteDailyReport => reports::api::write(ctx).await,
        Op::DeadNotifications => notify::api::dead(ctx).await,
        Op::ListLinkTemplates => links::api::list(ctx).await,
        Op::CreateLinkTemplate => links::api::create(ctx).await,
        Op::RemoveLinkTemplate => links::api::remove(ctx, id).await,
    }
}
