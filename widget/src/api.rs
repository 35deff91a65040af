//! The widget's calls to the Helpline API, and what a failed call means to the
//! user: a refusal naming a field, or a network problem worth retrying.

use gloo_net::http::{Request, RequestBuilder};
use helpline_shared::api::{CaseCreated, CreateCaseRequest, ErrorBody};

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
    let unavailable = |e: gloo_net::Error| SendError::Unavailable {
        message: e.to_string(),
    };
    let request =
        Request::post(&config.url("/v1/cases")).header("Idempotency-Key", idempotency_key);
    let response = as_reporter(request, config)
        .json(case)
        .map_err(unavailable)?
        .send()
        .await
        .map_err(unavailable)?;
    let status = response.status();
    if response.ok() {
        return response.json::<CaseCreated>().await.map_err(unavailable);
    }
    let body = response.json::<ErrorBody>().await.ok();
    Err(match body {
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
    })
}
