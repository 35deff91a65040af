//! The one reader of SOP articles' Markdown (pulldown-cmark): as plain text,
//! the text that is indexed and that snippets are cut from ([`plain_text`]),
//! and as HTML that is safe to put into any page ([`render`]), by
//! construction rather than by cleaning afterwards: pulldown-cmark parses, and
//! before anything is written raw HTML becomes visible text, links keep only
//! web and mail addresses and links within the site, judged as a browser reads
//! them (`javascript:` and friends, and `//host` however spelt, become plain
//! text), every external link opens in a new tab without access to its
//! opener, and images become links (an article never makes a reader's
//! browser fetch anything).

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// A link target as a browser will read it (the WHATWG URL parser): C0
/// controls and spaces around it are dropped, tabs and line breaks anywhere
/// in it are dropped (`java\tscript:` is `javascript:`), and before any `?`
/// or `#` a `\` counts as `/` (`/\evil.example` is `//evil.example`).
/// Deciding on anything else lets a browser open what the check let through.
fn as_browser_reads(url: &str) -> String {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut out = String::with_capacity(trimmed.len());
    let mut in_path = true;
    for c in trimmed.chars() {
        match c {
            '\t' | '\n' | '\r' => {}
            '?' | '#' => {
                in_path = false;
                out.push(c);
            }
            '\\' if in_path => out.push('/'),
            c => out.push(c),
        }
    }
    out
}

/// A link that may stay a link: the address it goes to, and whether it leaves
/// the site (and so opens in a new tab).
struct SafeLink {
    href: String,
    external: bool,
}

/// Whether a link target may stay a link: web and mail addresses, and links
/// within the site. A protocol-relative `//host` (however spelt) goes to
/// another host without saying so, so it is dropped like `javascript:`.
fn safe_link(url: &str) -> Option<SafeLink> {
    let href = as_browser_reads(url);
    let lower = href.to_ascii_lowercase();
    match lower.split_once(':') {
        // No scheme before any '/', '?' or '#': a relative or fragment link.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto").then_some(SafeLink {
                href,
                external: true,
            })
        }
        _ if lower.starts_with("//") => None,
        _ => Some(SafeLink {
            href,
            external: false,
        }),
    }
}

/// Text made safe anywhere in HTML, in text or in a quoted attribute (the
/// daily report's HTML uses it too).
pub(crate) fn escape_html(value: &str) -> String {
    crate::text::replace_chars(value, |c| match c {
        '&' => Some("&amp;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    })
}

fn open_link(link: &SafeLink) -> Event<'static> {
    let target = if link.external {
        " target=\"_blank\" rel=\"noopener noreferrer nofollow\""
    } else {
        ""
    };
    Event::Html(CowStr::from(format!(
        "<a href=\"{}\"{target}>",
        escape_html(&link.href)
    )))
}

/// The body as one line of plain text: headings, bullets, emphasis marks,
/// fences, link targets and HTML tags dropped (nobody searches for `https://`
/// or `**`, and a snippet must read as prose); link texts, code as written,
/// table cells, step numbers ("1.") and `_underscored_` words kept.
pub fn plain_text(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len());
    // The next number of each open list (None: bullets).
    let mut lists: Vec<Option<u64>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            // A backtick left in text is an unclosed code span: markup, not words.
            Event::Text(text) => out.extend(text.chars().filter(|&c| c != '`')),
            Event::Code(code) => out.push_str(code.trim()),
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                out.push(' ');
                if let Some(Some(next)) = lists.last_mut() {
                    out.push_str(&format!("{next}. "));
                    *next += 1;
                }
            }
            Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis)
                if markdown[range.clone()].starts_with('_') =>
            {
                out.push('_')
            }
            // An HTML block's words are the article's too; only its tags go.
            Event::Html(raw) => push_html_text(&mut out, &raw),
            Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between the tags of raw HTML, each tag a space.
fn push_html_text(out: &mut String, raw: &str) {
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.push(' ');
}

/// Renders an article body to safe HTML.
pub fn render(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    // Whether each open link was kept, so its end matches.
    let mut open_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML in an article is shown as the text it is.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => {
            let url = match link_type {
                LinkType::Email => format!("mailto:{dest_url}"),
                _ => dest_url.to_string(),
            };
            let link = safe_link(&url);
            open_links.push(link.is_some());
            match link {
                Some(link) => open_link(&link),
                None => Event::Text(CowStr::Borrowed("")),
            }
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            if open_links.pop().unwrap_or(false) {
                Event::Html(CowStr::Borrowed("</a>"))
            } else {
                Event::Text(CowStr::Borrowed(""))
            }
        }
        Event::Start(Tag::Image { dest_url, .. }) => {
            let link = safe_link(&dest_url);
            open_links.push(link.is_some());
            match link {
                Some(link) => open_link(&link),
                None => Event::Text(CowStr::Borrowed("")),
            }
        }
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
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
    fn the_words_of_an_html_block_are_kept_without_its_tags() {
        assert_eq!(
            plain_text("<details>\n<summary>Advanced</summary>\nRun the reset script.\n</details>"),
            "Advanced Run the reset script."
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
    fn numbered_steps_links_and_inline_code_render() {
        let html = render(
            "1. Open **Settings**\n2. Run `sso reset`\n3. See [the guide](https://wiki.example.com/sso)",
        );
        assert!(html.contains("<ol>"));
        assert!(html.contains("<code>sso reset</code>"));
        assert!(html.contains(
            "<a href=\"https://wiki.example.com/sso\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">the guide</a>"
        ));
    }

    #[test]
    fn raw_html_becomes_visible_text() {
        let html = render("Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_link_schemes_are_dropped_keeping_the_text() {
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:x",
            "data:text/html,<b>",
            "vbscript:x",
        ] {
            let html = render(&format!("[click me]({url})"));
            assert!(!html.contains("<a"), "{url}: {html}");
            assert!(html.contains("click me"), "{url}: {html}");
        }
    }

    #[test]
    fn relative_links_stay_in_the_tab_and_attributes_cannot_be_broken_out_of() {
        assert!(render("[faq](/help/faq)").contains("<a href=\"/help/faq\">faq</a>"));
        let html = render("[x](https://a.example.com/\"onmouseover=\"alert(1))");
        assert!(!html.contains("\"onmouseover"), "{html}");
    }

    #[test]
    fn images_become_links_and_load_nothing() {
        let html = render("![diagram](https://cdn.example.com/d.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://cdn.example.com/d.png\""),
            "{html}"
        );
        let hostile = render("![x](javascript:alert(1))");
        assert!(
            !hostile.contains("<a") && !hostile.contains("<img"),
            "{hostile}"
        );
    }

    #[test]
    fn autolinked_email_becomes_a_mailto_link() {
        assert!(render("<ops@example.com>").contains("href=\"mailto:ops@example.com\""));
    }

    /// Renders `[go](target)` and says whether a link survived. Backslashes
    /// in `target` reach the parser as backslashes (Markdown would otherwise
    /// read `\/` as an escaped `/`).
    fn kept_as_link(target: &str) -> bool {
        let escaped = target.replace('\\', "\\\\");
        let html = render(&format!("[go]({escaped})"));
        assert!(html.contains("go"), "{target}: the text is kept: {html}");
        html.contains("<a")
    }

    #[test]
    fn protocol_relative_and_javascript_links_are_dropped_however_written() {
        for target in [
            // A backslash after a slash is a protocol-relative link too.
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example",
            "<\\\\evil.example>",
            // Entities put characters into the target that Markdown would
            // otherwise trim: a leading space or C0 control, a tab or a
            // newline between the slashes.
            "//evil.example",
            "&#32;//evil.example",
            "&#1;//evil.example",
            "/&#9;/evil.example",
            "/&#10;\\evil.example",
            // A tab or newline inside the scheme still reads as javascript.
            "java&#9;script:alert(1)",
            "java&#10;script:alert(1)",
            "java&#13;script:alert(1)",
            "&#1;javascript:alert(1)",
            "<java\tscript:alert(1)>",
        ] {
            assert!(!kept_as_link(target), "{target:?} is kept as a link");
        }
    }

    #[test]
    fn a_backslashed_web_address_is_external_and_written_as_the_browser_reads_it() {
        let html = render("[go](https:\\\\\\\\wiki.example.com\\sso?q=a\\b)");
        assert!(
            html.contains(
                "<a href=\"https://wiki.example.com/sso?q=a\\b\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_relative_link_with_a_backslash_later_in_the_path_stays_relative() {
        assert!(render("[faq](/help\\faq)").contains("<a href=\"/help/faq\">faq</a>"));
    }
}
