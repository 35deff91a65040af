//! Cleaning of free text that people type: one rule for every field (titles,
//! descriptions, messages, notes, names, captured context), so a title and a
//! description are trimmed, stripped and counted alike.

use crate::ValidationError;

/// The one cleaning rule for free text:
///
/// - Windows (`\r\n`), old Mac (`\r`) and Unicode (U+2028, U+2029) line
///   breaks become `\n`.
/// - Where `multiline`, `\n` and `\t` are kept; in a single-line field they
///   become a space, so that pasted words stay apart.
/// - NUL and every other C0 and C1 control character, and DEL, are removed:
///   they arrive from pasted terminal output and a user should not be told
///   off for them, but they can hide text or upset what displays it.
/// - Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
///   U+2066–U+2069) are removed: they reorder what a reader sees
///   (`invoice\u{202E}fdp.exe` reads as `invoiceexe.pdf`), so a title could
///   disguise itself. The plain marks LRM/RLM stay, as right-to-left text
///   needs them and they reorder nothing by themselves.
/// - Surrounding white space is trimmed.
pub fn clean(input: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        };
        match c {
            '\n' | '\t' if multiline => out.push(c),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans `input` and checks it against `max` characters; empty is an error.
pub fn required(
    field: &'static str,
    input: &str,
    max: usize,
    multiline: bool,
) -> Result<String, ValidationError> {
    let value = clean(input, multiline);
    if value.is_empty() {
        return Err(ValidationError::Required { field });
    }
    within(field, value, max)
}

/// Cleans an optional `input`; absent or blank becomes `None`.
pub fn optional(
    field: &'static str,
    input: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match input.map(|s| clean(s, false)) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => within(field, v, max).map(Some),
    }
}

fn within(field: &'static str, value: String, max: usize) -> Result<String, ValidationError> {
    if value.chars().count() > max {
        Err(ValidationError::TooLong { field, max })
    } else {
        Ok(value)
    }
}

/// `text` with each character `swap` names replaced by what it names: the
/// one loop under every escaper (HTML, Slack), each of which is just its table.
pub fn replace_chars(text: &str, swap: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match swap(c) {
            Some(with) => out.push_str(with),
            None => out.push(c),
        }
    }
    out
}

/// The first line of `text`, cut to `max` characters on a character boundary,
/// with an ellipsis when it was cut.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= max {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_stripped_but_newlines_kept_in_multiline() {
        assert_eq!(clean(" a\u{7}b\r\nc\u{0}\t ", true), "ab\nc");
        assert_eq!(
            clean("a\u{0}b\u{1b}[0mc\u{7f}d\u{85}e\u{9f}", true),
            "ab[0mcde"
        );
    }

    #[test]
    fn line_breaks_in_a_single_line_field_become_spaces() {
        assert_eq!(
            clean("Export\nfails\tagain\r\nat 99%", false),
            "Export fails again at 99%"
        );
    }

    #[test]
    fn every_kind_of_line_break_is_a_newline() {
        assert_eq!(clean("a\rb\r\nc\u{2028}d\u{2029}e", true), "a\nb\nc\nd\ne");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_removed() {
        assert_eq!(
            clean("invoice\u{202E}fdp.exe \u{2066}x\u{2069} \u{202A}\u{202B}\u{202C}\u{202D}\u{2067}\u{2068}", false),
            "invoicefdp.exe x"
        );
        // The plain right-to-left mark is text, not an override.
        assert_eq!(clean("\u{5e9}\u{200F}1", false), "\u{5e9}\u{200F}1");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let chinese = "无法登录".repeat(10); // 40 characters, 120 bytes
        assert_eq!(required("title", &chinese, 40, false).unwrap(), chinese);
        assert_eq!(
            required("title", &chinese, 39, false),
            Err(ValidationError::TooLong {
                field: "title",
                max: 39
            })
        );
    }

    #[test]
    fn blank_required_text_names_its_field() {
        assert_eq!(
            required("description", " \n\t ", 10, true),
            Err(ValidationError::Required {
                field: "description"
            })
        );
    }

    #[test]
    fn blank_optional_text_is_absent() {
        assert_eq!(optional("title", Some("  "), 5), Ok(None));
        assert_eq!(optional("title", None, 5), Ok(None));
    }

    #[test]
    fn first_line_skips_blank_lines_and_cuts_on_a_character_boundary() {
        assert_eq!(first_line("\n  Export fails \nmore", 80), "Export fails");
        assert_eq!(first_line("导出失败了很久", 4), "导出失…");
    }
}

/// A query folded so that the same question typed differently groups together
/// (case and spacing ignored): the key of SOP gap reports.
pub fn query_key(query: &str) -> String {
    query
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod query_key_tests {
    use super::*;

    #[test]
    fn query_keys_ignore_case_and_spacing() {
        assert_eq!(query_key("  Export  CSV\tFails "), "export csv fails");
        assert_eq!(query_key("导出 失败"), "导出 失败");
    }
}
