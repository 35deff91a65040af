//! Validation errors: what is wrong with input, in domain words, always naming
//! the field so the widget can point at it and the API can report it.

use thiserror::Error;

/// Why a request's content was refused. Every variant names the offending field
/// by its JSON path (e.g. `description`, `reporter.email`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} has more than {max} items")]
    TooMany { field: &'static str, max: usize },
    #[error("{field} is larger than {max_bytes} bytes")]
    TooLarge {
        field: &'static str,
        max_bytes: usize,
    },
    #[error("{field} is not valid: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

impl ValidationError {
    /// The JSON path of the field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Required { field }
            | Self::TooLong { field, .. }
            | Self::TooMany { field, .. }
            | Self::TooLarge { field, .. }
            | Self::Invalid { field, .. } => field,
        }
    }

    /// A stable, machine-readable code for the API error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required { .. } => "required",
            Self::TooLong { .. } => "too_long",
            Self::TooMany { .. } => "too_many",
            Self::TooLarge { .. } => "too_large",
            Self::Invalid { .. } => "invalid",
        }
    }
}
