//! What a hit shows: its title and a short excerpt of its body, cut into
//! [`Segment`]s with the words that matched the query marked.
//!
//! Matching here uses the same tokenizer and stemmer as the index, so "exporting"
//! in a snippet lights up for the query "export". The output is plain text pieces,
//! never HTML: the widget puts them in text nodes (and `<mark>`), so an article
//! cannot smuggle markup into the page.

use super::tokens::{self, is_cjk, is_stop_word, normal_word_into, stem_in_place, TokenKind};
use super::Segment;

/// Length of a body snippet in columns, about two lines of the widget's
/// suggestion list. Han, kana, Hangul and full-width forms take two columns, as
/// they do on screen, so a Chinese snippet is as wide as an English one.
pub(super) const SNIPPET_COLUMNS: usize = 160;

/// Context kept before the first match so the snippet does not start mid-thought.
const LEAD_COLUMNS: usize = 30;

/// Display columns of a character: two for East Asian wide characters.
fn columns(c: char) -> usize {
    let wide = is_cjk(c)
        || matches!(c as u32,
            0x1100..=0x115F       // Hangul Jamo initials
            | 0x2E80..=0x303E     // CJK radicals, symbols and punctuation
            | 0x3130..=0x318F     // Hangul compatibility Jamo
            | 0x3200..=0x33FF     // enclosed CJK, compatibility
            | 0xAC00..=0xD7A3     // Hangul syllables
            | 0xFE30..=0xFE4F     // CJK compatibility forms
            | 0xFF01..=0xFF60     // full-width forms
            | 0xFFE0..=0xFFE6);
    1 + usize::from(wide)
}

/// What to mark in text: the stems the query matched, the unfinished word as a
/// prefix, and the Chinese n-grams it contained. The lists are kept sorted so that
/// marking a snippet is a binary search per word, not a scan of the query.
#[derive(Debug, Default)]
pub(super) struct Highlighter {
    stems: Vec<String>,
    prefixes: Vec<String>,
    /// Chinese character pairs, and single characters typed alone.
    cjk: Vec<String>,
}

/// A marked byte range and what it matched, as a number: the index of the stem,
/// prefix or n-gram (in that order), so distinct matches can be counted cheaply.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    key: usize,
}

/// The first letter of a word as [`normal_word_into`] would make it, for ASCII:
/// full-width forms folded, lowercased.
fn fold_first(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

fn insert_sorted(list: &mut Vec<String>, item: &str) {
    if let Err(at) = list.binary_search_by(|s| s.as_str().cmp(item)) {
        list.insert(at, item.to_owned());
    }
}

fn position(list: &[String], item: &str) -> Option<usize> {
    list.binary_search_by(|s| s.as_str().cmp(item)).ok()
}

impl Highlighter {
    pub fn add_stem(&mut self, stem: &str) {
        insert_sorted(&mut self.stems, stem);
    }

    /// The unfinished last word: any word starting with it is marked.
    pub fn add_prefix(&mut self, normal: &str) {
        insert_sorted(&mut self.prefixes, normal);
    }

    pub fn add_cjk(&mut self, gram: &str) {
        insert_sorted(&mut self.cjk, gram);
    }

    fn key_count(&self) -> usize {
        self.stems.len() + self.prefixes.len() + self.cjk.len()
    }

    /// The first letters that a marked word can begin with: ASCII ones as bits,
    /// and whether any begins outside ASCII. Stemming only changes the end of a
    /// word, so most words of a snippet are ruled out by their first letter
    /// before paying for normalising and stemming them.
    fn first_letters(&self) -> (u128, bool) {
        let mut ascii = 0u128;
        let mut other = false;
        for word in self.stems.iter().chain(&self.prefixes) {
            match word.chars().next() {
                Some(c) if c.is_ascii() => ascii |= 1 << (c as u32),
                Some(_) => other = true,
                None => {}
            }
        }
        (ascii, other)
    }

    /// The ranges of `text` to mark, ascending and disjoint.
    fn marks(&self, text: &str) -> Vec<Mark> {
        let mut out = Vec::new();
        let mut word = String::new();
        let (ascii_firsts, other_firsts) = self.first_letters();
        for tok in tokens::tokens(text) {
            let slice = &text[tok.start..tok.end];
            match tok.kind {
                TokenKind::Word => {
                    let first = slice.chars().next().map_or(' ', fold_first);
                    let possible = if first.is_ascii() {
                        ascii_firsts & (1 << (first as u32)) != 0
                    } else {
                        other_firsts
                    };
                    if !possible {
                        continue;
                    }
                    if !normal_word_into(slice, &mut word) || is_stop_word(&word) {
                        continue;
                    }
                    let by_prefix = self
                        .prefixes
                        .iter()
                        .position(|p| word.starts_with(p.as_str()));
                    stem_in_place(&mut word);
                    let key = match (position(&self.stems, &word), by_prefix) {
                        (Some(i), _) => i,
                        (None, Some(p)) => self.stems.len() + p,
                        (None, None) => continue,
                    };
                    out.push(Mark {
                        start: tok.start,
                        end: tok.end,
                        key,
                    });
                }
                TokenKind::Cjk => {
                    if !self.cjk.is_empty() {
                        self.mark_cjk(slice, tok.start, &mut out);
                    }
                }
            }
        }
        out
    }

    /// Marks the characters of a CJK run covered by a query pair (or a single
    /// character typed alone), merging neighbours into one mark.
    fn mark_cjk(&self, run: &str, offset: usize, out: &mut Vec<Mark>) {
        let base = self.stems.len() + self.prefixes.len();
        let chars: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
        let end_of = |i: usize| chars.get(i + 1).copied().unwrap_or(run.len());
        // For each character, the key of the first gram covering it.
        let mut lit: Vec<Option<usize>> = vec![None; chars.len()];
        for i in 0..chars.len() {
            if let Some(k) = position(&self.cjk, &run[chars[i]..end_of(i)]) {
                lit[i] = lit[i].or(Some(base + k));
            }
            if i + 1 < chars.len() {
                if let Some(k) = position(&self.cjk, &run[chars[i]..end_of(i + 1)]) {
                    lit[i] = lit[i].or(Some(base + k));
                    lit[i + 1] = lit[i + 1].or(Some(base + k));
                }
            }
        }
        let mut i = 0;
        while i < chars.len() {
            let Some(key) = lit[i] else {
                i += 1;
                continue;
            };
            let from = i;
            while i < chars.len() && lit[i].is_some() {
                i += 1;
            }
            out.push(Mark {
                start: offset + chars[from],
                end: offset + end_of(i - 1),
                key,
            });
        }
    }

    /// All of `text` (a title), with matches marked.
    pub fn whole(&self, text: &str) -> Vec<Segment> {
        let marks = self.marks(text);
        segments(text, &marks, 0, text.len())
    }

    /// About [`SNIPPET_COLUMNS`] columns of `text` around the densest cluster of
    /// distinct matches (the start of `text` when nothing matched), with an
    /// ellipsis where it was cut.
    pub fn snippet(&self, text: &str) -> Vec<Segment> {
        let marks = self.marks(text);
        // Per character index: its byte offset, and the column it starts at; one
        // more entry for the end.
        let mut bounds = Vec::with_capacity(text.len() + 1);
        let mut cols = Vec::with_capacity(text.len() + 1);
        let mut col = 0;
        for (i, c) in text.char_indices() {
            bounds.push(i);
            cols.push(col);
            col += columns(c);
        }
        bounds.push(text.len());
        cols.push(col);
        let char_len = bounds.len() - 1;
        if col <= SNIPPET_COLUMNS {
            return segments(text, &marks, 0, text.len());
        }
        let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
        let char_at_col = |c: usize| cols.partition_point(|&x| x < c);
        let is_space = |ci: usize| text[bounds[ci]..].starts_with(char::is_whitespace);

        let anchor = self
            .densest_window(&marks, |byte| cols[char_at(byte)])
            .map(char_at_col);
        let mut start = anchor.map_or(0, |a| char_at_col(cols[a].saturating_sub(LEAD_COLUMNS)));
        if let Some(anchor) = anchor.filter(|_| start > 0) {
            // Begin at a word: skip forward past the next space, but not past the
            // match itself (CJK text has no spaces and begins where it is).
            while start < anchor && !is_space(start - 1) {
                start += 1;
            }
        }
        let limit = cols[start] + SNIPPET_COLUMNS;
        let mut end = (cols.partition_point(|&x| x <= limit) - 1).min(char_len);
        if end < char_len {
            // End after a word, backing up at most a quarter of the snippet.
            let mut e = end;
            while cols[e] > cols[start] + SNIPPET_COLUMNS * 3 / 4 && !is_space(e) {
                e -= 1;
            }
            if is_space(e) {
                end = e;
            }
        }

        let mut out = segments(text, &marks, bounds[start], bounds[end]);
        if start > 0 {
            prepend_plain(&mut out, "…");
        }
        if end < char_len {
            append_plain(&mut out, "…");
        }
        out
    }

    /// The column of the mark that opens the window holding the most distinct
    /// matches (then the most matches; the earliest on ties). A sliding window:
    /// each mark enters and leaves once.
    fn densest_window(&self, marks: &[Mark], col_at: impl Fn(usize) -> usize) -> Option<usize> {
        let starts: Vec<usize> = marks.iter().map(|m| col_at(m.start)).collect();
        let ends: Vec<usize> = marks.iter().map(|m| col_at(m.end)).collect();
        let mut counts = vec![0u32; self.key_count()];
        let (mut distinct, mut k) = (0usize, 0usize);
        let mut best: Option<((usize, usize), usize)> = None;
        for j in 0..marks.len() {
            if k < j {
                k = j; // marks before j have all left the window
            }
            let to = starts[j].saturating_sub(LEAD_COLUMNS) + SNIPPET_COLUMNS;
            while k < marks.len() && ends[k] <= to {
                let c = &mut counts[marks[k].key];
                distinct += usize::from(*c == 0);
                *c += 1;
                k += 1;
            }
            let score = (distinct, k.saturating_sub(j));
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, starts[j]));
            }
            if k > j {
                let c = &mut counts[marks[j].key];
                *c -= 1;
                distinct -= usize::from(*c == 0);
            }
        }
        best.map(|(_, at)| at)
    }
}

/// `text[from..to]` cut at the marks, trimmed of surrounding white space.
fn segments(text: &str, marks: &[Mark], from: usize, to: usize) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, highlighted: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.highlighted == highlighted => last.text.push_str(s),
            _ => out.push(Segment {
                text: s.to_owned(),
                highlighted,
            }),
        }
    };
    let mut at = from;
    for &Mark {
        start: a, end: b, ..
    } in marks
    {
        if b <= from || a >= to {
            continue;
        }
        let (a, b) = (a.max(from), b.min(to));
        push(&text[at..a], false);
        push(&text[a..b], true);
        at = b;
    }
    push(&text[at..to], false);
    if let Some(first) = out.first_mut().filter(|s| !s.highlighted) {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = out.last_mut().filter(|s| !s.highlighted) {
        last.text = last.text.trim_end().to_owned();
    }
    out.retain(|s| !s.text.is_empty());
    out
}

fn prepend_plain(out: &mut Vec<Segment>, s: &str) {
    match out.first_mut() {
        Some(first) if !first.highlighted => first.text.insert_str(0, s),
        _ => out.insert(
            0,
            Segment {
                text: s.to_owned(),
                highlighted: false,
            },
        ),
    }
}

fn append_plain(out: &mut Vec<Segment>, s: &str) {
    match out.last_mut() {
        Some(last) if !last.highlighted => last.text.push_str(s),
        _ => out.push(Segment {
            text: s.to_owned(),
            highlighted: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(segs: &[Segment]) -> String {
        segs.iter()
            .map(|s| {
                if s.highlighted {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    /// `title` as the highlighter marks it whole.
    fn marked(h: &Highlighter, title: &str) -> String {
        render(&h.whole(title))
    }

    fn for_stems(stems: &[&str]) -> Highlighter {
        let mut h = Highlighter::default();
        for s in stems {
            h.add_stem(s);
        }
        h
    }

    #[test]
    fn a_title_marks_stems_unfinished_words_and_chinese_runs() {
        // Inflected forms of matched stems.
        let stems = for_stems(&["export", "dashboard"]);
        let title = marked(&stems, "Exporting dashboards to CSV");
        assert_eq!(title, "[Exporting] [dashboards] to CSV");
        // An unfinished word marks every word it starts.
        let mut prefix = Highlighter::default();
        prefix.add_prefix("pass");
        let title = marked(&prefix, "Password and passcode");
        assert_eq!(title, "[Password] and [passcode]");
        // Chinese pairs are marked as runs.
        let mut cjk = Highlighter::default();
        cjk.add_cjk("导出");
        cjk.add_cjk("报表");
        assert_eq!(marked(&cjk, "如何导出报表？"), "如何[导出报表]？");
    }

    #[test]
    fn snippet_is_cut_around_the_matches_with_ellipses() {
        let filler = "Lorem ipsum dolor sit amet consectetur. ".repeat(8);
        let text = format!("{filler}Then rotate the API token in settings. {filler}");
        let h = for_stems(&["rotat", "token"]);
        let shown = render(&h.snippet(&text));
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("[rotate] the API [token]"), "{shown}");
        assert!(shown.chars().count() <= SNIPPET_COLUMNS + 6, "{shown}");
    }

    #[test]
    fn a_chinese_snippet_is_as_wide_as_an_english_one() {
        let text = "请先确认账号已经启用。".repeat(40);
        let shown: String = for_stems(&[])
            .snippet(&text)
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        let cols: usize = shown.chars().map(columns).sum();
        assert!(cols <= SNIPPET_COLUMNS + 1, "{cols} columns: {shown}");
        assert!(cols >= SNIPPET_COLUMNS * 3 / 4, "{cols} columns: {shown}");
    }

    #[test]
    fn snippet_without_matches_shows_the_start() {
        let text = "First words here. ".repeat(20);
        let segs = for_stems(&["nothing"]).snippet(&text);
        assert_eq!(segs.len(), 1);
        assert!(segs[0].text.starts_with("First words") && segs[0].text.ends_with('…'));
    }

    #[test]
    fn short_text_is_shown_whole() {
        let h = for_stems(&["token"]);
        assert_eq!(
            render(&h.snippet("Rotate the token.")),
            "Rotate the [token]."
        );
    }

    #[test]
    fn snippet_segments_never_contain_markup_of_their_own() {
        let h = for_stems(&["script"]);
        let segs = h.whole("<script>alert(1)</script>");
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "<script>alert(1)</script>");
    }
}
