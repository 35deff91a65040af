//! SOP search: ranked, typo-tolerant, type-ahead retrieval over the team's
//! Standard Operating Procedures, in pure Rust so the same code answers
//! `GET /v1/sop/search` in the Worker and every keystroke in the widget.
//!
//! How a keystroke travels: the widget holds a [`SopIndex`] decoded once from
//! `GET /v1/sop/index` ([`SopIndex::from_bytes`]); each change of the description
//! calls [`SopIndex::search`], which plans the query (`search.rs`: stems, the last
//! word by prefix, typos, Chinese n-grams), scores the postings with BM25F over
//! title, tags and body, and cuts highlighted snippets (`snippet.rs`) for the few
//! hits shown. The Worker builds the index with [`SopIndex::build`] when articles
//! change and serves [`SopIndex::to_bytes`].
//!
//! Files and what each owns:
//! - `article.rs`: [`SopArticle`] and Markdown → plain text.
//! - `tokens.rs`: what a word is (Latin words, stemming, stop words, CJK n-grams).
//! - `fuzzy.rs`: bounded edit distance and the cheap filters in front of it.
//! - `index.rs`: [`SopIndex`], its in-memory layout and [`SopIndex::build`].
//! - `search.rs`: query planning, scoring and ranking ([`SopIndex::search`]).
//! - `snippet.rs`: highlighted title and body snippets as [`Segment`]s.
//! - `codec.rs`: the compact byte format and [`SopIndexError`].
//! - `authoring.rs`: what a valid article is before it is stored (maintenance API).
//! - `eval.rs` (tests only): hit@k and MRR over the labelled seed queries.

mod article;
pub mod authoring;
mod codec;
#[cfg(test)]
mod eval;
mod fuzzy;
mod index;
mod search;
mod snippet;
pub(crate) mod tokens;

pub use crate::markdown::plain_text;
pub use article::SopArticle;
pub use codec::SopIndexError;
pub use index::{SopIndex, DEFAULT_SNIPPET_SOURCE_CHARS};

#[cfg(feature = "openapi")]
use crate::openapi::format::ArticleSlug;
use serde::{Deserialize, Serialize};

/// One suggestion: the article, how well it matched, and its title and a body
/// snippet cut into segments with the matched words marked. The UI renders the
/// segments as text nodes (highlighted ones in `<mark>`), so no HTML is built here
/// and nothing in an article can inject markup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopHit {
    #[cfg_attr(feature = "openapi", schemars(with = "ArticleSlug"))]
    pub slug: String,
    pub title: String,
    /// Relevance; only meaningful for ordering hits of the same query.
    pub score: f32,
    pub title_segments: Vec<Segment>,
    pub snippet_segments: Vec<Segment>,
}

/// A piece of a title or snippet; `highlighted` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Segment {
    pub text: String,
    pub highlighted: bool,
}

/// What the index holds for the same published articles, as a number: bumped
/// whenever that changes (the codec's format, how bodies are read or
/// tokenized), so an index cached under the old number is built again.
pub const INDEX_REVISION: u32 = 2;
