//! Cases as a platform user submits them: the validated form of a new case and
//! its human reference. The lifecycle and SLA rules join this module's siblings
//! as they are built.

use crate::api::{CreateCaseRequest, ReporterInput};
use crate::limits::{
    DESCRIPTION_MAX_CHARS, PLATFORM_MAX_CHARS, REPORTER_FIELD_MAX_CHARS, TITLE_MAX_CHARS,
};
use crate::text;
use crate::ValidationError;

/// Who reported a case, as the host platform identified them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// A case that passed validation and is ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub description: String,
    pub platform: String,
    pub reporter: Reporter,
}

/// Where a case stands. Only the first state exists in the walking skeleton; the
/// lifecycle state machine grows here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Queued,
}

impl CaseStatus {
    /// The value stored in D1 and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
        }
    }
}

/// The reference a person reads out on a call: `HL-1042`. Offset from the row id
/// so that the first cases do not look like test data (`HL-1`).
pub fn human_ref(id: i64) -> String {
    format!("HL-{}", id + 1000)
}

/// Checks and cleans a case as the widget sends it. The title is optional: when
/// the user gave none, the first line of the description stands in, because a
/// queue of untitled cases cannot be scanned.
pub fn validate_new_case(input: &CreateCaseRequest) -> Result<NewCase, ValidationError> {
    let description = text::required(
        "description",
        &input.description,
        DESCRIPTION_MAX_CHARS,
        true,
    )?;
    let title = text::optional("title", input.title.as_deref(), TITLE_MAX_CHARS)?
        .unwrap_or_else(|| text::first_line(&description, TITLE_MAX_CHARS));
    let platform = validate_platform(&input.platform)?;
    let reporter = validate_reporter(&input.reporter)?;
    Ok(NewCase {
        title,
        description,
        platform,
        reporter,
    })
}

/// Platforms are slugs (`ads-console`) so that filters and reports group them
/// reliably: lowercase letters, digits, `-`, `_` and `.`.
fn validate_platform(input: &str) -> Result<String, ValidationError> {
    let platform = text::required("platform", input, PLATFORM_MAX_CHARS, false)?;
    let is_slug = platform
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if is_slug {
        Ok(platform)
    } else {
        Err(ValidationError::Invalid {
            field: "platform",
            reason: "use lowercase letters, digits, '-', '_' or '.'",
        })
    }
}

fn validate_reporter(input: &ReporterInput) -> Result<Reporter, ValidationError> {
    let id = text::required("reporter.id", &input.id, REPORTER_FIELD_MAX_CHARS, false)?;
    let name = text::optional(
        "reporter.name",
        input.name.as_deref(),
        REPORTER_FIELD_MAX_CHARS,
    )?;
    let email = text::optional(
        "reporter.email",
        input.email.as_deref(),
        REPORTER_FIELD_MAX_CHARS,
    )?;
    if let Some(email) = &email {
        if !looks_like_email(email) {
            return Err(ValidationError::Invalid {
                field: "reporter.email",
                reason: "expected an address like name@example.com",
            });
        }
    }
    Ok(Reporter { id, name, email })
}

/// Deliberately loose: one `@` with something on each side and a dot in the
/// domain. Mail servers are the real judge; this only catches a wrong field.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(description: &str) -> CreateCaseRequest {
        CreateCaseRequest {
            title: None,
            description: description.into(),
            platform: "ads-console".into(),
            reporter: ReporterInput {
                id: "u-1".into(),
                name: Some("Ana".into()),
                email: Some("ana@example.com".into()),
            },
        }
    }

    #[test]
    fn empty_description_is_refused_naming_the_field() {
        let err = validate_new_case(&request("   ")).unwrap_err();
        assert_eq!(err.field(), "description");
        assert_eq!(err.code(), "required");
    }

    #[test]
    fn title_defaults_to_the_first_line_of_the_description() {
        let case = validate_new_case(&request("Export stuck at 99%\nsince this morning")).unwrap();
        assert_eq!(case.title, "Export stuck at 99%");
        assert_eq!(case.description, "Export stuck at 99%\nsince this morning");
    }

    #[test]
    fn description_over_the_limit_is_too_long() {
        let long = "x".repeat(DESCRIPTION_MAX_CHARS + 1);
        let err = validate_new_case(&request(&long)).unwrap_err();
        assert_eq!(
            err,
            ValidationError::TooLong {
                field: "description",
                max: DESCRIPTION_MAX_CHARS
            }
        );
    }

    #[test]
    fn platform_must_be_a_slug() {
        let mut req = request("help");
        req.platform = "Ads Console".into();
        assert_eq!(validate_new_case(&req).unwrap_err().field(), "platform");
    }

    #[test]
    fn reporter_needs_an_id_and_a_plausible_email() {
        let mut req = request("help");
        req.reporter.id = " ".into();
        assert_eq!(validate_new_case(&req).unwrap_err().field(), "reporter.id");
        let mut req = request("help");
        req.reporter.email = Some("ana.example.com".into());
        assert_eq!(
            validate_new_case(&req).unwrap_err().field(),
            "reporter.email"
        );
    }

    #[test]
    fn html_and_sql_looking_text_is_kept_verbatim() {
        let text = "<script>alert(1)</script>'; DROP TABLE cases; --";
        assert_eq!(validate_new_case(&request(text)).unwrap().description, text);
    }

    #[test]
    fn human_ref_is_offset_from_the_row_id() {
        assert_eq!(human_ref(42), "HL-1042");
    }
}
