//! Troubleshooting links: the address templates admins keep per platform —
//! the user's record in that platform's admin tool, its logs around the
//! case's time — filled from a case, so the internal data is one click away
//! from the case workspace.
//!
//! What keeps a case's own text from sending a specialist elsewhere: a
//! template is an `https` address whose host is written out (no placeholder
//! and no user-info before the path), and every value that fills it is
//! percent-encoded, so it can only ever be text inside the path or query.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::api::{LinkTemplateView, TroubleshootingLink};
use crate::case::{human_ref, slug};
use crate::clock::{iso, EpochMillis};
use crate::context::IssueContext;
use crate::limits::{LINK_TEMPLATES_MAX, NAME_MAX_CHARS, URL_MAX_CHARS};
use crate::record::CaseRecord;
use crate::text;
use crate::ValidationError;

/// What a template may name, in braces: `{reporter_id}`, `{from_ms}`, ….
pub const PLACEHOLDERS: [&str; 9] = [
    "reporter_id",
    "platform",
    "page_url",
    "case_ref",
    "created_at",
    "from",
    "to",
    "from_ms",
    "to_ms",
];

/// How far before and after the case's creation `{from}` and `{to}` reach:
/// logs "around the case's time".
pub const AROUND_MS: i64 = 15 * 60_000;

/// The platform a template stands for when it serves every platform.
pub const EVERY_PLATFORM: &str = "*";

/// What stays unencoded in a filled value: the characters RFC 3986 calls
/// unreserved, as `encodeURIComponent` leaves them (plus `!*'()`, which it
/// leaves too but a query may read as syntax, so they are encoded here).
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A template as an admin typed it, checked: its platform, its label, its
/// address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTemplate {
    pub platform: String,
    pub label: String,
    pub template: String,
}

/// The facts of a case a template is filled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts<'a> {
    pub reporter_id: &'a str,
    pub platform: &'a str,
    pub page_url: Option<&'a str>,
    pub case_ref: &'a str,
    pub created_at: EpochMillis,
}

/// Checks what an admin sends: `platform` a slug or `*` (every platform),
/// `label` a short name, `template` an `https` address (see the module).
pub fn check(platform: &str, label: &str, template: &str) -> Result<LinkTemplate, ValidationError> {
    let platform = match platform.trim() {
        EVERY_PLATFORM => EVERY_PLATFORM.to_owned(),
        other => slug("platform", other)?,
    };
    let label = text::required("label", label, NAME_MAX_CHARS, false)?;
    let template = text::required("template", template, URL_MAX_CHARS, false)?;
    let invalid = |reason| ValidationError::Invalid {
        field: "template",
        reason,
    };
    let rest = template
        .strip_prefix("https://")
        .ok_or(invalid("use an https:// address"))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host_is_plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !host_is_plain {
        return Err(invalid(
            "write the host out: no placeholder, user name or space before the path",
        ));
    }
    if template.chars().any(char::is_whitespace) {
        return Err(invalid("an address has no spaces"));
    }
    if !names_only_placeholders(&rest[host_end..]) {
        return Err(invalid(
            "placeholders are {reporter_id}, {platform}, {page_url}, {case_ref}, \
             {created_at}, {from}, {to}, {from_ms} or {to_ms}",
        ));
    }
    Ok(LinkTemplate {
        platform,
        label,
        template,
    })
}

/// Whether every `{…}` in `text` is a known placeholder, and no brace is
/// left open or stray.
fn names_only_placeholders(text: &str) -> bool {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return false;
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return false;
        };
        if !PLACEHOLDERS.contains(&&after[..close]) {
            return false;
        }
        rest = &after[close + 1..];
    }
    true
}

/// Whether one more template may be kept beside `kept`.
pub fn room_for_another(kept: usize) -> Result<(), ValidationError> {
    if kept >= LINK_TEMPLATES_MAX {
        Err(ValidationError::TooMany {
            field: "template",
            max: LINK_TEMPLATES_MAX,
        })
    } else {
        Ok(())
    }
}

/// Whether a template kept for `platform` serves a case on `case_platform`.
pub fn serves(platform: &str, case_platform: &str) -> bool {
    platform == EVERY_PLATFORM || platform == case_platform
}

/// `template` (checked by [`check`]) with each placeholder replaced by the
/// case's value, percent-encoded; a value the case lacks (no page address)
/// fills as nothing.
pub fn fill(template: &str, case: &CaseFacts<'_>) -> String {
    let value = |name: &str| -> String {
        match name {
            "reporter_id" => case.reporter_id.to_owned(),
            "platform" => case.platform.to_owned(),
            "page_url" => case.page_url.unwrap_or_default().to_owned(),
            "case_ref" => case.case_ref.to_owned(),
            "created_at" => iso(case.created_at),
            "from" => iso(case.created_at - AROUND_MS),
            "to" => iso(case.created_at + AROUND_MS),
            "from_ms" => (case.created_at - AROUND_MS).to_string(),
            "to_ms" => (case.created_at + AROUND_MS).to_string(),
            _ => String::new(),
        }
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        out.extend(utf8_percent_encode(&value(&after[..close]), VALUE));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The troubleshooting links of `case`: the templates that serve its
/// platform, its own platform's first (as `templates` order them), then
/// those for every platform, each filled from the case.
pub fn links_for(case: &CaseRecord, templates: &[LinkTemplateView]) -> Vec<TroubleshootingLink> {
    let page_url = serde_json::from_str::<IssueContext>(&case.context)
        .ok()
        .and_then(|context| context.url);
    let case_ref = human_ref(case.id);
    let facts = CaseFacts {
        reporter_id: &case.reporter_id,
        platform: &case.platform,
        page_url: page_url.as_deref(),
        case_ref: &case_ref,
        created_at: case.created_ms,
    };
    let own = templates.iter().filter(|t| t.platform == case.platform);
    let every = templates.iter().filter(|t| t.platform == EVERY_PLATFORM);
    own.chain(every)
        .map(|t| TroubleshootingLink {
            label: t.label.clone(),
            url: fill(&t.template, &facts),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CREATED: EpochMillis = 1_764_590_400_000; // 2025-12-01T12:00:00Z

    fn facts<'a>(reporter_id: &'a str, page_url: Option<&'a str>) -> CaseFacts<'a> {
        CaseFacts {
            reporter_id,
            platform: "ads-console",
            page_url,
            case_ref: "HL-1042",
            created_at: CREATED,
        }
    }

    fn checked(template: &str) -> Result<LinkTemplate, ValidationError> {
        check("ads-console", "User in admin", template)
    }

    #[test]
    fn a_template_is_filled_from_the_case_each_value_encoded() {
        let t =
            checked("https://admin.corp/users/{reporter_id}?from={from_ms}&to={to_ms}").unwrap();
        assert_eq!(
            fill(&t.template, &facts("u 42/x", None)),
            "https://admin.corp/users/u%2042%2Fx?from=1764589500000&to=1764591300000"
        );
        let logs =
            checked("https://logs.corp/search?q={page_url}&at={created_at}&c={case_ref}").unwrap();
        assert_eq!(
            fill(
                &logs.template,
                &facts("u-1", Some("https://ads.example.com/r?id=7&x=1"))
            ),
            "https://logs.corp/search?q=https%3A%2F%2Fads.example.com%2Fr%3Fid%3D7%26x%3D1\
             &at=2025-12-01T12%3A00%3A00.000Z&c=HL-1042"
        );
        assert_eq!(
            fill("https://logs.corp/?q={page_url}", &facts("u-1", None)),
            "https://logs.corp/?q="
        );
    }

    #[test]
    fn what_fills_a_template_cannot_leave_its_host() {
        let t = checked("https://admin.corp/u/{reporter_id}").unwrap();
        for hostile in [
            "@evil.example",
            "//evil.example",
            "../../x",
            "a#b?c",
            "<script>",
        ] {
            let url = fill(&t.template, &facts(hostile, None));
            assert!(url.starts_with("https://admin.corp/u/"), "{url}");
            let value = &url["https://admin.corp/u/".len()..];
            assert!(
                value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "%-_.~".contains(c)),
                "{url}"
            );
        }
    }

    #[test]
    fn only_https_addresses_with_a_written_host_and_known_placeholders() {
        for (template, why) in [
            ("http://admin.corp/u/{reporter_id}", "not https"),
            ("javascript:alert(1)", "not https"),
            ("https://{platform}.corp/u", "placeholder in the host"),
            ("https://user@evil.example/", "user-info before the host"),
            ("https:///path", "no host"),
            ("https://admin.corp/u/{reporter}", "unknown placeholder"),
            ("https://admin.corp/u/{reporter_id", "brace left open"),
            ("https://admin.corp/u/}x", "stray brace"),
            ("https://admin.corp/u/ x", "space"),
        ] {
            let err = checked(template).expect_err(why);
            assert_eq!(err.field(), "template", "{why}");
        }
        assert!(checked("https://admin.corp:8443/u/{reporter_id}#top").is_ok());
    }

    #[test]
    fn platform_is_a_slug_or_every_platform_and_label_is_required() {
        assert_eq!(check("*", "Logs", "https://l.corp/").unwrap().platform, "*");
        assert_eq!(
            check("Ads Console", "x", "https://l.corp/")
                .unwrap_err()
                .field(),
            "platform"
        );
        assert_eq!(
            check("ads", " ", "https://l.corp/").unwrap_err().field(),
            "label"
        );
        assert!(serves("*", "crm") && serves("crm", "crm") && !serves("ads", "crm"));
    }

    fn kept(id: i64, platform: &str, label: &str, template: &str) -> LinkTemplateView {
        LinkTemplateView {
            id,
            platform: platform.into(),
            label: label.into(),
            template: template.into(),
            created_by: "Ada Admin".into(),
            created_at: iso(CREATED),
        }
    }

    #[test]
    fn a_case_gets_its_platforms_links_then_everyones_filled() {
        let mut case = CaseRecord::fixture();
        case.id = 41;
        case.platform = "ads-console".into();
        case.reporter_id = "u-7".into();
        case.context = r#"{"url":"https://ads.example.com/r?id=7"}"#.into();
        case.created_ms = CREATED;
        let templates = [
            kept(
                1,
                "*",
                "Logs",
                "https://logs.corp/?q={case_ref}&p={page_url}",
            ),
            kept(2, "crm", "CRM user", "https://crm.corp/u/{reporter_id}"),
            kept(
                3,
                "ads-console",
                "Ads user",
                "https://ads.corp/u/{reporter_id}",
            ),
        ];
        let links = links_for(&case, &templates);
        let shown: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (l.label.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Ads user", "https://ads.corp/u/u-7"),
                (
                    "Logs",
                    "https://logs.corp/?q=HL-1041&p=https%3A%2F%2Fads.example.com%2Fr%3Fid%3D7"
                ),
            ]
        );
    }

    #[test]
    fn the_number_of_templates_is_limited() {
        assert!(room_for_another(LINK_TEMPLATES_MAX - 1).is_ok());
        assert_eq!(
            room_for_another(LINK_TEMPLATES_MAX).unwrap_err().field(),
            "template"
        );
    }
}
