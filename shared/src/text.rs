//! Cleaning of free text that people type: the same rules for every field, so a
//! title and a description are trimmed and counted alike.

use crate::ValidationError;

/// Removes control characters (keeping newlines and tabs where `multiline`),
/// normalises Windows line endings and trims surrounding white space.
///
/// Control characters are stripped rather than refused: they arrive from pasted
/// terminal output and a user should not be told off for them.
pub fn clean(input: &str, multiline: bool) -> String {
    let unified = input.replace("\r\n", "\n");
    let kept: String = unified
        .chars()
        .filter(|c| !c.is_control() || (multiline && (*c == '\n' || *c == '\t')))
        .collect();
    kept.trim().to_owned()
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
        assert_eq!(clean("a\nb", false), "ab");
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
