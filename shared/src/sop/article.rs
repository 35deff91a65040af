//! The published SOP article, as the search engine sees it, and the reduction of its
//! Markdown body to plain text: the text that is indexed and that snippets are cut
//! from. Link targets, markup and fences are dropped because nobody searches for
//! `https://` or `**`, and a snippet must read as prose.

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

/// The body as one line of plain text: headings, list bullets, emphasis, code
/// fences and link targets removed; step numbers ("1.") and link texts kept.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for raw in markdown.lines() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let text = if in_fence {
            line
        } else {
            strip_block_markers(line)
        };
        if text.is_empty() || is_table_rule(text) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if in_fence {
            out.push_str(text);
        } else {
            push_inline(&mut out, text);
        }
    }
    collapse_spaces(&out)
}

/// Removes heading hashes, quote markers and bullets from the start of a line.
fn strip_block_markers(mut line: &str) -> &str {
    loop {
        let before = line;
        line = line.trim_start_matches('#').trim_start();
        if let Some(rest) = line.strip_prefix('>') {
            line = rest.trim_start();
        }
        for bullet in ["- ", "* ", "+ "] {
            if let Some(rest) = line.strip_prefix(bullet) {
                line = rest.trim_start();
            }
        }
        if line == before {
            return line;
        }
    }
}

/// `|---|:--:|` rows of a Markdown table carry no words.
fn is_table_rule(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Copies one line of inline Markdown as plain text.
fn push_inline(out: &mut String, line: &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        // `[text](target)` and `![alt](target)`: keep the text, drop the target.
        if let Some(after) = rest.strip_prefix("![").or_else(|| rest.strip_prefix('[')) {
            let close = after.find(']').filter(|&c| after[c..].starts_with("]("));
            if let Some(close) = close {
                let target = &after[close + 2..];
                if let Some(end) = target.find(')') {
                    push_inline(out, &after[..close]);
                    i += (rest.len() - after.len()) + close + 2 + end + 1;
                    continue;
                }
            }
        }
        if rest.starts_with('`') {
            // A code span is copied as it is: `access-cli <email>` keeps `<email>`.
            let fence = rest.len() - rest.trim_start_matches('`').len();
            let inner = &rest[fence..];
            if let Some(close) = inner.find(&rest[..fence]) {
                out.push_str(inner[..close].trim());
                i += fence + close + fence;
            } else {
                i += fence;
            }
            continue;
        }
        match bytes[i] {
            b'*' => {}
            b'|' => out.push(' '),
            b'_' if rest.starts_with("__") => {
                i += 2;
                continue;
            }
            b'~' if rest.starts_with("~~") => {
                i += 2;
                continue;
            }
            b'<' => {
                // An autolink `<https://…>` keeps its address; an HTML tag goes.
                if let Some(end) = rest.find('>') {
                    let inner = &rest[1..end];
                    let is_tag = inner
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
                        && !inner.contains(' ')
                        && !inner.contains("://");
                    if inner.contains("://") {
                        out.push_str(inner);
                        i += end + 1;
                        continue;
                    }
                    if is_tag {
                        out.push(' ');
                        i += end + 1;
                        continue;
                    }
                }
                out.push('<');
            }
            _ => {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
                continue;
            }
        }
        i += 1;
    }
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
    fn link_targets_are_dropped_and_link_text_kept() {
        assert_eq!(
            plain_text("See [the status page](https://status.example.com/x) now."),
            "See the status page now."
        );
        assert_eq!(plain_text("![diagram](a.png) done"), "diagram done");
    }

    #[test]
    fn headings_bullets_and_emphasis_are_removed_but_step_numbers_kept() {
        let md = "## Steps\n\n1. Open **Settings**.\n2. Run `helpline sync --all`.\n- _Note_: done";
        assert_eq!(
            plain_text(md),
            "Steps 1. Open Settings. 2. Run helpline sync --all. _Note_: done"
        );
    }

    #[test]
    fn code_spans_are_kept_verbatim() {
        assert_eq!(
            plain_text("Run `access-cli sync-status <email>` and ``a `b` c`` then `x"),
            "Run access-cli sync-status <email> and a `b` c then x"
        );
        assert_eq!(plain_text("`**not bold**`"), "**not bold**");
    }

    #[test]
    fn code_fences_keep_their_content_without_the_fence() {
        assert_eq!(
            plain_text("Run:\n```sh\ncurl -I x\n```\nThen wait."),
            "Run: curl -I x Then wait."
        );
    }

    #[test]
    fn tables_become_words_and_autolinks_keep_the_address() {
        assert_eq!(
            plain_text("| code | meaning |\n|---|---|\n| 429 | slow down |\n<https://x.io>"),
            "code meaning 429 slow down https://x.io"
        );
    }

    #[test]
    fn html_tags_are_dropped_but_comparisons_stay() {
        assert_eq!(plain_text("a<br>b and 1 < 2"), "a b and 1 < 2");
    }

    proptest::proptest! {
        #[test]
        fn any_markdown_becomes_plain_text_without_panic(md in "[a-z `*_\\[\\]()<>#|~!:/\n导出]{0,120}") {
            let plain = plain_text(&md);
            proptest::prop_assert!(!plain.contains('\n'));
        }
    }

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
