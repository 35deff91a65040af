//! Every path the API answers, and the operations on it by method: written
//! once, here, as data. The Worker routes by it (a known path with another
//! method is a 405 whose `Allow` comes from the same row), and the tests check
//! the API document's paths and operation ids against it.

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
}

impl HttpMethod {
    pub const ALL: [HttpMethod; 3] = [HttpMethod::Get, HttpMethod::Post, HttpMethod::Put];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == value)
    }
}

/// One operation of the API (its `operationId` in `docs/openapi.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Health,
    SearchCases,
    CreateCase,
    MyCases,
    GetCase,
    PostMessage,
    PostFeedback,
    Reply,
    Note,
    SetStatus,
    Escalate,
    Release,
    Assign,
    EndShift,
    CaseLinks,
    CasePresence,
    Queue,
    Claim,
    ListSpecialists,
    ListTeam,
    CreateSpecialist,
    RevokeSpecialist,
    SopIndex,
    SopSearch,
    SopGaps,
    ListSopArticles,
    CreateSopArticle,
    GetSopArticle,
    EditSopArticle,
    ListSopArticleVersions,
    PublishSopArticle,
    UnpublishSopArticle,
    RecordDeflection,
    RunSlaSweep,
    EscalationPolicy,
    ListIncidents,
    GetIncident,
    ResolveIncident,
    ReplyToIncident,
    DailyReport,
    WriteDailyReport,
    DeadNotifications,
    ListLinkTemplates,
    CreateLinkTemplate,
    RemoveLinkTemplate,
}

impl Operation {
    /// The document's `operationId`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Health => "health",
            Self::SearchCases => "searchCases",
            Self::CreateCase => "createCase",
            Self::MyCases => "myCases",
            Self::GetCase => "getCase",
            Self::PostMessage => "postMessage",
            Self::PostFeedback => "postFeedback",
            Self::Reply => "reply",
            Self::Note => "note",
            Self::SetStatus => "setStatus",
            Self::Escalate => "escalate",
            Self::Release => "release",
            Self::Assign => "assign",
            Self::EndShift => "endShift",
            Self::CaseLinks => "caseLinks",
            Self::CasePresence => "casePresence",
            Self::Queue => "queue",
            Self::Claim => "claim",
            Self::ListSpecialists => "listSpecialists",
            Self::ListTeam => "listTeam",
            Self::CreateSpecialist => "createSpecialist",
            Self::RevokeSpecialist => "revokeSpecialist",
            Self::SopIndex => "sopIndex",
            Self::SopSearch => "sopSearch",
            Self::SopGaps => "sopGaps",
            Self::ListSopArticles => "listSopArticles",
            Self::CreateSopArticle => "createSopArticle",
            Self::GetSopArticle => "getSopArticle",
            Self::EditSopArticle => "editSopArticle",
            Self::ListSopArticleVersions => "listSopArticleVersions",
            Self::PublishSopArticle => "publishSopArticle",
            Self::UnpublishSopArticle => "unpublishSopArticle",
            Self::RecordDeflection => "recordDeflection",
            Self::RunSlaSweep => "runSlaSweep",
            Self::EscalationPolicy => "escalationPolicy",
            Self::ListIncidents => "listIncidents",
            Self::GetIncident => "getIncident",
            Self::ResolveIncident => "resolveIncident",
            Self::ReplyToIncident => "replyToIncident",
            Self::DailyReport => "dailyReport",
            Self::WriteDailyReport => "writeDailyReport",
            Self::DeadNotifications => "deadNotifications",
            Self::ListLinkTemplates => "listLinkTemplates",
            Self::CreateLinkTemplate => "createLinkTemplate",
            Self::RemoveLinkTemplate => "removeLinkTemplate",
        }
    }
}

/// A path template (`/v1/cases/{id}`: a `{…}` segment matches any one
/// segment) and what each method does there.
pub struct Route {
    pub path: &'static str,
    pub operations: &'static [(HttpMethod, Operation)],
}

use HttpMethod::{Get, Post, Put};
use Operation as Op;

/// The API, path first. A literal segment wins over a `{…}` one at the same
/// place (`/v1/cases/mine` before `/v1/cases/{id}`), by order in this table.
pub const ROUTES: &[Route] = &[
    route("/healthz", &[(Get, Op::Health)]),
    route(
        "/v1/cases",
        &[(Get, Op::SearchCases), (Post, Op::CreateCase)],
    ),
    route("/v1/cases/mine", &[(Get, Op::MyCases)]),
    route("/v1/cases/{id}", &[(Get, Op::GetCase)]),
    route("/v1/cases/{id}/messages", &[(Post, Op::PostMessage)]),
    route("/v1/cases/{id}/feedback", &[(Post, Op::PostFeedback)]),
    route("/v1/cases/{id}/reply", &[(Post, Op::Reply)]),
    route("/v1/cases/{id}/note", &[(Post, Op::Note)]),
    route("/v1/cases/{id}/status", &[(Post, Op::SetStatus)]),
    route("/v1/cases/{id}/escalate", &[(Post, Op::Escalate)]),
    route("/v1/cases/{id}/release", &[(Post, Op::Release)]),
    route("/v1/cases/{id}/assign", &[(Post, Op::Assign)]),
    route("/v1/cases/{id}/links", &[(Get, Op::CaseLinks)]),
    route("/v1/cases/{id}/presence", &[(Post, Op::CasePresence)]),
    route("/v1/queue", &[(Get, Op::Queue)]),
    route("/v1/queue/claim", &[(Post, Op::Claim)]),
    route("/v1/shift/end", &[(Post, Op::EndShift)]),
    route(
        "/v1/specialists",
        &[(Get, Op::ListSpecialists), (Post, Op::CreateSpecialist)],
    ),
    route("/v1/team", &[(Get, Op::ListTeam)]),
    route(
        "/v1/specialists/{id}/revoke",
        &[(Post, Op::RevokeSpecialist)],
    ),
    route("/v1/sop/index", &[(Get, Op::SopIndex)]),
    route("/v1/sop/search", &[(Get, Op::SopSearch)]),
    route("/v1/sop/gaps", &[(Get, Op::SopGaps)]),
    route(
        "/v1/sop/articles",
        &[(Get, Op::ListSopArticles), (Post, Op::CreateSopArticle)],
    ),
    route(
        "/v1/sop/articles/{slug}",
        &[(Get, Op::GetSopArticle), (Put, Op::EditSopArticle)],
    ),
    route(
        "/v1/sop/articles/{slug}/versions",
        &[(Get, Op::ListSopArticleVersions)],
    ),
    route(
        "/v1/sop/articles/{slug}/publish",
        &[(Post, Op::PublishSopArticle)],
    ),
    route(
        "/v1/sop/articles/{slug}/unpublish",
        &[(Post, Op::UnpublishSopArticle)],
    ),
    route("/v1/deflections", &[(Post, Op::RecordDeflection)]),
    route("/v1/sla/sweep", &[(Post, Op::RunSlaSweep)]),
    route("/v1/escalation/policy", &[(Get, Op::EscalationPolicy)]),
    route("/v1/incidents", &[(Get, Op::ListIncidents)]),
    route("/v1/incidents/{id}", &[(Get, Op::GetIncident)]),
    route("/v1/incidents/{id}/resolve", &[(Post, Op::ResolveIncident)]),
    route("/v1/incidents/{id}/reply", &[(Post, Op::ReplyToIncident)]),
    route(
        "/v1/reports/daily",
        &[(Get, Op::DailyReport), (Post, Op::WriteDailyReport)],
    ),
    route("/v1/notifications/dead", &[(Get, Op::DeadNotifications)]),
    route(
        "/v1/links",
        &[(Get, Op::ListLinkTemplates), (Post, Op::CreateLinkTemplate)],
    ),
    route("/v1/links/{id}/remove", &[(Post, Op::RemoveLinkTemplate)]),
];

const fn route(path: &'static str, operations: &'static [(HttpMethod, Operation)]) -> Route {
    Route { path, operations }
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed<'a> {
    /// The operation, with the path's `{…}` segments in order.
    Found(Operation, Vec<&'a str>),
    /// A known path, another method: the methods it has, for `Allow`.
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

/// The `{…}` segments of `path` if it fits `template`.
fn fits<'a>(template: &str, path: &'a str) -> Option<Vec<&'a str>> {
    let mut wanted = template.trim_matches('/').split('/');
    let mut given = path.trim_matches('/').split('/');
    let mut params = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.starts_with('{') && !g.is_empty() => params.push(g),
            (Some(w), Some(g)) if w == g => {}
            _ => return None,
        }
    }
}

/// Routes `method` on `path` by [`ROUTES`].
pub fn route_request<'a>(method: &str, path: &'a str) -> Routed<'a> {
    let Some((route, params)) = ROUTES
        .iter()
        .find_map(|r| fits(r.path, path).map(|params| (r, params)))
    else {
        return Routed::NotFound;
    };
    let method = HttpMethod::parse(method);
    match route.operations.iter().find(|(m, _)| Some(*m) == method) {
        Some((_, operation)) => Routed::Found(*operation, params),
        None => {
            Routed::MethodNotAllowed(route.operations.iter().map(|(m, _)| m.as_str()).collect())
        }
    }
}

/// The absolute URL of an API path (`/v1/cases`) on a deployment whose
/// address a host page gives with or without a trailing slash.
pub fn api_url(endpoint: &str, path: &str) -> String {
    format!("{}{}", endpoint.trim_end_matches('/'), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_finds_its_operation_and_its_segments() {
        assert_eq!(
            route_request("POST", "/v1/cases/HL-7/reply"),
            Routed::Found(Operation::Reply, vec!["HL-7"])
        );
        assert_eq!(
            route_request("GET", "/v1/cases/mine"),
            Routed::Found(Operation::MyCases, vec![])
        );
        assert_eq!(
            route_request("GET", "/v1/cases/42"),
            Routed::Found(Operation::GetCase, vec!["42"])
        );
        assert_eq!(
            route_request("PUT", "/v1/sop/articles/vpn-reset/"),
            Routed::Found(Operation::EditSopArticle, vec!["vpn-reset"])
        );
    }

    #[test]
    fn a_known_path_with_another_method_says_which_it_has() {
        assert_eq!(
            route_request("DELETE", "/v1/sop/articles/vpn"),
            Routed::MethodNotAllowed(vec!["GET", "PUT"])
        );
        assert_eq!(
            route_request("POST", "/v1/cases/mine"),
            Routed::MethodNotAllowed(vec!["GET"])
        );
    }

    #[test]
    fn anything_else_is_not_found() {
        for path in ["/", "/v1", "/v1/cases/1/2", "/v1/cases//reply", "/v2/cases"] {
            assert_eq!(route_request("GET", path), Routed::NotFound, "{path}");
        }
    }

    #[test]
    fn every_path_and_operation_is_listed_once() {
        let mut paths: Vec<_> = ROUTES.iter().map(|r| r.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), ROUTES.len());
        let mut ids: Vec<_> = ROUTES
            .iter()
            .flat_map(|r| r.operations.iter().map(|(_, op)| op.id()))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 45);
    }

    #[test]
    fn an_api_url_joins_endpoint_and_path_without_double_slash() {
        assert_eq!(
            api_url("http://127.0.0.1:8787/", "/v1/cases"),
            "http://127.0.0.1:8787/v1/cases"
        );
        assert_eq!(
            api_url("https://helpline.example.com", "/v1/cases"),
            "https://helpline.example.com/v1/cases"
        );
    }
}
