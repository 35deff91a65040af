//! Finding a case by what a specialist remembers of it: its ref (`HL-1042`),
//! who reported it (their id, name or email), or words from its title and
//! description. This module owns how a case is cut into terms for the search
//! index (D1's FTS5 table `case_search`) and how a query becomes an FTS5
//! `MATCH` expression, so both sides cut text the same way — the SOP search's
//! rules ([`crate::sop::tokens`]): words are lowercased stems, matched by
//! prefix, and Chinese is indexed by characters and pairs of characters, since
//! it has no spaces for FTS5's tokenizer to cut at.

use crate::case::parse_human_ref;
use crate::limits::{PAGE_SIZE_DEFAULT, QUERY_MAX_CHARS, SEARCH_RESULTS_MAX};
use crate::queue::page_size;
use crate::sop::tokens::{is_stop_word, normal_word, stem, tokens, TokenKind};
use crate::{text, ValidationError};

/// A search as the store runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSearch {
    /// The case the query names by its ref, found first.
    pub case_id: Option<i64>,
    /// The query as a reporter's id, matched exactly (next after the ref).
    pub reporter_id: String,
    /// Every word of the query, for the index; `None` when the query has no
    /// searchable word (only punctuation or words like "the").
    pub terms: Option<String>,
    pub limit: usize,
    /// How many results the previous pages held.
    pub offset: usize,
}

impl CaseSearch {
    /// The cursor of the page after one that held `shown` results, if
    /// `more` says another follows and it lies within the results kept.
    pub fn next_cursor(&self, shown: usize, more: bool) -> Option<String> {
        let next = self.offset + shown;
        (more && next < SEARCH_RESULTS_MAX).then(|| next.to_string())
    }
}

/// Reads a search from query parameters: `q` (required), `limit`, `cursor`.
/// Unknown parameters are ignored; bad values name their field.
pub fn parse_search<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<CaseSearch, ValidationError> {
    let mut query = None;
    let mut limit = PAGE_SIZE_DEFAULT;
    let mut offset = 0;
    for (key, value) in params {
        match key {
            "q" => query = Some(text::required("q", value, QUERY_MAX_CHARS, false)?),
            "limit" => limit = page_size(value)?,
            "cursor" => {
                offset = value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n < SEARCH_RESULTS_MAX)
                    .ok_or(ValidationError::Invalid {
                        field: "cursor",
                        reason: "pass the next_cursor of a previous page",
                    })?
            }
            _ => {}
        }
    }
    let query = query.ok_or(ValidationError::Required { field: "q" })?;
    Ok(CaseSearch {
        case_id: parse_human_ref(&query.to_ascii_uppercase()),
        terms: match_expression(&query),
        reporter_id: query,
        // The last page ends where the results kept do.
        limit: limit.min(SEARCH_RESULTS_MAX - offset),
        offset,
    })
}

/// What the index keeps of a case: the terms of each part (title,
/// description, reporter id, name and email), space-separated, in the form
/// [`match_expression`] looks for.
pub fn index_terms(parts: &[&str]) -> String {
    let mut out = Vec::new();
    for part in parts {
        for_each_term(part, |term, _| out.push(term));
    }
    out.join(" ")
}

/// The FTS5 `MATCH` expression for `query`: every word must be there, each
/// as the start of an indexed term (so "budg" finds "budget" and "exports"
/// finds "exporting"), each pair of Chinese characters as it is.
pub fn match_expression(query: &str) -> Option<String> {
    let mut out = Vec::new();
    for_each_term(query, |term, kind| {
        // Terms are letters and digits only; quoting makes FTS5 read even
        // `AND` or `NEAR` as a word.
        let quoted = format!("\"{}\"", term.replace('"', "\"\""));
        out.push(match kind {
            TokenKind::Word => format!("{quoted}*"),
            TokenKind::Cjk => quoted,
        });
    });
    out.dedup();
    (!out.is_empty()).then(|| out.join(" "))
}

/// Calls `found` with each term of `text` and its kind: a word's stem (stop
/// words and over-long words left out), or a Chinese run's characters and
/// its pairs of neighbouring characters.
fn for_each_term(text: &str, mut found: impl FnMut(String, TokenKind)) {
    for token in tokens(text) {
        let run = &text[token.start..token.end];
        match token.kind {
            TokenKind::Word => {
                if let Some(word) = normal_word(run).filter(|w| !is_stop_word(w)) {
                    found(stem(&word), TokenKind::Word);
                }
            }
            TokenKind::Cjk => {
                let chars: Vec<char> = run.chars().collect();
                for c in &chars {
                    found(c.to_string(), TokenKind::Cjk);
                }
                for pair in chars.windows(2) {
                    found(pair.iter().collect(), TokenKind::Cjk);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(pairs: &[(&str, &str)]) -> Result<CaseSearch, ValidationError> {
        parse_search(pairs.iter().copied())
    }

    #[test]
    fn a_ref_in_any_case_names_its_case() {
        assert_eq!(search(&[("q", "HL-1042")]).unwrap().case_id, Some(42));
        assert_eq!(search(&[("q", " hl-1042 ")]).unwrap().case_id, Some(42));
        assert_eq!(search(&[("q", "budget")]).unwrap().case_id, None);
    }

    #[test]
    fn words_are_stems_matched_by_prefix_and_stop_words_dropped() {
        assert_eq!(
            match_expression("The exports are not saving").as_deref(),
            Some("\"export\"* \"sav\"*")
        );
        assert_eq!(match_expression("the, of; !!"), None);
    }

    #[test]
    fn what_is_indexed_is_what_a_query_looks_for() {
        let indexed = index_terms(&["Exporting reports fails", "li.wei@acme.com"]);
        assert_eq!(indexed, "export report fail li wei acm com");
        let query = match_expression("li.wei@acme.com").unwrap();
        for term in query.split(' ') {
            let word = term.trim_matches(|c| c == '"' || c == '*');
            assert!(
                indexed.split(' ').any(|t| t.starts_with(word)),
                "{word} is found"
            );
        }
    }

    #[test]
    fn chinese_is_cut_into_characters_and_pairs() {
        assert_eq!(index_terms(&["无法登录"]), "无 法 登 录 无法 法登 登录");
        // A query's pairs are all there in text that contains it.
        assert_eq!(
            match_expression("登录").as_deref(),
            Some("\"登\" \"录\" \"登录\"")
        );
    }

    #[test]
    fn a_quote_or_an_operator_in_the_query_stays_a_word() {
        let expr = match_expression("\"budget\" AND NEAR(x)").unwrap();
        assert_eq!(expr, "\"budget\"* \"near\"* \"x\"*");
    }

    #[test]
    fn bad_parameters_name_their_field() {
        assert_eq!(search(&[]).unwrap_err().field(), "q");
        assert_eq!(search(&[("q", "  ")]).unwrap_err().field(), "q");
        let long = "x".repeat(QUERY_MAX_CHARS + 1);
        assert_eq!(search(&[("q", &long)]).unwrap_err().field(), "q");
        assert_eq!(
            search(&[("q", "a"), ("limit", "0")]).unwrap_err().field(),
            "limit"
        );
        assert_eq!(
            search(&[("q", "a"), ("cursor", "x")]).unwrap_err().field(),
            "cursor"
        );
        let deep = SEARCH_RESULTS_MAX.to_string();
        assert_eq!(
            search(&[("q", "a"), ("cursor", &deep)])
                .unwrap_err()
                .field(),
            "cursor"
        );
    }

    #[test]
    fn pages_follow_one_another_up_to_the_results_kept() {
        let s = search(&[("q", "a"), ("limit", "20"), ("cursor", "40")]).unwrap();
        assert_eq!((s.limit, s.offset), (20, 40));
        assert_eq!(s.next_cursor(20, true).as_deref(), Some("60"));
        assert_eq!(s.next_cursor(20, false), None);
        let last = CaseSearch {
            offset: SEARCH_RESULTS_MAX - 20,
            ..s
        };
        assert_eq!(last.next_cursor(20, true), None);
        let near_the_end = (SEARCH_RESULTS_MAX - 5).to_string();
        let s = search(&[("q", "a"), ("limit", "100"), ("cursor", &near_the_end)]).unwrap();
        assert_eq!(s.limit, 5, "no page reaches past the results kept");
    }
}
