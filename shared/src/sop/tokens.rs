//! Text → search terms: the one place that decides what a "word" is, so that
//! articles, queries and highlighting all cut text the same way.
//!
//! - Latin-like scripts (anything `char::is_alphanumeric` that is not CJK) are cut
//!   into words at every other character, lowercased, full-width forms folded to
//!   ASCII, and reduced by a light English stemmer ([`stem`]).
//! - Han, kana and other scripts written without spaces are cut into runs; each run
//!   yields its characters (unigrams) and adjacent pairs (bigrams), so a Chinese
//!   query finds Chinese text without a dictionary.
//!
//! Why not `unicode-segmentation`: its word-boundary tables cost tens of KB of wasm,
//! and the rules above agree with UAX #29 wherever it matters for search (UAX #29
//! would keep `rate_limit` or `3.5` whole; splitting them lets `rate` find them).

/// Words longer than this are identifiers or pasted hashes: they would only bloat the
/// vocabulary, so they are neither indexed nor searched.
pub(crate) const MAX_WORD_CHARS: usize = 32;

/// What kind of run a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A space-delimited word (Latin, Cyrillic, Greek, Hangul, digits…).
    Word,
    /// A run of Han or kana characters, written without spaces.
    Cjk,
}

/// A run of text found by [`tokens`], by byte range into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Han ideographs and Japanese kana: scripts whose words are not separated by
/// spaces, so they are searched by character n-grams instead of words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F  // Extensions B–F and compatibility supplement
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits `text` into word and CJK runs. An apostrophe between two word characters
/// stays inside the word (`don't`), so the word's normal form can drop it.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current: Option<(TokenKind, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let kind = if is_cjk(c) {
            Some(TokenKind::Cjk)
        } else if is_word_char(c)
            || (is_apostrophe(c)
                && matches!(current, Some((TokenKind::Word, _)))
                && chars.peek().is_some_and(|&(_, n)| is_word_char(n)))
        {
            Some(TokenKind::Word)
        } else {
            None
        };
        match (current, kind) {
            (Some((k, _)), Some(n)) if k == n => {}
            (Some((k, start)), _) => {
                out.push(Token {
                    kind: k,
                    start,
                    end: i,
                });
                current = kind.map(|n| (n, i));
            }
            (None, _) => current = kind.map(|n| (n, i)),
        }
    }
    if let Some((kind, start)) = current {
        out.push(Token {
            kind,
            start,
            end: text.len(),
        });
    }
    out
}

/// The lowercased form of a word as it is matched by prefix: full-width letters
/// (typed with a Chinese IME in full-width mode) folded to ASCII, apostrophes
/// dropped. `None` for words too long to be worth indexing.
pub(crate) fn normal_word(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    normal_word_into(word, &mut out).then_some(out)
}

/// [`normal_word`] into a reused buffer (highlighting runs it on every word of
/// every snippet); false for words too long to index.
pub(crate) fn normal_word_into(word: &str, out: &mut String) -> bool {
    out.clear();
    let mut count = 0;
    for c in word.chars() {
        if is_apostrophe(c) {
            continue;
        }
        count += 1;
        if count > MAX_WORD_CHARS {
            return false;
        }
        let c = match c as u32 {
            // Full-width ASCII variants (U+FF01..U+FF5E) sit 0xFEE0 above ASCII.
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    true
}

/// Words too common in questions and instructions to tell one SOP from another.
/// They are left out of the index and out of queries (an unfinished last word is
/// still completed by prefix, so typing "th" can reach "throttle").
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "but", "by", "can", "cannot", "cant", "could", "did", "do", "does", "doesnt", "dont",
    "for", "from", "get", "got", "had", "has", "have", "hello", "hi", "how", "i", "if", "im", "in",
    "into", "is", "isnt", "it", "its", "just", "me", "my", "no", "not", "of", "on", "or", "our",
    "please", "should", "so", "than", "thanks", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "was", "we", "were", "what", "when", "where", "which",
    "who", "why", "will", "with", "wont", "would", "you", "your",
];

/// Whether `word` (already normalised) is a stop word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// A light English stemmer: plurals, `-ed`, `-ing` and a final `e` are removed, so
/// "exporting", "exported" and "exports" all meet "export", and "caches" meets
/// "cache". Much smaller than Porter and consistent on both sides, which is what
/// matters: the stem is only ever compared with other stems, never shown.
///
/// Only lowercase ASCII letters are stemmed; anything else (numbers, `oauth2`,
/// other scripts) is returned unchanged.
pub(crate) fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    stem_in_place(&mut w);
    w
}

/// [`stem`] on a word already in a buffer.
pub(crate) fn stem_in_place(w: &mut String) {
    if w.len() <= 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }

    // Plurals and third person.
    if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }

    // Past tense and progressive; the remaining stem must keep a vowel and three
    // letters, which spares "ping", "string", "need" and "used".
    if w.ends_with("ied") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if !w.ends_with("eed") {
        for suffix in ["ed", "ing"] {
            if let Some(base) = w.strip_suffix(suffix) {
                if base.len() >= 3 && base.bytes().any(is_vowel) {
                    w.truncate(base.len());
                    undouble(w);
                }
                break;
            }
        }
    }

    // A final silent `e` comes and goes with inflection ("update", "updated"), so it
    // is dropped everywhere.
    if w.len() >= 4 && w.ends_with('e') {
        w.truncate(w.len() - 1);
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// "logg" → "log", "sett" → "set"; but "install" and "access" keep their pair.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    if b.len() >= 3 {
        let (x, y) = (b[b.len() - 1], b[b.len() - 2]);
        if x == y && !is_vowel(x) && !matches!(x, b'l' | b's' | b'z') {
            w.truncate(w.len() - 1);
        }
    }
}

/// Calls `visit` with every term in a CJK run: each character, then each adjacent
/// pair. Pairs carry most of the meaning (导出 "export"); single characters keep
/// one-character queries and half-typed words working.
pub(crate) fn cjk_terms<'a>(run: &'a str, mut visit: impl FnMut(&'a str)) {
    let mut prev: Option<(usize, usize)> = None; // byte range of the previous char
    for (i, c) in run.char_indices() {
        let end = i + c.len_utf8();
        visit(&run[i..end]);
        if let Some((p, _)) = prev {
            visit(&run[p..end]);
        }
        prev = Some((i, end));
    }
}

/// Calls `visit` with every indexed term of `text`, in order, with its surface
/// form for words (the normalised word before stemming) so that prefixes can be
/// matched against what people actually type.
pub(crate) fn terms(text: &str, mut visit: impl FnMut(&str, Option<&str>)) {
    // Two buffers reused for every word: indexing 5,000 articles meets about a
    // million words, and an allocation or two for each showed in the build time.
    let mut normal = String::new();
    let mut stemmed = String::new();
    for token in tokens(text) {
        let slice = &text[token.start..token.end];
        match token.kind {
            TokenKind::Word => {
                if !normal_word_into(slice, &mut normal)
                    || normal.is_empty()
                    || is_stop_word(&normal)
                {
                    continue;
                }
                stemmed.clear();
                stemmed.push_str(&normal);
                stem_in_place(&mut stemmed);
                visit(&stemmed, Some(&normal));
            }
            TokenKind::Cjk => cjk_terms(slice, |t| visit(t, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t, _| out.push(t.to_owned()));
        out
    }

    #[test]
    fn stop_word_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            all_terms("Reset MFA: rate_limit v2.5"),
            ["reset", "mfa", "rat", "limit", "v2", "5"]
        );
    }

    #[test]
    fn apostrophes_stay_inside_words_and_are_dropped() {
        assert_eq!(
            all_terms("users' export won't load"),
            ["user", "export", "load"]
        );
        assert_eq!(all_terms("O’Brien"), ["obrien"]);
    }

    #[test]
    fn full_width_letters_fold_to_ascii() {
        assert_eq!(all_terms("ＳＳＯ 登录"), ["sso", "登", "录", "登录"]);
    }

    #[test]
    fn inflections_meet_at_one_stem() {
        for group in [
            &["export", "exports", "exported", "exporting"][..],
            &["cache", "caches", "cached", "caching"],
            &["update", "updates", "updated", "updating"],
            &["policy", "policies"],
            &["retry", "retries", "retried", "retrying"],
            &["log", "logs", "logged", "logging"],
            &["access", "accesses", "accessed", "accessing"],
            &["batch", "batches"],
            &["disable", "disabled", "disabling"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.windows(2).all(|w| w[0] == w[1]),
                "{group:?} → {stems:?}"
            );
        }
    }

    #[test]
    fn short_and_vowelless_words_keep_their_ending() {
        for word in [
            "ping", "string", "need", "status", "analysis", "sso", "api", "oauth2",
        ] {
            assert_eq!(stem(word), word);
        }
    }

    #[test]
    fn han_runs_yield_characters_and_pairs() {
        assert_eq!(
            all_terms("导出报表"),
            ["导", "出", "导出", "报", "出报", "表", "报表"]
        );
    }

    #[test]
    fn mixed_chinese_and_latin_are_cut_apart() {
        assert_eq!(
            all_terms("SSO登录失败"),
            ["sso", "登", "录", "登录", "失", "录失", "败", "失败"]
        );
    }

    #[test]
    fn overlong_words_are_not_indexed() {
        let hash = "a".repeat(MAX_WORD_CHARS + 1);
        assert!(all_terms(&hash).is_empty());
    }
}
