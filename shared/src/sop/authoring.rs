//! The rules for writing SOP articles: what a valid article is, before it is
//! stored as a new version. Each failure names the field at fault.

use crate::api::SopArticleInput;
use crate::case::slug as slug_field;
use crate::limits::{SOP_BODY_MAX_CHARS, SOP_MAX_LIST_ITEMS, SOP_TAG_MAX_CHARS, TITLE_MAX_CHARS};
use crate::text;
use crate::ValidationError;

use super::SopArticle;

/// A new article that answers a gap: the question as its title, a slug
/// made from it (blank for a question with no Latin letters or digits: the
/// author writes one), its steps still to write, in the language it was
/// asked in, unpublished.
pub fn draft_for_gap(query: &str) -> SopArticleInput {
    let one_line = text::clean(query, false);
    let title: String = one_line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(TITLE_MAX_CHARS)
        .collect();
    let mut slug = String::new();
    // Only ASCII letters and digits make a slug: no Unicode case tables.
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(60).collect();
    let chinese = title
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    SopArticleInput {
        slug: slug.trim_end_matches('-').to_owned(),
        title,
        language: if chinese { "zh-CN" } else { "en" }.into(),
        ..new_article()
    }
}

/// A new article before anything is written: a how-to in English, its first
/// step still to write, unpublished.
pub fn new_article() -> SopArticleInput {
    SopArticleInput {
        slug: String::new(),
        title: String::new(),
        body_markdown: "1. ".into(),
        tags: vec![],
        category: "how-to".into(),
        platforms: vec![],
        language: "en".into(),
        published: false,
    }
}

/// Checks and cleans an article; `path_slug` is the slug of the article being
/// edited (it wins over the body's), `None` when creating.
pub fn validate_article(
    input: &SopArticleInput,
    path_slug: Option<&str>,
) -> Result<SopArticle, ValidationError> {
    let slug = slug_field("slug", path_slug.unwrap_or(&input.slug))?;
    if slug.len() < 3 {
        return Err(ValidationError::Invalid {
            field: "slug",
            reason: "use at least 3 characters",
        });
    }
    let title = text::required("title", &input.title, TITLE_MAX_CHARS, false)?;
    let body_markdown = text::required(
        "body_markdown",
        &input.body_markdown,
        SOP_BODY_MAX_CHARS,
        true,
    )?;
    let category = slug_field("category", &input.category)?;
    let tags = list("tags", &input.tags, |t| {
        text::required("tags", t, SOP_TAG_MAX_CHARS, false)
    })?;
    let platforms = list("platforms", &input.platforms, |p| {
        slug_field("platforms", p)
    })?;
    let language = input.language.trim().to_owned();
    if !is_language_tag(&language) {
        return Err(ValidationError::Invalid {
            field: "language",
            reason: "use a language tag such as en or zh-CN",
        });
    }
    Ok(SopArticle {
        slug,
        title,
        body_markdown,
        tags,
        category,
        platforms,
        language,
    })
}

/// A list field (tags, platforms): at most `SOP_MAX_LIST_ITEMS` items, each
/// checked by `item`.
fn list(
    field: &'static str,
    items: &[String],
    item: impl Fn(&str) -> Result<String, ValidationError>,
) -> Result<Vec<String>, ValidationError> {
    if items.len() > SOP_MAX_LIST_ITEMS {
        return Err(ValidationError::TooMany {
            field,
            max: SOP_MAX_LIST_ITEMS,
        });
    }
    items.iter().map(|value| item(value)).collect()
}

/// `en`, `zh-CN`, `zh-Hans`: a two- or three-letter language and an optional region or script.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_lowercase())
        && rest.len() <= 1
        && rest
            .iter()
            .all(|r| (2..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SopArticleInput {
        SopArticleInput {
            slug: "reset-mfa-device".into(),
            title: "Reset a lost MFA device".into(),
            body_markdown: "1. Verify identity\n2. Reset".into(),
            tags: vec!["mfa".into(), "登录".into()],
            category: "sso-and-mfa".into(),
            platforms: vec![],
            language: "en".into(),
            published: false,
        }
    }

    #[test]
    fn a_valid_article_passes_and_the_path_slug_wins() {
        assert_eq!(
            validate_article(&input(), None).unwrap().slug,
            "reset-mfa-device"
        );
        assert_eq!(
            validate_article(&input(), Some("other-slug")).unwrap().slug,
            "other-slug"
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        type Spoil = fn(&mut SopArticleInput);
        let cases: [(&str, Spoil); 8] = [
            ("slug", |i| i.slug = "Bad Slug".into()),
            ("slug", |i| i.slug = "ab".into()),
            ("title", |i| i.title = " ".into()),
            ("body_markdown", |i| {
                i.body_markdown = "x".repeat(SOP_BODY_MAX_CHARS + 1)
            }),
            ("category", |i| i.category = "Access & SSO".into()),
            ("tags", |i| {
                i.tags = vec!["t".into(); SOP_MAX_LIST_ITEMS + 1]
            }),
            ("platforms", |i| i.platforms = vec!["Ads Console".into()]),
            ("language", |i| i.language = "english".into()),
        ];
        for (field, spoil) in cases {
            let mut bad = input();
            spoil(&mut bad);
            assert_eq!(validate_article(&bad, None).unwrap_err().field(), field);
        }
    }

    #[test]
    fn language_tags_follow_bcp47_shapes() {
        assert!(is_language_tag("zh-CN") && is_language_tag("zh-Hans") && is_language_tag("en"));
        assert!(!is_language_tag("EN") && !is_language_tag("zh-CN-x") && !is_language_tag(""));
    }

    #[test]
    fn a_gap_becomes_a_draft_titled_by_its_question() {
        let draft = draft_for_gap("  How do I export  to CSV? ");
        assert_eq!(draft.title, "How do I export to CSV?");
        assert_eq!(draft.slug, "how-do-i-export-to-csv");
        assert_eq!((draft.language.as_str(), draft.published), ("en", false));
        let chinese = draft_for_gap("如何导出报表");
        assert_eq!(
            (chinese.slug.as_str(), chinese.language.as_str()),
            ("", "zh-CN")
        );
        assert_eq!(draft_for_gap("SSO 登录失败").slug, "sso");
        // What a gap drafts is a valid article once its steps are written.
        let mut written = draft_for_gap("How do I export to CSV?");
        written.body_markdown.push_str("Open Reports, then Export.");
        assert!(validate_article(&written, None).is_ok());
    }
}
