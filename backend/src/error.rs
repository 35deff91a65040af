//! The Worker's one error type and the one place it becomes an HTTP answer:
//! `{"error":{"code","message","field"?}}` with the matching status. Internal
//! failures are logged and answered with a generic message, never the details.

use helpline_shared::api::{ErrorBody, ErrorDetail};
use helpline_shared::json::BodyError;
use helpline_shared::ValidationError;
use thiserror::Error;
use worker::Response;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error(transparent)]
    Body(#[from] BodyError),
    #[error("a valid specialist token is required")]
    Unauthorized,
    #[error("no such resource")]
    NotFound,
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("storage failed: {0}")]
    Storage(#[from] worker::Error),
}

impl ApiError {
    fn status(&self) -> u16 {
        match self {
            Self::Validation(_) => 422,
            Self::Body(BodyError::TooLarge { .. }) => 413,
            Self::Body(_) => 400,
            Self::Unauthorized => 401,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Storage(_) => 500,
        }
    }

    fn detail(&self) -> ErrorDetail {
        let (code, field) = match self {
            Self::Validation(e) => (e.code(), Some(e.field().to_owned())),
            Self::Body(BodyError::TooLarge { .. }) => ("too_large", None),
            Self::Body(BodyError::Syntax { .. }) => ("invalid_json", None),
            Self::Body(e @ BodyError::Shape { .. }) => ("invalid_body", e.field().map(Into::into)),
            Self::Unauthorized => ("unauthorized", None),
            Self::NotFound => ("not_found", None),
            Self::MethodNotAllowed => ("method_not_allowed", None),
            Self::Storage(_) => ("internal", None),
        };
        let message = match self {
            Self::Storage(_) => "something went wrong on our side; please retry".to_owned(),
            other => other.to_string(),
        };
        ErrorDetail {
            code: code.to_owned(),
            message,
            field,
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        if let Self::Storage(err) = &self {
            worker::console_error!("internal error: {err}");
        }
        let mut response = Response::from_json(&ErrorBody {
            error: self.detail(),
        })?
        .with_status(self.status());
        if matches!(self, Self::Unauthorized) {
            response
                .headers_mut()
                .set("WWW-Authenticate", "Bearer realm=\"helpline\"")?;
        }
        Ok(response)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
