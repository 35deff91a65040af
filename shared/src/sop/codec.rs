//! The index as bytes: what `GET /v1/sop/index` serves and the widget decodes on
//! first open, and [`SopIndexError`] for bytes that are not a valid index.
//!
//! A hand-rolled format rather than serde + postcard: the compact parts (sorted
//! words front-coded against their predecessor, postings as gaps between document
//! numbers, a byte per posting for term frequencies) need custom code either way,
//! and this keeps the widget free of another dependency. Decoding checks every
//! count, offset and ordering the search code relies on (sorted vocabularies,
//! ascending postings, ids in range), so a truncated or tampered download is an
//! error, never a panic or a wrong answer.
//!
//! Layout (version 1; integers are LEB128 varints, strings are a varint length
//! and UTF-8 bytes):
//! ```text
//! "HLSOP" version:u8
//! docs:    n, then n × (slug, title, snippet_source, len_title, len_tags, len_body)
//! terms:   n, then n × (shared_prefix_len, suffix)          — sorted, front-coded
//! postings: per term: df, df × doc_gap, df × tf:u8          — gap = doc − prev − 1
//! surfaces: n, then n × (shared_prefix_len, suffix, term)   — sorted, front-coded
//! ```
//! Derived tables (idf, length norms, typo buckets) are recomputed on load.

use thiserror::Error;

use super::index::{DocRecord, Postings, SopIndex, Vocabulary};

const MAGIC: &[u8; 5] = b"HLSOP";

/// Bumped whenever the layout or the meaning of a field changes; a widget with an
/// older build refuses a newer index instead of misreading it.
pub(super) const FORMAT_VERSION: u8 = 1;

/// Why bytes could not be decoded as a [`SopIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SopIndexError {
    #[error("not a Helpline SOP index")]
    NotAnIndex,
    #[error("SOP index format version {found} is not supported (this build reads {expected})")]
    UnsupportedVersion { found: u8, expected: u8 },
    #[error("SOP index ends early, at byte {at}")]
    Truncated { at: usize },
    #[error("SOP index is corrupt at byte {at}: {reason}")]
    Corrupt { at: usize, reason: &'static str },
    #[error("SOP index has {count} stray bytes after its end")]
    TrailingBytes { count: usize },
}

impl SopIndex {
    /// The compact, deterministic byte form of the index (same index, same bytes,
    /// so the bytes' digest can serve as the ETag).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.out.extend_from_slice(MAGIC);
        w.out.push(FORMAT_VERSION);

        w.varint(self.docs.len() as u64);
        for d in &self.docs {
            w.str(&d.slug);
            w.str(&d.title);
            w.str(&d.snippet_source);
            for len in d.lens {
                w.varint(u64::from(len));
            }
        }

        w.varint(self.terms.len() as u64);
        w.front_coded(self.terms.iter(), |_, _| {});
        for t in 0..self.terms.len() as u32 {
            let range = self.postings.range(t);
            w.varint(range.len() as u64);
            let mut prev: Option<u32> = None;
            for &doc in &self.postings.docs[range.clone()] {
                let gap = match prev {
                    None => doc,
                    Some(p) => doc - p - 1,
                };
                w.varint(u64::from(gap));
                prev = Some(doc);
            }
            w.out.extend_from_slice(&self.postings.tfs[range]);
        }

        w.varint(self.surfaces.len() as u64);
        let terms = &self.surface_terms;
        w.front_coded(self.surfaces.iter(), |w, i| w.varint(u64::from(terms[i])));
        w.out
    }

    /// Decodes bytes made by [`SopIndex::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<SopIndex, SopIndexError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(SopIndexError::NotAnIndex);
        }
        let version = r.byte()?;
        if version != FORMAT_VERSION {
            return Err(SopIndexError::UnsupportedVersion {
                found: version,
                expected: FORMAT_VERSION,
            });
        }

        let docs = r.docs()?;
        let n_terms = r.count()?;
        let terms = r.front_coded(n_terms, |_| Ok(()))?;
        let postings = r.postings(n_terms, docs.len())?;
        let n_surfaces = r.count()?;
        let mut surface_terms = Vec::with_capacity(n_surfaces);
        let surfaces = r.front_coded(n_surfaces, |r| {
            let term = r.u32()?;
            if term as usize >= n_terms {
                return Err(r.corrupt("surface form names no term"));
            }
            surface_terms.push(term);
            Ok(())
        })?;

        if r.at != bytes.len() {
            return Err(SopIndexError::TrailingBytes {
                count: bytes.len() - r.at,
            });
        }
        Ok(SopIndex::assemble(
            docs,
            terms,
            postings,
            surfaces,
            surface_terms,
        ))
    }
}

#[derive(Default)]
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// Sorted words as (bytes shared with the previous word, rest), with `extra`
    /// written after each.
    fn front_coded<'a>(
        &mut self,
        words: impl Iterator<Item = &'a str>,
        mut extra: impl FnMut(&mut Self, usize),
    ) {
        let mut prev: &[u8] = &[];
        for (i, word) in words.enumerate() {
            let w = word.as_bytes();
            let shared = prev.iter().zip(w).take_while(|(a, b)| a == b).count();
            self.varint(shared as u64);
            self.varint((w.len() - shared) as u64);
            self.out.extend_from_slice(&w[shared..]);
            extra(self, i);
            prev = w;
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// The articles, in slug order.
    fn docs(&mut self) -> Result<Vec<DocRecord>, SopIndexError> {
        let n_docs = self.count()?;
        let mut docs = Vec::with_capacity(n_docs);
        for _ in 0..n_docs {
            let slug = self.str()?;
            let title = self.str()?;
            let snippet_source = self.str()?;
            let lens = [self.u32()?, self.u32()?, self.u32()?];
            docs.push(DocRecord {
                slug,
                title,
                snippet_source,
                lens,
            });
        }
        if docs.windows(2).any(|w| w[0].slug >= w[1].slug) {
            return Err(self.corrupt("articles out of slug order"));
        }
        Ok(docs)
    }

    /// Each term's postings: gap-coded article numbers, then their term
    /// frequencies; every article number must name one of `n_docs`.
    fn postings(&mut self, n_terms: usize, n_docs: usize) -> Result<Postings, SopIndexError> {
        let mut postings = Postings {
            starts: Vec::with_capacity(n_terms + 1),
            ..Postings::default()
        };
        postings.starts.push(0);
        for _ in 0..n_terms {
            let df = self.count()?;
            let mut prev: Option<u32> = None;
            for _ in 0..df {
                let gap = self.u32()?;
                let doc = match prev {
                    None => Some(gap),
                    Some(p) => p.checked_add(gap).and_then(|d| d.checked_add(1)),
                };
                let doc = doc
                    .filter(|&d| (d as usize) < n_docs)
                    .ok_or_else(|| self.corrupt("posting names no article"))?;
                postings.docs.push(doc);
                prev = Some(doc);
            }
            postings.tfs.extend_from_slice(self.take(df)?);
            let end = u32::try_from(postings.docs.len())
                .map_err(|_| self.corrupt("too many postings"))?;
            postings.starts.push(end);
        }
        Ok(postings)
    }

    fn corrupt(&self, reason: &'static str) -> SopIndexError {
        SopIndexError::Corrupt {
            at: self.at,
            reason,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SopIndexError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(SopIndexError::Truncated {
                at: self.bytes.len(),
            })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, SopIndexError> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, SopIndexError> {
        // Most numbers here (gaps in common terms' postings, counts, lengths) fit in
        // one byte; skipping the loop for them is most of the decoding time saved.
        if let Some(&b) = self.bytes.get(self.at) {
            if b < 0x80 {
                self.at += 1;
                return Ok(u64::from(b));
            }
        }
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.corrupt("varint too long"))
    }

    fn u32(&mut self) -> Result<u32, SopIndexError> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| self.corrupt("number out of range"))
    }

    /// A count of items that each take at least one byte: larger than what is left
    /// means corruption, and checking it first keeps a bad count from reserving
    /// gigabytes.
    fn count(&mut self) -> Result<usize, SopIndexError> {
        let n = self.varint()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(self.corrupt("count larger than the rest of the index"));
        }
        Ok(n as usize)
    }

    fn str(&mut self) -> Result<String, SopIndexError> {
        let n = self.count()?;
        let at = self.at;
        let raw = self.take(n)?;
        String::from_utf8(raw.to_vec()).map_err(|_| SopIndexError::Corrupt {
            at,
            reason: "text is not UTF-8",
        })
    }

    /// `n` front-coded words, strictly ascending, calling `extra` after each.
    fn front_coded(
        &mut self,
        n: usize,
        mut extra: impl FnMut(&mut Self) -> Result<(), SopIndexError>,
    ) -> Result<Vocabulary, SopIndexError> {
        let mut vocab = Vocabulary::default();
        let mut prev: Vec<u8> = Vec::new();
        let mut word: Vec<u8> = Vec::new();
        for i in 0..n {
            let shared = self.varint()?;
            let shared = usize::try_from(shared)
                .ok()
                .filter(|&s| s <= prev.len())
                .ok_or_else(|| self.corrupt("shared prefix longer than the previous word"))?;
            let rest = self.count()?;
            word.clear();
            word.extend_from_slice(&prev[..shared]);
            word.extend_from_slice(self.take(rest)?);
            let text = std::str::from_utf8(&word).map_err(|_| self.corrupt("word is not UTF-8"))?;
            if i > 0 && word.as_slice() <= prev.as_slice() {
                return Err(self.corrupt("words out of order"));
            }
            vocab.push(text);
            extra(self)?;
            std::mem::swap(&mut prev, &mut word);
        }
        Ok(vocab)
    }
}

#[cfg(test)]
mod tests {
    use super::super::SopArticle;
    use super::*;
    use proptest::prelude::*;

    fn sample() -> SopIndex {
        // Tags, a category and a platform, so each part of the encoding is used.
        let a = |slug: &str, title: &str, body: &str, lang: &str| SopArticle {
            category: "exports".into(),
            platforms: vec!["grafana".into()],
            ..SopArticle::fixture(slug, title, body, &["exports", "报表"], lang)
        };
        SopIndex::build(&[
            a(
                "export-csv",
                "Exporting to CSV",
                "1. Click **Export**.\n2. Wait.",
                "en",
            ),
            a("zh-export", "导出报表失败", "1. 打开报表页面。", "zh-CN"),
            a(
                "password",
                "Password reset",
                "Use the [login page](https://x).",
                "en",
            ),
        ])
    }

    #[test]
    fn index_round_trips_through_bytes() {
        let index = sample();
        let bytes = index.to_bytes();
        let back = SopIndex::from_bytes(&bytes).unwrap();
        assert_eq!(back, index);
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.search("exporti", 3), index.search("exporti", 3));
    }

    #[test]
    fn bytes_are_deterministic() {
        assert_eq!(sample().to_bytes(), sample().to_bytes());
    }

    #[test]
    fn an_empty_library_round_trips() {
        let empty = SopIndex::build(&[]);
        let back = SopIndex::from_bytes(&empty.to_bytes()).unwrap();
        assert!(back.is_empty());
        assert!(back.search("anything", 5).is_empty());
    }

    #[test]
    fn foreign_bytes_are_not_an_index() {
        assert_eq!(
            SopIndex::from_bytes(b"{\"json\":1}"),
            Err(SopIndexError::NotAnIndex)
        );
        assert_eq!(SopIndex::from_bytes(b""), Err(SopIndexError::NotAnIndex));
    }

    #[test]
    fn a_newer_format_version_is_refused() {
        let mut bytes = sample().to_bytes();
        bytes[MAGIC.len()] = FORMAT_VERSION + 1;
        assert_eq!(
            SopIndex::from_bytes(&bytes),
            Err(SopIndexError::UnsupportedVersion {
                found: FORMAT_VERSION + 1,
                expected: FORMAT_VERSION
            })
        );
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = sample().to_bytes();
        for cut in 0..bytes.len() {
            assert!(SopIndex::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut bytes = sample().to_bytes();
        bytes.push(0);
        assert_eq!(
            SopIndex::from_bytes(&bytes),
            Err(SopIndexError::TrailingBytes { count: 1 })
        );
    }

    proptest! {
        #[test]
        fn corrupted_bytes_never_panic(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut bytes = sample().to_bytes();
            for (at, value) in flips {
                let i = MAGIC.len() + 1 + at % (bytes.len() - MAGIC.len() - 1);
                bytes[i] = value;
            }
            // Whatever decodes must also be searchable without panicking.
            if let Ok(index) = SopIndex::from_bytes(&bytes) {
                let _ = index.search("export 报表 pass", 5);
            }
        }

        #[test]
        fn any_library_round_trips(docs in proptest::collection::vec(("[a-z]{1,6}", "[a-zA-Z 导出报表]{0,20}", "[a-z0-9 .*`\\[\\]()]{0,60}"), 0..6)) {
            let articles: Vec<SopArticle> = docs.into_iter().map(|(slug, title, body)| SopArticle {
                slug, title, body_markdown: body, tags: vec![], category: String::new(),
                platforms: vec![], language: "en".into(),
            }).collect();
            let index = SopIndex::build(&articles);
            let back = SopIndex::from_bytes(&index.to_bytes()).unwrap();
            prop_assert_eq!(back, index);
        }

        #[test]
        fn any_query_is_answered_without_panic(query in "\\PC{0,40}") {
            let _ = sample().search(&query, 5);
        }
    }
}
