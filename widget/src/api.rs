//! The widget's calls to the Helpline API, and what a failed call means to the
//! user: a refusal naming a field, or a network problem worth retrying.

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use helpline_shared::api::{
    CaseCreated, DeflectionRequest, ErrorBody, FeedbackRequest, MessageRequest,
};
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::outbox::{delivery, Delivery};
use helpline_shared::sop::SopIndex;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::WidgetConfig;

/// Why a send did not produce a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The API refused the case; `field` names the input at fault, if any.
    Refused {
        message: String,
        field: Option<String>,
    },
    /// The API could not be reached or failed on its side.
    Unavailable { message: String },
}

/// A call to the API as the reporter the host signed in: `json` is the body,
/// if any; `key` the idempotency key of a case. One request builder for every
/// call keeps the widget small: each builder is compiled code.
fn request(
    config: &WidgetConfig,
    method: Method,
    path: &str,
    json: Option<String>,
    key: Option<&str>,
) -> Result<Request, SendError> {
    let mut request = RequestBuilder::new(&config.url(path))
        .method(method)
        .header("X-Helpline-User", &config.user.id);
    if let Some(hash) = &config.user_hash {
        request = request.header("X-Helpline-User-Hash", hash);
    }
    if let Some(token) = &config.user_token {
        request = request.header("X-Helpline-Token", token);
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    match json {
        Some(json) => request
            .header("Content-Type", "application/json")
            .body(json)
            .map_err(unavailable),
        None => request.build().map_err(unavailable),
    }
}

/// Sends a request; the response when it succeeded, else what the failure
/// means to the user.
async fn response(request: Result<Request, SendError>) -> Result<Response, SendError> {
    let response = request?.send().await.map_err(unavailable)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(failure(status, &text))
}

/// A successful answer's JSON body, parsed by the browser.
async fn response_json<T: DeserializeOwned>(
    request: Result<Request, SendError>,
) -> Result<T, SendError> {
    let text = response(request).await?.text().await.map_err(unavailable)?;
    decode(&text)
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, SendError> {
    crate::json::parse(text).ok_or_else(|| SendError::Unavailable {
        message: "the answer was not what was expected".into(),
    })
}

/// A JSON request body.
fn json<B: Serialize>(body: &B) -> Option<String> {
    Some(crate::json::stringify(body).unwrap_or_default())
}

/// Sends a case (`body` is the JSON of a `CreateCaseRequest`, kept as it was
/// first sent). `idempotency_key` stays the same for every retry of one
/// draft, so a retry after a lost answer never makes a second case.
pub async fn create_case(
    config: &WidgetConfig,
    body: &str,
    idempotency_key: &str,
) -> Result<CaseCreated, SendError> {
    let request = request(
        config,
        Method::POST,
        "/v1/cases",
        Some(body.to_owned()),
        Some(idempotency_key),
    );
    response_json(request).await
}

fn unavailable(e: gloo_net::Error) -> SendError {
    SendError::Unavailable {
        message: e.to_string(),
    }
}

fn failure(status: u16, text: &str) -> SendError {
    match decode::<ErrorBody>(text).ok() {
        // Only what the outbox would not retry is the user's to fix.
        Some(ErrorBody { error }) if delivery(Some(status)) == Delivery::Refused => {
            SendError::Refused {
                message: error.message,
                field: error.field,
            }
        }
        Some(ErrorBody { error }) => SendError::Unavailable {
            message: error.message,
        },
        None => SendError::Unavailable {
            message: format!("the server answered {status}"),
        },
    }
}

/// The SOP index, downloaded once per page and searched on every keystroke.
pub async fn fetch_index(config: &WidgetConfig) -> Result<SopIndex, SendError> {
    let request = request(config, Method::GET, "/v1/sop/index", None, None);
    let bytes = response(request)
        .await?
        .binary()
        .await
        .map_err(unavailable)?;
    SopIndex::from_bytes(&bytes).map_err(|e| SendError::Unavailable {
        message: e.to_string(),
    })
}

/// The part of an article (`SopArticleView` on the wire) that the widget
/// shows; decoding only these fields keeps the widget smaller.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ArticleToRead {
    pub slug: String,
    pub title: String,
    /// Safe HTML, rendered by the Worker when the article was saved.
    pub body_html: String,
}

/// One published article, rendered to safe HTML by the Worker.
pub async fn fetch_article(config: &WidgetConfig, slug: &str) -> Result<ArticleToRead, SendError> {
    // Slugs are lowercase letters, digits and `-_.`: safe in a path as they are.
    let path = format!("/v1/sop/articles/{slug}");
    response_json(request(config, Method::GET, &path, None, None)).await
}

/// Records what an answer did for the user. Best effort: the user's flow
/// never waits on it or fails because of it.
pub async fn record_deflection(config: &WidgetConfig, deflection: &DeflectionRequest) {
    let request = request(
        config,
        Method::POST,
        "/v1/deflections",
        json(deflection),
        None,
    );
    let _ = response(request).await;
}

/// A reporter's case as the "My cases" list shows it (`CaseSummary` on the
/// wire, decoding only what is shown).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MyCase {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub status: CaseStatus,
    pub updated_at: String,
    /// Changed since the reporter last looked (kept by the widget, not sent).
    #[serde(skip)]
    pub unread: bool,
}

#[derive(Deserialize)]
struct MyCaseList {
    cases: Vec<MyCase>,
}

/// One case with its public timeline (`CaseView` on the wire, in part).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaseToFollow {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub status: CaseStatus,
    pub updated_at: String,
    #[serde(default)]
    pub rating: Option<u8>,
    pub events: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TimelineEntry {
    /// A `CaseEventKind` wire name, read as text: the widget only needs to
    /// tell the conversation apart (`CaseEventKind::parse`).
    pub kind: String,
    pub actor: TimelineAuthor,
    #[serde(default)]
    pub body: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TimelineAuthor {
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// The reporter's own cases, newest first.
pub async fn my_cases(config: &WidgetConfig) -> Result<Vec<MyCase>, SendError> {
    let request = request(config, Method::GET, "/v1/cases/mine", None, None);
    Ok(response_json::<MyCaseList>(request).await?.cases)
}

pub async fn case(config: &WidgetConfig, id: i64) -> Result<CaseToFollow, SendError> {
    let path = format!("/v1/cases/{id}");
    response_json(request(config, Method::GET, &path, None, None)).await
}

/// What a reporter can do with their case.
pub enum ReporterAction {
    /// Writes to the team; on a resolved case this reopens it.
    Write(String),
    /// Confirms a resolved case with a rating (1–5), which closes it.
    Rate(u8),
}

/// Does `action` on the reporter's case `id` and returns the case as it is
/// after.
pub async fn act(
    config: &WidgetConfig,
    id: i64,
    action: ReporterAction,
) -> Result<CaseToFollow, SendError> {
    let (route, body) = match action {
        ReporterAction::Write(body) => ("messages", json(&MessageRequest { body })),
        ReporterAction::Rate(rating) => (
            "feedback",
            json(&FeedbackRequest {
                rating,
                comment: None,
            }),
        ),
    };
    let path = format!("/v1/cases/{id}/{route}");
    response_json(request(config, Method::POST, &path, body, None)).await
}
