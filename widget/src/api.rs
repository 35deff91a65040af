//! The widget's calls to the Helpline API, and what a failed call means to the
//! user: a refusal naming a field, or a network problem worth retrying.

use gloo_net::http::Request;
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

pub async fn create_case(
    config: &WidgetConfig,
    case: &CreateCaseRequest,
) -> Result<CaseCreated, SendError> {
    let unavailable = |e: gloo_net::Error| SendError::Unavailable {
        message: e.to_string(),
    };
    let response = Request::post(&config.url("/v1/cases"))
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
