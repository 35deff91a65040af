//! Cases as a platform user submits them: the validated form of a new case, its
//! priority and SLA start, its human reference, and the fingerprint that makes
//! a retried submission recognisable.

use sha2::{Digest, Sha256};

use crate::api::{CreateCaseRequest, ReporterInput};
use crate::clock::EpochMillis;
use crate::context::{validate_context, IssueContext};
use crate::identity::ReporterClaims;
use crate::limits::{
    DESCRIPTION_MAX_CHARS, IDEMPOTENCY_KEY_MAX_CHARS, PLATFORM_MAX_CHARS, REPORTER_FIELD_MAX_CHARS,
    TITLE_MAX_CHARS,
};
use crate::priority::{priority_for, suggest_choices, Impact, Priority, Urgency};
use crate::text;
use crate::ValidationError;

/// Who reported a case, as the host platform identified them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// Whether the host signed the name and email too (an identity token),
    /// not only the id: the team is shown which.
    pub verified: bool,
}

/// The reporter as a host's verified identity token names them, checked by
/// the same rules as what the widget sends.
pub fn verified_reporter(claims: &ReporterClaims) -> Result<Reporter, ValidationError> {
    let reporter = validate_reporter(&ReporterInput {
        id: claims.sub.clone(),
        name: claims.name.clone(),
        email: claims.email.clone(),
    })?;
    Ok(Reporter {
        verified: true,
        ..reporter
    })
}

/// The case as its signed reporter sends it: a token's name and email stand,
/// whatever the body says (and are marked verified); otherwise the body's are
/// kept, unverified. Either way the reporter must be the one who signed in.
pub fn as_signed_reporter(
    mut case: NewCase,
    signed_id: &str,
    claims: Option<&ReporterClaims>,
) -> Result<NewCase, ValidationError> {
    if let Some(claims) = claims {
        case.reporter = verified_reporter(claims)?;
    }
    if case.reporter.id != signed_id {
        return Err(ValidationError::Invalid {
            field: "reporter.id",
            reason: "must be the signed-in user",
        });
    }
    Ok(case)
}

/// A case that passed validation and is ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub description: String,
    pub platform: String,
    pub category: Option<String>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub reporter: Reporter,
    pub context: IssueContext,
}

/// The reference a person reads out on a call: `HL-1042`. Offset from the row id
/// so that the first cases do not look like test data (`HL-1`).
pub fn human_ref(id: i64) -> String {
    format!("HL-{}", id + 1000)
}

/// The row id behind a human reference, if `reference` is one.
pub fn parse_human_ref(reference: &str) -> Option<i64> {
    let number: i64 = reference.strip_prefix("HL-")?.parse().ok()?;
    (number > 1000).then_some(number - 1000)
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
    let platform = slug("platform", &input.platform)?;
    let category = match input.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(slug("category", c)?),
    };
    let reporter = validate_reporter(&input.reporter)?;
    let context = validate_context(&input.context)?;
    // What the reporter chose stands; what they left unchosen is read from
    // what they wrote, and only then falls back to one user slowed down.
    let text = format!("{title}\n{description}");
    let suggested = suggest_choices(&text);
    let impact = input
        .impact
        .or(suggested.impact)
        .unwrap_or(Impact::Individual);
    let urgency = input
        .urgency
        .or(suggested.urgency)
        .unwrap_or(Urgency::Degraded);
    let priority = priority_for(impact, urgency, &text);
    Ok(NewCase {
        title,
        description,
        platform,
        category,
        impact,
        urgency,
        priority,
        reporter,
        context,
    })
}

/// Platforms and categories are slugs (`ads-console`) so that filters and
/// reports group them reliably: lowercase letters, digits, `-`, `_` and `.`.
pub fn slug(field: &'static str, input: &str) -> Result<String, ValidationError> {
    let value = text::required(field, input, PLATFORM_MAX_CHARS, false)?;
    let is_slug = value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if is_slug {
        Ok(value)
    } else {
        Err(ValidationError::Invalid {
            field,
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
    Ok(Reporter {
        id,
        name,
        email,
        verified: false,
    })
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

/// An `Idempotency-Key` as the client sent it: printable ASCII, bounded.
pub fn validate_idempotency_key(key: &str) -> Result<String, ValidationError> {
    let field = "Idempotency-Key";
    let key = key.trim();
    if key.is_empty() {
        return Err(ValidationError::Required { field });
    }
    if key.len() > IDEMPOTENCY_KEY_MAX_CHARS {
        return Err(ValidationError::TooLong {
            field,
            max: IDEMPOTENCY_KEY_MAX_CHARS,
        });
    }
    if !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ValidationError::Invalid {
            field,
            reason: "use printable ASCII characters",
        });
    }
    Ok(key.to_owned())
}

/// What identifies a submission's content: a retry with the same key must
/// carry the same fingerprint, or it is a different case reusing a key.
/// Computed over the parsed request, so field order and white space between
/// JSON tokens do not matter.
pub fn request_fingerprint(input: &CreateCaseRequest) -> String {
    let canonical = serde_json::to_vec(input).unwrap_or_default();
    hex::encode(Sha256::digest(&canonical))
}

/// What became of a submission, decided from what the one intake write found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeOutcome {
    /// A new case was stored.
    Created,
    /// A retry of a submission already stored: answer with that case.
    Replayed,
    /// The key was used before for different content.
    KeyReused,
    /// Nothing stored: the reporter or their address is over the rate limit.
    RateLimited,
}

/// `inserted`: whether this request stored the case; `stored_fingerprint`: the
/// fingerprint of the case stored under the reporter's key, if any.
pub fn intake_outcome(
    inserted: bool,
    stored_fingerprint: Option<&str>,
    fingerprint: &str,
) -> IntakeOutcome {
    match (inserted, stored_fingerprint) {
        (true, _) => IntakeOutcome::Created,
        (false, Some(stored)) if stored == fingerprint => IntakeOutcome::Replayed,
        (false, Some(_)) => IntakeOutcome::KeyReused,
        (false, None) => IntakeOutcome::RateLimited,
    }
}

/// When a new case's first response is due under `policy`.
pub fn first_response_due(
    priority: Priority,
    created: EpochMillis,
    policy: &crate::sla::SlaPolicy,
) -> EpochMillis {
    created + policy.target(priority).first_response_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(description: &str) -> CreateCaseRequest {
        CreateCaseRequest {
            title: None,
            description: description.into(),
            platform: "ads-console".into(),
            category: None,
            impact: None,
            urgency: None,
            reporter: ReporterInput {
                id: "u-1".into(),
                name: Some("Ana".into()),
                email: Some("ana@example.com".into()),
            },
            context: IssueContext::default(),
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
    fn platform_and_category_must_be_slugs() {
        let mut req = request("help");
        req.platform = "Ads Console".into();
        assert_eq!(validate_new_case(&req).unwrap_err().field(), "platform");
        let mut req = request("help");
        req.category = Some("Access <b>".into());
        assert_eq!(validate_new_case(&req).unwrap_err().field(), "category");
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
    fn priority_defaults_to_one_user_degraded_and_reads_the_text() {
        assert_eq!(
            validate_new_case(&request("slow page")).unwrap().priority,
            Priority::P3
        );
        assert_eq!(
            validate_new_case(&request("Outage: nothing loads"))
                .unwrap()
                .priority,
            Priority::P1
        );
    }

    #[test]
    fn human_ref_is_offset_from_the_row_id_and_parses_back() {
        assert_eq!(human_ref(42), "HL-1042");
        assert_eq!(parse_human_ref("HL-1042"), Some(42));
        assert_eq!(parse_human_ref("HL-999"), None);
        assert_eq!(parse_human_ref("42"), None);
    }

    #[test]
    fn the_fingerprint_ignores_json_layout_but_not_content() {
        let a: CreateCaseRequest =
            serde_json::from_str(r#"{"description":"x","platform":"p","reporter":{"id":"u"}}"#)
                .unwrap();
        let b: CreateCaseRequest = serde_json::from_str(
            r#"{ "reporter": {"id":"u"}, "platform":"p", "description":"x" }"#,
        )
        .unwrap();
        assert_eq!(request_fingerprint(&a), request_fingerprint(&b));
        let mut c = a.clone();
        c.description = "y".into();
        assert_ne!(request_fingerprint(&a), request_fingerprint(&c));
    }

    #[test]
    fn intake_outcome_follows_what_the_write_found() {
        assert_eq!(intake_outcome(true, Some("f"), "f"), IntakeOutcome::Created);
        assert_eq!(
            intake_outcome(false, Some("f"), "f"),
            IntakeOutcome::Replayed
        );
        assert_eq!(
            intake_outcome(false, Some("g"), "f"),
            IntakeOutcome::KeyReused
        );
        assert_eq!(intake_outcome(false, None, "f"), IntakeOutcome::RateLimited);
    }

    #[test]
    fn idempotency_keys_are_bounded_printable_ascii() {
        assert_eq!(validate_idempotency_key(" abc-1 ").unwrap(), "abc-1");
        assert!(validate_idempotency_key("").is_err());
        assert!(validate_idempotency_key("a b").is_err());
        assert!(validate_idempotency_key(&"k".repeat(101)).is_err());
    }

    #[test]
    fn unchosen_impact_and_urgency_are_read_from_the_text() {
        let case = validate_new_case(&request(
            "Export fails since this morning, our whole team is blocked",
        ))
        .unwrap();
        assert_eq!(case.impact, Impact::Team);
        assert_eq!(case.urgency, Urgency::Blocked);
        // Team × blocked in the matrix.
        assert_eq!(case.priority, Priority::P2);
    }

    #[test]
    fn a_chosen_impact_or_urgency_is_not_overridden_by_the_text() {
        let mut req = request("our whole team is blocked");
        req.impact = Some(Impact::Individual);
        req.urgency = Some(Urgency::Question);
        let case = validate_new_case(&req).unwrap();
        assert_eq!(
            (case.impact, case.urgency, case.priority),
            (Impact::Individual, Urgency::Question, Priority::P4)
        );
    }

    #[test]
    fn every_free_text_field_of_a_new_case_gets_the_one_cleaning_rule() {
        let hidden = "\u{0}\u{202E}\u{1b}";
        let mut req = request(&format!("Export{hidden} fails\r\nagain"));
        req.title = Some(format!("Export{hidden}\nfails"));
        req.reporter.name = Some(format!("Ana{hidden}"));
        req.context
            .attributes
            .insert("plan".into(), format!("pro{hidden}"));
        let case = validate_new_case(&req).unwrap();
        assert_eq!(case.title, "Export fails");
        assert_eq!(case.description, "Export fails\nagain");
        assert_eq!(case.reporter.name.as_deref(), Some("Ana"));
        assert_eq!(case.context.attributes["plan"], "pro");
    }

    #[test]
    fn a_token_names_the_reporter_whatever_the_body_says() {
        let case = validate_new_case(&request("Export fails since this morning")).unwrap();
        let claims = ReporterClaims {
            sub: "u-1".into(),
            name: Some("Dana Wu".into()),
            email: Some("dana@example.com".into()),
            exp: 0,
        };
        let signed = as_signed_reporter(case.clone(), "u-1", Some(&claims)).unwrap();
        assert_eq!(signed.reporter.name.as_deref(), Some("Dana Wu"));
        assert!(signed.reporter.verified);
        let by_hash = as_signed_reporter(case.clone(), "u-1", None).unwrap();
        assert!(
            !by_hash.reporter.verified,
            "what the body says is unverified"
        );
        assert_eq!(
            as_signed_reporter(case, "u-2", None).unwrap_err().field(),
            "reporter.id"
        );
    }
}
