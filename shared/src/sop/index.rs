//! The search index: its in-memory layout, how it is built from articles, and the
//! tables derived from it when it is built or decoded.
//!
//! Layout, chosen for a widget that decodes it once and then queries it on every
//! keystroke:
//! - articles are kept sorted by slug, so a document number orders like its slug
//!   and ties between equal scores break the same way everywhere;
//! - the vocabulary is one sorted string table of stems (binary search for a
//!   word, a contiguous range for a prefix);
//! - postings are flat arrays (documents and packed term frequencies) sliced per
//!   term, and each posting's BM25F score is computed once on load
//!   (`Derived::impacts`), so scoring a keystroke is a linear walk doing one
//!   multiply per posting, with no decoding or pointer chasing;
//! - surface forms that differ from their stem ("exporting" → "export") are a
//!   second sorted table, so an unfinished word is completed against what people
//!   type, not against stems;
//! - only a bounded lead of each body is kept for snippets (see
//!   [`DEFAULT_SNIPPET_SOURCE_CHARS`]); the whole body is indexed.

use std::collections::HashMap;
use std::ops::Range;

use super::article::SopArticle;
use super::fuzzy::letter_mask;
use super::tokens::{self, is_cjk, MAX_WORD_CHARS};
use crate::markdown::plain_text;

/// Fields of an article, in the order used by [`DocRecord::lens`] and the packed
/// term frequencies.
const TITLE: usize = 0;
const TAGS: usize = 1;
const BODY: usize = 2;

/// BM25F weights per field: a word in the title says more about what an article
/// is for than the same word in a tag, and a tag more than the body. On the seed
/// queries (`eval.rs`) weights from [2, 1.5, 1] to [4, 2.5, 1] are within two
/// queries of each other; these are the middle.
const FIELD_WEIGHT: [f32; 3] = [3.0, 2.0, 1.0];

/// BM25F length normalisation per field. Titles and tags are short and of
/// similar length, so their length says little; bodies vary a lot, and a match
/// in a short body is worth more than in a long one.
const FIELD_LENGTH_NORM: [f32; 3] = [0.4, 0.3, 0.75];

/// How much of each body (plain text, in characters) [`SopIndex::build`] keeps for
/// snippets. The body text is what makes the index large: over 5,000 articles each
/// character of lead costs about 2 KB of gzip (`examples/sop_bench.rs`), and 300
/// keeps the widget's download under 1.5 MB. The lead is where an SOP says when it
/// applies and starts its steps, which is what a suggestion should show; matches
/// beyond it still count for ranking, and their snippet shows the lead. The Worker
/// can keep whole bodies with [`SopIndex::build_with_snippet_chars`].
pub const DEFAULT_SNIPPET_SOURCE_CHARS: usize = 300;

/// One indexed article: what a hit shows, and its field lengths for BM25F.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DocRecord {
    pub slug: String,
    pub title: String,
    /// The lead of the plain-text body that snippets are cut from.
    pub snippet_source: String,
    /// Number of terms in title, tags and body.
    pub lens: [u32; 3],
}

/// A sorted table of strings stored end to end, with binary search and prefix
/// ranges. One allocation instead of one per word keeps decoding quick.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Vocabulary {
    text: String,
    ends: Vec<u32>,
}

impl Vocabulary {
    /// Appends `word`; callers push in sorted order.
    pub fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(self.text.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// First index whose word is not less than `word`.
    fn lower_bound(&self, word: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid) < word {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub fn find(&self, word: &str) -> Option<u32> {
        let i = self.lower_bound(word);
        (i < self.len() && self.get(i) == word).then_some(i as u32)
    }

    /// The indices of all words starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> Range<usize> {
        let start = self.lower_bound(prefix);
        // From `start` on, the words with the prefix come first: binary search for
        // the first one without it (a one-letter prefix can span thousands).
        let (mut lo, mut hi) = (start, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid).starts_with(prefix) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        start..lo
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Postings of every term, end to end: `docs[starts[t]..starts[t + 1]]` are the
/// documents containing term `t` (ascending) and `tfs` the same slice of packed
/// term frequencies (see [`pack_tf`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Postings {
    pub starts: Vec<u32>,
    pub docs: Vec<u32>,
    pub tfs: Vec<u8>,
}

impl Postings {
    pub fn range(&self, term: u32) -> Range<usize> {
        self.starts[term as usize] as usize..self.starts[term as usize + 1] as usize
    }

    pub fn df(&self, term: u32) -> usize {
        self.range(term).len()
    }
}

/// Term frequencies of one term in one article, in one byte: title (2 bits),
/// tags (2 bits), body (4 bits), each saturating. BM25 saturates long before
/// these caps, so the lost counts do not change rankings measurably.
fn pack_tf(tf: [u32; 3]) -> u8 {
    (tf[TITLE].min(3) | tf[TAGS].min(3) << 2 | tf[BODY].min(15) << 4) as u8
}

fn unpack_tf(packed: u8) -> [f32; 3] {
    [
        f32::from(packed & 3),
        f32::from(packed >> 2 & 3),
        f32::from(packed >> 4),
    ]
}

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;

/// Tables computed from the stored index, never serialised: rebuilding them on
/// load is cheap and keeps the byte format minimal and the two paths identical.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Derived {
    /// BM25 inverse document frequency per term.
    pub idf: Vec<f32>,
    /// The BM25F score of each posting (aligned with `Postings::docs`): idf times
    /// saturated, field-weighted, length-normalised term frequency. Computing it
    /// once on load leaves one multiply per posting per keystroke.
    pub impacts: Vec<f32>,
    /// Letter mask per term (0 for CJK terms), for typo candidates.
    pub masks: Vec<u32>,
    /// Word terms by character count, for typo candidates.
    pub by_len: Vec<Vec<u32>>,
}

/// The searchable form of a set of SOP articles. Build it on the server with
/// [`SopIndex::build`], ship it with [`SopIndex::to_bytes`], load it in the widget
/// with [`SopIndex::from_bytes`], query it with [`SopIndex::search`].
#[derive(Debug, Clone, PartialEq)]
pub struct SopIndex {
    pub(super) docs: Vec<DocRecord>,
    pub(super) terms: Vocabulary,
    pub(super) postings: Postings,
    /// Surface forms that differ from their stem, sorted, and the stem of each.
    pub(super) surfaces: Vocabulary,
    pub(super) surface_terms: Vec<u32>,
    pub(super) derived: Derived,
}

impl SopIndex {
    /// Indexes `articles`. A slug that appears twice keeps its first article, so a
    /// stale duplicate cannot shadow the one the caller listed first.
    pub fn build(articles: &[SopArticle]) -> SopIndex {
        Self::build_with_snippet_chars(articles, DEFAULT_SNIPPET_SOURCE_CHARS)
    }

    /// [`SopIndex::build`], keeping `snippet_chars` characters of each body for
    /// snippets instead of the widget-sized default (`usize::MAX` keeps all).
    pub fn build_with_snippet_chars(articles: &[SopArticle], snippet_chars: usize) -> SopIndex {
        let mut ordered: Vec<&SopArticle> = articles.iter().collect();
        ordered.sort_by(|a, b| a.slug.cmp(&b.slug)); // stable: first occurrence wins
        ordered.dedup_by(|later, earlier| later.slug == earlier.slug);

        let mut builder = Builder {
            snippet_chars,
            ..Builder::default()
        };
        for (doc, article) in ordered.iter().enumerate() {
            builder.add(doc as u32, article);
        }
        builder.finish()
    }

    /// Number of articles in the index.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Number of distinct terms (stems and CJK n-grams).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Slugs of the indexed articles, in slug order.
    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.docs.iter().map(|d| d.slug.as_str())
    }

    /// Assembles an index from its stored parts and computes the derived tables.
    pub(super) fn assemble(
        docs: Vec<DocRecord>,
        terms: Vocabulary,
        postings: Postings,
        surfaces: Vocabulary,
        surface_terms: Vec<u32>,
    ) -> SopIndex {
        let derived = derive(&docs, &terms, &postings);
        SopIndex {
            docs,
            terms,
            postings,
            surfaces,
            surface_terms,
            derived,
        }
    }
}

fn derive(docs: &[DocRecord], terms: &Vocabulary, postings: &Postings) -> Derived {
    let n = docs.len() as f32;
    let idf: Vec<f32> = (0..terms.len() as u32)
        .map(|t| {
            let df = postings.df(t) as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect();

    let mut avg = [0f32; 3];
    for d in docs {
        for (sum, &len) in avg.iter_mut().zip(&d.lens) {
            *sum += len as f32;
        }
    }
    for a in &mut avg {
        *a = if n > 0.0 { *a / n } else { 0.0 };
    }
    let norms: Vec<[f32; 3]> = docs
        .iter()
        .map(|d| {
            let mut norm = [0f32; 3];
            for f in 0..3 {
                let b = FIELD_LENGTH_NORM[f];
                let rel = if avg[f] > 0.0 {
                    d.lens[f] as f32 / avg[f]
                } else {
                    1.0
                };
                norm[f] = FIELD_WEIGHT[f] / (1.0 - b + b * rel);
            }
            norm
        })
        .collect();

    let mut impacts = Vec::with_capacity(postings.docs.len());
    for t in 0..terms.len() as u32 {
        let range = postings.range(t);
        let idf: f32 = idf[t as usize];
        for (&doc, &packed) in postings.docs[range.clone()]
            .iter()
            .zip(&postings.tfs[range])
        {
            let norm = &norms[doc as usize];
            let tf = unpack_tf(packed);
            let pseudo_tf = tf[TITLE] * norm[TITLE] + tf[TAGS] * norm[TAGS] + tf[BODY] * norm[BODY];
            impacts.push(idf * pseudo_tf * (K1 + 1.0) / (K1 + pseudo_tf));
        }
    }

    let mut masks = vec![0u32; terms.len()];
    let mut by_len = vec![Vec::new(); MAX_WORD_CHARS + 1];
    for (t, term) in terms.iter().enumerate() {
        if term.chars().next().is_some_and(is_cjk) {
            continue;
        }
        let chars = term.chars().count();
        if chars <= MAX_WORD_CHARS {
            masks[t] = letter_mask(term);
            by_len[chars].push(t as u32);
        }
    }
    Derived {
        idf,
        impacts,
        masks,
        by_len,
    }
}

/// Accumulates terms and postings article by article, with terms numbered in order
/// of first sight; `finish` renumbers them in sorted order.
#[derive(Default)]
struct Builder {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    lists: Vec<Vec<(u32, u8)>>,
    surfaces: HashMap<String, u32>,
    docs: Vec<DocRecord>,
    snippet_chars: usize,
}

impl Builder {
    fn add(&mut self, doc: u32, article: &SopArticle) {
        let body = plain_text(&article.body_markdown);
        // Category and platforms are labels like tags: someone typing "grafana" or
        // "exports" means them.
        let mut labels = article.tags.join(" ; ");
        for extra in std::iter::once(&article.category).chain(&article.platforms) {
            labels.push_str(" ; ");
            labels.push_str(extra);
        }

        let mut seen: Vec<(u32, usize)> = Vec::new();
        let mut lens = [0u32; 3];
        for (field, text) in [(TITLE, &article.title), (TAGS, &labels), (BODY, &body)] {
            tokens::terms(text, |term, surface| {
                let id = self.intern(term);
                if let Some(surface) = surface {
                    if surface != term && !self.surfaces.contains_key(surface) {
                        self.surfaces.insert(surface.to_owned(), id);
                    }
                }
                seen.push((id, field));
                lens[field] += 1;
            });
        }
        seen.sort_unstable();
        let mut i = 0;
        while i < seen.len() {
            let term = seen[i].0;
            let mut tf = [0u32; 3];
            while i < seen.len() && seen[i].0 == term {
                tf[seen[i].1] += 1;
                i += 1;
            }
            self.lists[term as usize].push((doc, pack_tf(tf)));
        }

        self.docs.push(DocRecord {
            slug: article.slug.clone(),
            title: article.title.clone(),
            snippet_source: lead(&body, self.snippet_chars),
            lens,
        });
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(term.to_owned(), id);
        self.names.push(term.to_owned());
        self.lists.push(Vec::new());
        id
    }

    fn finish(self) -> SopIndex {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut renumber = vec![0u32; order.len()];
        let mut terms = Vocabulary::default();
        let mut postings = Postings {
            starts: vec![0],
            ..Postings::default()
        };
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
            terms.push(&self.names[old as usize]);
            for &(doc, tf) in &self.lists[old as usize] {
                postings.docs.push(doc);
                postings.tfs.push(tf);
            }
            postings.starts.push(postings.docs.len() as u32);
        }

        let mut surface_list: Vec<(String, u32)> = self.surfaces.into_iter().collect();
        surface_list.sort_unstable();
        let mut surfaces = Vocabulary::default();
        let mut surface_terms = Vec::with_capacity(surface_list.len());
        for (surface, old) in &surface_list {
            surfaces.push(surface);
            surface_terms.push(renumber[*old as usize]);
        }

        SopIndex::assemble(self.docs, terms, postings, surfaces, surface_terms)
    }
}

/// The first `max` characters of `text`, cut at a word boundary where one is near.
fn lead(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let head = &text[..cut];
            // Back up to the last space if it is close; CJK text has none, and is
            // cut mid-run, which reads fine.
            match head.rfind(' ') {
                Some(space) if cut - space < 40 => head[..space].to_owned(),
                _ => head.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, title: &str, body: &str, tags: &[&str]) -> SopArticle {
        SopArticle::fixture(slug, title, body, tags, "en")
    }

    #[test]
    fn articles_are_ordered_by_slug_and_duplicates_keep_the_first() {
        let index = SopIndex::build(&[
            article("b", "Second", "x", &[]),
            article("a", "First", "y", &[]),
            article("b", "Stale copy", "z", &[]),
        ]);
        assert_eq!(index.slugs().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(index.docs[1].title, "Second");
    }

    #[test]
    fn vocabulary_is_sorted_and_postings_ascend() {
        let index = SopIndex::build(&[
            article("a", "Export", "zeta alpha export", &[]),
            article("b", "Alpha", "export", &[]),
        ]);
        let words: Vec<&str> = index.terms.iter().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        let export = index.terms.find("export").unwrap();
        assert_eq!(&index.postings.docs[index.postings.range(export)], &[0, 1]);
    }

    #[test]
    fn term_frequencies_are_counted_per_field() {
        let index = SopIndex::build(&[article("a", "Export", "export export", &["export"])]);
        let export = index.terms.find("export").unwrap();
        let tf = unpack_tf(index.postings.tfs[index.postings.range(export)][0]);
        assert_eq!(tf, [1.0, 1.0, 2.0]);
    }

    #[test]
    fn surface_forms_map_to_their_stem() {
        let index = SopIndex::build(&[article("a", "Exporting", "", &[])]);
        let at = index.surfaces.find("exporting").unwrap() as usize;
        assert_eq!(index.terms.get(index.surface_terms[at] as usize), "export");
    }

    #[test]
    fn prefix_range_covers_exactly_the_words_with_the_prefix() {
        let mut v = Vocabulary::default();
        for w in ["pa", "pass", "password", "past", "pb"] {
            v.push(w);
        }
        assert_eq!(v.prefix_range("pas"), 1..4);
        assert_eq!(v.prefix_range("x"), 5..5);
        assert_eq!(v.find("past"), Some(3));
        assert_eq!(v.find("pas"), None);
    }

    #[test]
    fn snippet_source_keeps_the_lead_the_builder_asks_for() {
        let body = "word ".repeat(200);
        let short = SopIndex::build(&[article("a", "T", &body, &[])]);
        assert!(short.docs[0].snippet_source.chars().count() <= DEFAULT_SNIPPET_SOURCE_CHARS);
        let whole =
            SopIndex::build_with_snippet_chars(&[article("a", "T", &body, &[])], usize::MAX);
        assert_eq!(whole.docs[0].snippet_source, body.trim_end());
    }

    #[test]
    fn snippet_source_is_cut_at_a_word_boundary() {
        let text = "word ".repeat(200);
        let cut = lead(&text, 22);
        assert_eq!(cut, "word word word word");
    }
}
