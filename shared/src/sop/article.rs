//! The published SOP article, as the search engine sees it. Its body is read
//! as plain text by `crate::markdown::plain_text`, the one Markdown reader.

use serde::{Deserialize, Serialize};

/// A published Standard Operating Procedure: what a platform user is shown while
/// typing a problem, and what a specialist follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopArticle {
    /// Stable identifier used in URLs (`/v1/sop/articles/{slug}`).
    pub slug: String,
    pub title: String,
    /// Markdown: numbered steps, links, inline code.
    pub body_markdown: String,
    pub tags: Vec<String>,
    pub category: String,
    /// Platforms the procedure applies to; empty means all.
    pub platforms: Vec<String>,
    /// BCP 47 language tag: `en`, `zh-CN`, …
    pub language: String,
}

/// An article for the search's tests, in the default category and on no
/// particular platform.
#[cfg(test)]
impl SopArticle {
    pub(crate) fn fixture(
        slug: &str,
        title: &str,
        body: &str,
        tags: &[&str],
        language: &str,
    ) -> SopArticle {
        SopArticle {
            slug: slug.into(),
            title: title.into(),
            body_markdown: body.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            category: "general".into(),
            platforms: vec![],
            language: language.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_round_trips_through_json() {
        let a = SopArticle {
            slug: "s".into(),
            title: "T".into(),
            body_markdown: "1. x".into(),
            tags: vec!["t".into()],
            category: "c".into(),
            platforms: vec![],
            language: "zh-CN".into(),
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<SopArticle>(&json).unwrap(), a);
    }
}
