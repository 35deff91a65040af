//! The widget's calls to the Helpline API, and what a failed call means to the
//! user: a refusal naming a field, or a network problem worth retrying.

use gloo_net::http::{Request, RequestBuilder, Response};
use helpline_shared::api::{
    CaseCreated, DeflectionRequest, ErrorBody, FeedbackRequest, MessageRequest,
};
use helpline_shared::events::CaseEventKind;
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

/// A request carrying the reporter's identity as the host signed it.
fn as_reporter(request: RequestBuilder, config: &WidgetConfig) -> RequestBuilder {
    let request = request.header("X-Helpline-User", &config.user.id);
    match &config.user_hash {
        Some(hash) => request.header("X-Helpline-User-Hash", hash),
        None => request,
    }
}

/// Sends a case (`body` is the JSON of a `CreateCaseRequest`, kept as it was
/// first sent). `idempotency_key` stays the same for every retry of one
/// draft, so a retry after a lost answer never makes a second case.
pub async fn create_case(
    config: &WidgetConfig,
    body: &str,
    idempotency_key: &str,
) -> Result<CaseCreated, SendError> {
    let request = Request::post(&config.url("/v1/cases"))
        .header("Idempotency-Key", idempotency_key)
        .header("Content-Type", "application/json");
    let response = as_reporter(request, config)
        .body(body.to_owned())
        .map_err(unavailable)?
        .send()
        .await
        .map_err(unavailable)?;
    json_or_error(response).await
}

fn unavailable(e: gloo_net::Error) -> SendError {
    SendError::Unavailable {
        message: e.to_string(),
    }
}

/// The body of a successful answer, or what the failure means to the user.
async fn json_or_error<T: DeserializeOwned>(response: Response) -> Result<T, SendError> {
    if response.ok() {
        return read(response).await;
    }
    Err(failure(response).await)
}

/// A JSON body, parsed by the browser.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, SendError> {
    let text = response.text().await.map_err(unavailable)?;
    crate::json::parse(&text).ok_or_else(|| SendError::Unavailable {
        message: "the answer was not what was expected".into(),
    })
}

/// A JSON request body.
fn with_json<B: Serialize>(
    request: RequestBuilder,
    body: &B,
) -> Result<gloo_net::http::Request, SendError> {
    let text = crate::json::stringify(body).unwrap_or_default();
    request
        .header("Content-Type", "application/json")
        .body(text)
        .map_err(unavailable)
}

async fn failure(response: Response) -> SendError {
    let status = response.status();
    let body = read::<ErrorBody>(response).await.ok();
    match body {
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
    let response = as_reporter(Request::get(&config.url("/v1/sop/index")), config)
        .send()
        .await
        .map_err(unavailable)?;
    if !response.ok() {
        return Err(failure(response).await);
    }
    let bytes = response.binary().await.map_err(unavailable)?;
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
    let response = as_reporter(Request::get(&config.url(&path)), config)
        .send()
        .await
        .map_err(unavailable)?;
    json_or_error(response).await
}

/// Records what an answer did for the user. Best effort: the user's flow
/// never waits on it or fails because of it.
pub async fn record_deflection(config: &WidgetConfig, deflection: &DeflectionRequest) {
    let request = with_json(
        as_reporter(Request::post(&config.url("/v1/deflections")), config),
        deflection,
    );
    if let Ok(request) = request {
        let _ = request.send().await;
    }
}

/// A reporter's case as the "My cases" list shows it (`CaseSummary` on the
/// wire, decoding only what is shown).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaseLine {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub status: CaseStatus,
    pub updated_at: String,
}

#[derive(Deserialize)]
struct CaseLines {
    cases: Vec<CaseLine>,
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
    pub id: i64,
    pub kind: CaseEventKind,
    pub actor: Actor,
    #[serde(default)]
    pub body: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Actor {
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// The reporter's own cases, newest first.
pub async fn my_cases(config: &WidgetConfig) -> Result<Vec<CaseLine>, SendError> {
    let request = as_reporter(Request::get(&config.url("/v1/cases/mine")), config);
    let response = request.send().await.map_err(unavailable)?;
    Ok(json_or_error::<CaseLines>(response).await?.cases)
}

pub async fn case(config: &WidgetConfig, id: i64) -> Result<CaseToFollow, SendError> {
    let request = as_reporter(
        Request::get(&config.url(&format!("/v1/cases/{id}"))),
        config,
    );
    json_or_error(request.send().await.map_err(unavailable)?).await
}

/// Posts `body` to one of the reporter's case routes (`messages`, `feedback`)
/// and returns the case as it is after.
async fn act<B: Serialize>(
    config: &WidgetConfig,
    id: i64,
    action: &str,
    body: &B,
) -> Result<CaseToFollow, SendError> {
    let path = format!("/v1/cases/{id}/{action}");
    let request = with_json(as_reporter(Request::post(&config.url(&path)), config), body)?;
    json_or_error(request.send().await.map_err(unavailable)?).await
}

/// Writes to the team; on a resolved case this reopens it.
pub async fn write(
    config: &WidgetConfig,
    id: i64,
    body: String,
) -> Result<CaseToFollow, SendError> {
    act(config, id, "messages", &MessageRequest { body }).await
}

/// Confirms a resolved case with a rating, which closes it.
pub async fn rate(config: &WidgetConfig, id: i64, rating: u8) -> Result<CaseToFollow, SendError> {
    let feedback = FeedbackRequest {
        rating,
        comment: None,
    };
    act(config, id, "feedback", &feedback).await
}
