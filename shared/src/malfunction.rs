//! Malfunction detection: which cases look alike (the same platform, and the
//! same error on the page or else the same category), and when enough of them
//! arrive close together that it is the platform, not the users — then an
//! incident opens, and later look-alikes join it.

use serde::{Deserialize, Serialize};

use crate::context::IssueContext;

/// How many look-alike cases within how many minutes open an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MalfunctionRule {
    pub threshold: u32,
    pub window_minutes: u32,
}

impl Default for MalfunctionRule {
    fn default() -> Self {
        MalfunctionRule {
            threshold: 5,
            window_minutes: 15,
        }
    }
}

impl MalfunctionRule {
    pub fn window_ms(&self) -> i64 {
        i64::from(self.window_minutes.max(1)) * 60_000
    }

    /// A rule that can never fire is a typo, not a choice: at least two cases.
    pub fn threshold(&self) -> i64 {
        i64::from(self.threshold.max(2))
    }
}

/// The longest error text kept in a signature.
const ERROR_KEY_MAX_CHARS: usize = 80;

/// What makes cases alike, stored with each case (`platform|error:…` or
/// `platform|category:…`). The first error the page saw is the strongest
/// evidence of a shared cause; numbers and ids in it are masked so the same
/// failure on different records still matches.
pub fn signature(platform: &str, category: Option<&str>, context: &IssueContext) -> String {
    let platform = platform.trim().to_lowercase();
    match context.recent_errors.first() {
        Some(error) => format!("{platform}|error:{}", mask_error(&error.message)),
        None => format!(
            "{platform}|category:{}",
            category
                .map(|c| c.trim().to_lowercase())
                .unwrap_or_default()
        ),
    }
}

fn mask_error(message: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in message.trim().to_lowercase().chars() {
        if c.is_ascii_hexdigit() && (c.is_ascii_digit() || in_number) {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        if out.chars().count() >= ERROR_KEY_MAX_CHARS {
            break;
        }
    }
    out
}

/// The incident's title, from its signature: `billing: error "typeerror: …"`.
pub fn incident_title(signature: &str) -> String {
    let (platform, key) = signature.split_once('|').unwrap_or((signature, ""));
    match key.split_once(':') {
        Some(("error", error)) => format!("{platform}: error \"{error}\""),
        Some(("category", "")) | None => format!("{platform}: many similar cases"),
        Some((_, category)) => format!("{platform}: {category} problems"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::RecentError;

    fn with_error(message: &str) -> IssueContext {
        IssueContext {
            recent_errors: vec![RecentError {
                message: message.into(),
                source: None,
                at: None,
            }],
            ..IssueContext::default()
        }
    }

    #[test]
    fn the_same_error_on_different_records_is_one_signature() {
        let a = signature(
            "Billing",
            Some("invoices"),
            &with_error("Invoice 1234 failed: HTTP 502"),
        );
        let b = signature(
            "billing ",
            None,
            &with_error("Invoice 98 failed:  HTTP 503"),
        );
        assert_eq!(a, b);
        assert_eq!(a, "billing|error:invoice # failed: http #");
    }

    #[test]
    fn without_errors_the_category_decides() {
        let none = IssueContext::default();
        assert_eq!(signature("crm", Some("Login"), &none), "crm|category:login");
        assert_ne!(
            signature("crm", Some("login"), &none),
            signature("crm", Some("export"), &none)
        );
        assert_ne!(
            signature("crm", Some("login"), &none),
            signature("billing", Some("login"), &none)
        );
    }

    #[test]
    fn words_that_look_like_hex_are_kept() {
        assert_eq!(
            mask_error("Bad face at 0xdeadbeef"),
            "bad face at #xdeadbeef"
        );
    }

    #[test]
    fn long_errors_are_cut_so_the_signature_stays_small() {
        assert!(mask_error(&"x".repeat(500)).chars().count() <= ERROR_KEY_MAX_CHARS);
    }

    #[test]
    fn titles_say_what_is_failing() {
        assert_eq!(incident_title("crm|category:login"), "crm: login problems");
        assert_eq!(
            incident_title("billing|error:http #"),
            "billing: error \"http #\""
        );
        assert_eq!(incident_title("crm|category:"), "crm: many similar cases");
    }

    #[test]
    fn a_rule_needs_at_least_two_cases() {
        let rule = MalfunctionRule {
            threshold: 0,
            window_minutes: 0,
        };
        assert_eq!(rule.threshold(), 2);
        assert_eq!(rule.window_ms(), 60_000);
    }
}
