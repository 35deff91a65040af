//! The console's calls to the Helpline API as the signed-in specialist, and
//! what a failed call means: signed out, refused (with the API's message), a
//! stale write, or the API out of reach.

use gloo_net::http::{Method, RequestBuilder};
use helpline_shared::api::{
    AssignRequest, CaseLinks, CasePresence, CaseView, CreateLinkRequest, CreateSpecialistRequest,
    EndShiftRequest, ErrorBody, EscalateRequest, FoundCases, IncidentDetail, IncidentList,
    IncidentReplied, LinkTemplateList, LinkTemplateView, MessageRequest, PresenceBeat, Queue,
    ResolveIncidentRequest, ShiftEnded, SopArticleInput, SopArticleList, SopArticleView, SopGaps,
    SopSearchResults, SpecialistCreated, SpecialistList, StatusRequest,
};
use helpline_shared::escalation::EscalationPolicy;
use helpline_shared::workspace::QueueFilters;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call did not give its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The token is not (or no longer) valid.
    SignedOut(String),
    /// The case changed since it was loaded (`409 stale_version`).
    Stale,
    /// The API refused the call; its message.
    Refused(String),
    /// The API could not be reached or failed on its side.
    Unavailable(String),
}

impl Failure {
    pub fn message(&self) -> String {
        match self {
            Failure::SignedOut(message) => format!("Signed out: {message}"),
            Failure::Stale => "The case changed meanwhile".into(),
            Failure::Refused(message) => message.clone(),
            Failure::Unavailable(message) => format!("Helpline is out of reach: {message}"),
        }
    }
}

/// What a specialist asks of one case: its action and its body, in the
/// request types the Worker reads (`helpline_shared::api`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRequest {
    Reply(MessageRequest),
    Note(MessageRequest),
    Status(StatusRequest),
    Escalate(EscalateRequest),
    Assign(AssignRequest),
    Release,
}

impl CaseRequest {
    /// The action's segment of the path (`reply`, `note`, …).
    pub fn action(&self) -> &'static str {
        match self {
            CaseRequest::Reply(_) => "reply",
            CaseRequest::Note(_) => "note",
            CaseRequest::Status(_) => "status",
            CaseRequest::Escalate(_) => "escalate",
            CaseRequest::Assign(_) => "assign",
            CaseRequest::Release => "release",
        }
    }

    fn body(&self) -> Result<String, Failure> {
        match self {
            CaseRequest::Reply(body) | CaseRequest::Note(body) => json(body),
            CaseRequest::Status(body) => json(body),
            CaseRequest::Escalate(body) => json(body),
            CaseRequest::Assign(body) => json(body),
            CaseRequest::Release => Ok("{}".into()),
        }
    }
}

/// A request body as JSON text.
fn json(body: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string(body).map_err(|e| Failure::Unavailable(e.to_string()))
}

/// An answer's JSON as `T`: parsed by the browser's own `JSON.parse`, the
/// values moved across by serde-wasm-bindgen, as the widget reads (so no
/// JSON text parser is compiled into each type's decoder). Measured with
/// `cargo xtask build` and `cargo xtask bench-console`: 20 KB gzip less than
/// serde_json from the text (250.1 -> 230.1 KB) and 17 KB less than through
/// a `serde_json::Value`, for the same times to show a page of 100 cases.
fn read<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// The signed-in specialist's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    token: String,
}

impl Api {
    pub fn new(token: String) -> Api {
        Api { token }
    }

    /// One call; `None` for an answer without a body (`204`).
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        version: Option<i64>,
    ) -> Result<Option<T>, Failure> {
        let condition = version.map(|v| ("If-Match", format!("\"{v}\"")));
        let answer = self.exchange(method, path, body, condition).await?;
        Ok(answer.map(|(value, _)| value))
    }

    /// One call with an optional condition header; `None` for an answer
    /// without a body (`204`, or `304`: unchanged), else the answer and its
    /// `ETag`.
    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        condition: Option<(&str, String)>,
    ) -> Result<Option<(T, Option<String>)>, Failure> {
        let (status, etag, text) = self.send(method, path, body, condition).await?;
        if status == 204 || status == 304 {
            return Ok(None);
        }
        read(&text)
            .map(|value| Some((value, etag)))
            .map_err(|e| Failure::Unavailable(format!("an answer it cannot read: {e}")))
    }

    /// One request as the specialist: its status, `ETag` and body when it
    /// succeeded (or was unchanged), else what its error body says.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        condition: Option<(&str, String)>,
    ) -> Result<(u16, Option<String>, String), Failure> {
        let mut request = RequestBuilder::new(path)
            .method(method)
            .header("Authorization", &format!("Bearer {}", self.token));
        if let Some((name, value)) = condition {
            request = request.header(name, &value);
        }
        let request = match body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body),
            None => request.build(),
        }
        .map_err(|e| Failure::Unavailable(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        let status = response.status();
        let etag = response.headers().get("ETag");
        let text = response
            .text()
            .await
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        if response.ok() || status == 304 {
            return Ok((status, etag, text));
        }
        let message = read::<ErrorBody>(&text)
            .map(|body| body.error)
            .map_err(|_| Failure::Unavailable(format!("status {status}")))?;
        Err(match (status, message.code.as_str()) {
            (401, _) => Failure::SignedOut(message.message),
            (409, "stale_version") => Failure::Stale,
            (500.., _) => Failure::Unavailable(message.message),
            _ => Failure::Refused(message.message),
        })
    }

    /// The daily report of `date` (`YYYY-MM-DD`, empty for today) in the
    /// time zone `tz` (empty for the desk's), as `format` (`html`,
    /// `markdown`) renders it.
    pub async fn report(&self, date: &str, tz: &str, format: &str) -> Result<String, Failure> {
        let mut path = format!("/v1/reports/daily?format={format}");
        for (name, value) in [("date", date), ("tz", tz)] {
            if !value.trim().is_empty() {
                path.push_str(&format!(
                    "&{name}={}",
                    js_sys::encode_uri_component(value.trim())
                ));
            }
        }
        Ok(self.send(Method::GET, &path, None, None).await?.2)
    }

    async fn decoded<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        version: Option<i64>,
    ) -> Result<T, Failure> {
        self.call(method, path, body, version)
            .await?
            .ok_or_else(|| Failure::Unavailable(format!("{path} answered without a body")))
    }

    /// The queue with `filters`, unless it is still the page tagged `etag`
    /// (`None` then); with the page's own tag.
    pub async fn queue_if_changed(
        &self,
        filters: &QueueFilters,
        etag: Option<String>,
    ) -> Result<Option<(Queue, Option<String>)>, Failure> {
        let condition = etag.map(|tag| ("If-None-Match", tag));
        self.exchange(Method::GET, &filters.path(), None, condition)
            .await
    }

    /// One page of the cases `query` finds; the next after `cursor`.
    pub async fn find(&self, query: &str, cursor: Option<&str>) -> Result<FoundCases, Failure> {
        let mut path = format!("/v1/cases?q={}", js_sys::encode_uri_component(query));
        if let Some(cursor) = cursor {
            path.push_str(&format!("&cursor={}", js_sys::encode_uri_component(cursor)));
        }
        self.decoded(Method::GET, &path, None, None).await
    }

    /// The open cases the caller holds.
    pub async fn mine(&self) -> Result<Queue, Failure> {
        self.decoded(Method::GET, "/v1/queue?assignee=me&limit=100", None, None)
            .await
    }

    pub async fn case(&self, id: i64) -> Result<CaseView, Failure> {
        self.decoded(Method::GET, &format!("/v1/cases/{id}"), None, None)
            .await
    }

    /// Says the caller has case `id` open (and whether they are typing);
    /// answers who else has.
    pub async fn beat(&self, id: i64, typing: bool) -> Result<CasePresence, Failure> {
        let path = format!("/v1/cases/{id}/presence");
        let body = json(&PresenceBeat { typing })?;
        self.decoded(Method::POST, &path, Some(body), None).await
    }

    /// Every case of `request` handed over or released, in one request; the
    /// channel hears of the shift once.
    pub async fn end_shift(&self, request: &EndShiftRequest) -> Result<ShiftEnded, Failure> {
        let body = json(request)?;
        self.decoded(Method::POST, "/v1/shift/end", Some(body), None)
            .await
    }

    /// The next case off the queue, now held by the caller; `None` when the
    /// queue is empty.
    pub async fn claim(&self) -> Result<Option<CaseView>, Failure> {
        self.call(Method::POST, "/v1/queue/claim", None, None).await
    }

    /// `request` on `case`, based on the version on screen.
    pub async fn act(&self, case: &CaseView, request: &CaseRequest) -> Result<CaseView, Failure> {
        let path = format!("/v1/cases/{}/{}", case.id, request.action());
        let body = Some(request.body()?);
        self.decoded(Method::POST, &path, body, Some(case.version))
            .await
    }

    /// Every SOP article, published or draft.
    pub async fn sop_articles(&self) -> Result<SopArticleList, Failure> {
        self.decoded(Method::GET, "/v1/sop/articles", None, None)
            .await
    }

    /// A new article (`version: None`), or a new version of `input.slug`
    /// made from `version`: a save over a newer one is `Failure::Stale`.
    pub async fn save_sop_article(
        &self,
        input: &SopArticleInput,
        version: Option<i64>,
    ) -> Result<SopArticleView, Failure> {
        let body = Some(json(input)?);
        match version {
            None => {
                self.decoded(Method::POST, "/v1/sop/articles", body, None)
                    .await
            }
            Some(_) => {
                let path = format!("/v1/sop/articles/{}", input.slug);
                self.decoded(Method::PUT, &path, body, version).await
            }
        }
    }

    /// Publishes (or unpublishes) the latest version of `slug` (leads).
    pub async fn publish_sop_article(
        &self,
        slug: &str,
        published: bool,
    ) -> Result<SopArticleView, Failure> {
        let action = if published { "publish" } else { "unpublish" };
        let path = format!("/v1/sop/articles/{slug}/{action}");
        self.decoded(Method::POST, &path, None, None).await
    }

    /// The questions the SOPs did not answer, most frequent first.
    pub async fn sop_gaps(&self) -> Result<SopGaps, Failure> {
        self.decoded(Method::GET, "/v1/sop/gaps", None, None).await
    }

    /// The published articles that match `query`, best first.
    pub async fn sop_search(&self, query: &str) -> Result<SopSearchResults, Failure> {
        let path = format!("/v1/sop/search?q={}", js_sys::encode_uri_component(query));
        self.decoded(Method::GET, &path, None, None).await
    }

    pub async fn sop_article(&self, slug: &str) -> Result<SopArticleView, Failure> {
        let path = format!("/v1/sop/articles/{}", js_sys::encode_uri_component(slug));
        self.decoded(Method::GET, &path, None, None).await
    }

    pub async fn incidents(&self) -> Result<IncidentList, Failure> {
        self.decoded(Method::GET, "/v1/incidents", None, None).await
    }

    pub async fn incident(&self, id: i64) -> Result<IncidentDetail, Failure> {
        self.decoded(Method::GET, &format!("/v1/incidents/{id}"), None, None)
            .await
    }

    pub async fn reply_to_incident(&self, id: i64, body: &str) -> Result<IncidentReplied, Failure> {
        let path = format!("/v1/incidents/{id}/reply");
        let body = MessageRequest { body: body.into() };
        self.decoded(Method::POST, &path, Some(json(&body)?), None)
            .await
    }

    pub async fn resolve_incident(
        &self,
        id: i64,
        body: &ResolveIncidentRequest,
    ) -> Result<(), Failure> {
        let path = format!("/v1/incidents/{id}/resolve");
        self.send(Method::POST, &path, Some(json(body)?), None)
            .await
            .map(|_| ())
    }

    /// The active specialists, for admins.
    pub async fn specialists(&self) -> Result<SpecialistList, Failure> {
        self.decoded(Method::GET, "/v1/specialists", None, None)
            .await
    }

    /// Creates a specialist: their token, shown once.
    pub async fn create_specialist(
        &self,
        body: &CreateSpecialistRequest,
    ) -> Result<SpecialistCreated, Failure> {
        self.decoded(Method::POST, "/v1/specialists", Some(json(body)?), None)
            .await
    }

    pub async fn revoke_specialist(&self, id: i64) -> Result<(), Failure> {
        let path = format!("/v1/specialists/{id}/revoke");
        self.send(Method::POST, &path, None, None).await.map(|_| ())
    }

    /// The active specialists, to hand a case to.
    pub async fn team(&self) -> Result<SpecialistList, Failure> {
        self.decoded(Method::GET, "/v1/team", None, None).await
    }

    /// Case `id`'s troubleshooting links, filled.
    pub async fn case_links(&self, id: i64) -> Result<CaseLinks, Failure> {
        self.decoded(Method::GET, &format!("/v1/cases/{id}/links"), None, None)
            .await
    }

    pub async fn link_templates(&self) -> Result<LinkTemplateList, Failure> {
        self.decoded(Method::GET, "/v1/links", None, None).await
    }

    pub async fn create_link(&self, body: &CreateLinkRequest) -> Result<LinkTemplateView, Failure> {
        self.decoded(Method::POST, "/v1/links", Some(json(body)?), None)
            .await
    }

    pub async fn remove_link(&self, id: i64) -> Result<(), Failure> {
        let path = format!("/v1/links/{id}/remove");
        self.send(Method::POST, &path, None, None).await.map(|_| ())
    }

    pub async fn policy(&self) -> Result<EscalationPolicy, Failure> {
        self.decoded(Method::GET, "/v1/escalation/policy", None, None)
            .await
    }
}
