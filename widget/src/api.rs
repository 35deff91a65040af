//! The widget's calls to the Helpline API, and what a failed call means to the
//! user: a refusal naming a field, or a network problem worth retrying.

use gloo_net::http::{Request, RequestBuilder, Response};
use helpline_shared::api::{CaseCreated, CreateCaseRequest, DeflectionRequest, ErrorBody};
use helpline_shared::sop::SopIndex;
use serde::de::DeserializeOwned;

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

/// Sends a case. `idempotency_key` stays the same for every retry of one
/// draft, so a retry after a lost answer never makes a second case.
pub async fn create_case(
    config: &WidgetConfig,
    case: &CreateCaseRequest,
    idempotency_key: &str,
) -> Result<CaseCreated, SendError> {
    let request =
        Request::post(&config.url("/v1/cases")).header("Idempotency-Key", idempotency_key);
    let response = as_reporter(request, config)
        .json(case)
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
        return response.json::<T>().await.map_err(unavailable);
    }
    Err(failure(response).await)
}

async fn failure(response: Response) -> SendError {
    let status = response.status();
    let body = response.json::<ErrorBody>().await.ok();
    match body {
        Some(ErrorBody { error }) if (400..500).contains(&status) => SendError::Refused {
            message: error.message,
            field: error.field,
        },
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
    let request =
        as_reporter(Request::post(&config.url("/v1/deflections")), config).json(deflection);
    if let Ok(request) = request {
        let _ = request.send().await;
    }
}
