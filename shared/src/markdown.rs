//! SOP articles' Markdown to HTML that is safe to put into any page, by
//! construction rather than by cleaning afterwards: pulldown-cmark parses, and
//! before anything is written raw HTML becomes visible text, links keep only
//! web and mail addresses (`javascript:` and friends become plain text), every
//! external link opens in a new tab without access to its opener, and images
//! become links (an article never makes a reader's browser fetch anything).

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Whether a link target may stay a link.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // No scheme before any '/', '?' or '#': a relative or fragment link.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => !lower.starts_with("//"),
    }
}

/// Text made safe anywhere in HTML, in text or in a quoted attribute (the
/// daily report's HTML uses it too).
pub(crate) fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn open_link(url: &str) -> Event<'static> {
    let external = url.contains("://") || url.starts_with("mailto:");
    let target = if external {
        " target=\"_blank\" rel=\"noopener noreferrer nofollow\""
    } else {
        ""
    };
    Event::Html(CowStr::from(format!(
        "<a href=\"{}\"{target}>",
        escape_html(url.trim())
    )))
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
            let keep = is_safe_url(&url);
            open_links.push(keep);
            if keep {
                open_link(&url)
            } else {
                Event::Text(CowStr::Borrowed(""))
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
            let keep = is_safe_url(&dest_url);
            open_links.push(keep);
            if keep {
                open_link(&dest_url)
            } else {
                Event::Text(CowStr::Borrowed(""))
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
}
