//! The Worker's one error type and the one place it becomes an HTTP answer:
//! `{"error":{"code","message","field"?}}` with the matching status. Internal
//! failures are logged and answered with a generic message, never the details.

use helpline_shared::api::{ErrorBody, ErrorDetail};
use helpline_shared::change::ChangeError;
use helpline_shared::json::BodyError;
use helpline_shared::lifecycle::TransitionError;
use helpline_shared::ValidationError;
use thiserror::Error;
use worker::Response;

#[derive(Debug, Error)]
pub enum ApiError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error(transparent)]
    Body(#[from] BodyError),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("a valid specialist token is required")]
    Unauthorized,
    #[error("a signed user identity is required (X-Helpline-User and X-Helpline-User-Hash)")]
    UnsignedUser,
    #[error("this needs the {0} role")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotPermitted(String),
    #[error("no such resource")]
    NotFound,
    #[error("this method is not allowed here")]
    MethodNotAllowed { allow: Vec<&'static str> },
    #[error("the case changed since you loaded it; reload and try again")]
    StaleVersion,
    #[error("this Idempotency-Key was already used for a different case")]
    IdempotencyConflict,
    #[error("{0}")]
    Conflict(String),
    #[error("too many new cases; try again in {retry_after} seconds")]
    RateLimited { retry_after: u32 },
    #[error("storage failed: {0}")]
    Storage(#[from] worker::Error),
    /// Something that cannot happen unless stored data or the runtime is
    /// broken (a stored value that does not decode, no randomness).
    #[error("internal: {0}")]
    Internal(String),
}

impl From<ChangeError> for ApiError {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::Invalid(e) => Self::Validation(e),
            ChangeError::Transition(e) => Self::Transition(e),
            ChangeError::AlreadyRated => Self::Conflict(err.to_string()),
            ChangeError::NotHolder | ChangeError::SpecialistsOnly | ChangeError::ReporterOnly => {
                Self::NotPermitted(err.to_string())
            }
        }
    }
}

impl ApiError {
    fn status(&self) -> u16 {
        match self {
            Self::Validation(_) => 422,
            Self::Body(BodyError::TooLarge { .. }) => 413,
            Self::Body(_) => 400,
            Self::Unauthorized | Self::UnsignedUser => 401,
            Self::Forbidden(_) | Self::NotPermitted(_) => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed { .. } => 405,
            Self::Transition(_)
            | Self::StaleVersion
            | Self::IdempotencyConflict
            | Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::Storage(_) | Self::Internal(_) => 500,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Validation(e) => e.code(),
            Self::Body(BodyError::TooLarge { .. }) => "too_large",
            Self::Body(BodyError::Syntax { .. }) => "invalid_json",
            Self::Body(BodyError::Shape { .. }) => "invalid_body",
            Self::Transition(_) => "illegal_transition",
            Self::Unauthorized => "unauthorized",
            Self::UnsignedUser => "unsigned_user",
            Self::Forbidden(_) | Self::NotPermitted(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::StaleVersion => "stale_version",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::Conflict(_) => "conflict",
            Self::RateLimited { .. } => "rate_limited",
            Self::Storage(_) | Self::Internal(_) => "internal",
        }
    }

    fn detail(&self) -> ErrorDetail {
        let field = match self {
            Self::Validation(e) => Some(e.field().to_owned()),
            Self::Body(e) => e.field().map(Into::into),
            _ => None,
        };
        let message = match self {
            Self::Storage(_) | Self::Internal(_) => {
                "something went wrong on our side; please retry".to_owned()
            }
            other => other.to_string(),
        };
        ErrorDetail {
            code: self.code().to_owned(),
            message,
            field,
        }
    }

    /// The error as the body of a refusal says it, for an answer that
    /// reports several outcomes (an end of shift) rather than failing whole.
    pub fn refusal(&self) -> ErrorDetail {
        if matches!(self, Self::Storage(_) | Self::Internal(_)) {
            worker::console_error!("{self}");
        }
        self.detail()
    }

    pub fn into_response(self) -> worker::Result<Response> {
        let mut response = Response::from_json(&ErrorBody {
            error: self.refusal(),
        })?
        .with_status(self.status());
        match self {
            Self::Unauthorized => response
                .headers_mut()
                .set("WWW-Authenticate", "Bearer realm=\"helpline\"")?,
            Self::RateLimited { retry_after } => response
                .headers_mut()
                .set("Retry-After", &retry_after.to_string())?,
            Self::MethodNotAllowed { allow } => {
                response.headers_mut().set("Allow", &allow.join(", "))?
            }
            _ => {}
        }
        Ok(response)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
