//! Decoding of request bodies with errors that name the field at fault, so a
//! wrong type deep in a body is reported as `reporter.email`, not as "line 1".

use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::limits::REQUEST_BODY_MAX_BYTES;

/// Why a body could not be turned into a request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BodyError {
    #[error("the request body is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the request body is not valid JSON: {message}")]
    Syntax { message: String },
    #[error("{message}")]
    Shape {
        field: Option<String>,
        message: String,
    },
}

impl BodyError {
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Shape { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

/// Decodes a JSON request body within the size limit.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    if body.len() > REQUEST_BODY_MAX_BYTES {
        return Err(BodyError::TooLarge {
            max: REQUEST_BODY_MAX_BYTES,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return BodyError::Syntax {
                message: inner.to_string(),
            };
        }
        let message = strip_position(&inner.to_string());
        // A missing field is reported at its parent's path, with its own name
        // only in the message; name it fully so the client can point at it.
        let field = match missing_field(&message) {
            Some(name) if path == "." => Some(name.to_owned()),
            Some(name) => Some(format!("{path}.{name}")),
            None if path == "." => None,
            None => Some(path),
        };
        BodyError::Shape { field, message }
    })?;
    de.end().map_err(|e| BodyError::Syntax {
        message: e.to_string(),
    })?;
    Ok(value)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CreateCaseRequest;

    #[test]
    fn wrong_type_names_the_nested_field() {
        let body = br#"{"description":"x","platform":"p","reporter":{"id":7}}"#;
        let err = decode::<CreateCaseRequest>(body).unwrap_err();
        assert_eq!(err.field(), Some("reporter.id"));
    }

    #[test]
    fn missing_field_is_named_with_its_path() {
        let err =
            decode::<CreateCaseRequest>(br#"{"description":"x","platform":"p"}"#).unwrap_err();
        assert_eq!(err.field(), Some("reporter"));
        let body = br#"{"description":"x","platform":"p","reporter":{}}"#;
        let err = decode::<CreateCaseRequest>(body).unwrap_err();
        assert_eq!(err.field(), Some("reporter.id"));
    }

    #[test]
    fn invalid_json_is_a_syntax_error() {
        assert!(matches!(
            decode::<CreateCaseRequest>(b"{nope"),
            Err(BodyError::Syntax { .. })
        ));
    }

    #[test]
    fn oversized_body_is_refused_before_parsing() {
        let body = vec![b' '; REQUEST_BODY_MAX_BYTES + 1];
        assert_eq!(
            decode::<CreateCaseRequest>(&body),
            Err(BodyError::TooLarge {
                max: REQUEST_BODY_MAX_BYTES
            })
        );
    }
}
