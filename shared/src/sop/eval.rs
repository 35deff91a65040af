//! Retrieval quality on the seed library: every labelled query in
//! `sop-seed/queries.json` names the article it should find, and this measures how
//! often it does (hit@1, hit@3, mean reciprocal rank), per kind of query. It fails
//! below hit@3 = 0.9, so a ranking change that hurts users is caught here rather
//! than in the widget.
//!
//! Run with `cargo test -p helpline-shared sop::eval -- --nocapture` to see the
//! figures and every query that missed the top 3.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{SopArticle, SopIndex};

const ARTICLES: &str = include_str!("../../sop-seed/articles.json");
const QUERIES: &str = include_str!("../../sop-seed/queries.json");

#[derive(Deserialize)]
struct LabelledQuery {
    query: String,
    slug: String,
    /// `prefix` (typing in progress), `typo`, `paraphrase` or `chinese`.
    kind: String,
}

#[derive(Default)]
struct Tally {
    queries: usize,
    hit1: usize,
    hit3: usize,
    reciprocal_rank: f64,
}

impl Tally {
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(r) = rank {
            self.hit1 += usize::from(r == 1);
            self.hit3 += usize::from(r <= 3);
            self.reciprocal_rank += 1.0 / r as f64;
        }
    }

    fn hit_at_3(&self) -> f64 {
        self.hit3 as f64 / self.queries.max(1) as f64
    }

    fn line(&self, name: &str) -> String {
        let n = self.queries.max(1) as f64;
        format!(
            "{name:<11} n={:<3} hit@1={:.3} hit@3={:.3} MRR={:.3}",
            self.queries,
            self.hit1 as f64 / n,
            self.hit_at_3(),
            self.reciprocal_rank / n
        )
    }
}

fn seed() -> (Vec<SopArticle>, Vec<LabelledQuery>) {
    let articles = serde_json::from_str(ARTICLES).expect("sop-seed/articles.json parses");
    let queries = serde_json::from_str(QUERIES).expect("sop-seed/queries.json parses");
    (articles, queries)
}

#[test]
fn labelled_queries_find_their_article_in_the_top_three() {
    let (articles, queries) = seed();
    // Measure the index the widget gets: through bytes, not straight from build.
    let index = SopIndex::from_bytes(&SopIndex::build(&articles).to_bytes()).unwrap();

    let mut overall = Tally::default();
    let mut by_kind: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for q in &queries {
        // Rank among the top 10, as a suggestion list would show at most.
        let hits = index.search(&q.query, 10);
        let rank = hits.iter().position(|h| h.slug == q.slug).map(|p| p + 1);
        overall.add(rank);
        by_kind.entry(&q.kind).or_default().add(rank);
        if rank.is_none_or(|r| r > 3) {
            let top: Vec<&str> = hits.iter().take(3).map(|h| h.slug.as_str()).collect();
            misses.push(format!(
                "  {:?} → want {} at {rank:?}, got {top:?}",
                q.query, q.slug
            ));
        }
    }

    println!(
        "SOP retrieval on the seed library ({} articles)",
        articles.len()
    );
    println!("{}", overall.line("all"));
    for (kind, tally) in &by_kind {
        println!("{}", tally.line(kind));
    }
    if !misses.is_empty() {
        println!("outside the top 3:\n{}", misses.join("\n"));
    }
    assert!(
        overall.hit_at_3() >= 0.9,
        "hit@3 = {:.3} < 0.9",
        overall.hit_at_3()
    );
}

#[test]
fn seed_library_meets_its_brief() {
    let (articles, queries) = seed();
    assert!(articles.len() >= 40, "{} articles", articles.len());
    assert!(articles.iter().filter(|a| a.language == "zh-CN").count() >= 6);
    for a in &articles {
        let body = &a.body_markdown;
        assert!(body.contains("\n1. "), "{}: numbered steps", a.slug);
        assert!(body.contains("]("), "{}: a link", a.slug);
        assert!(body.contains('`'), "{}: inline code", a.slug);
    }
    assert!(queries.len() >= 60, "{} queries", queries.len());
    let slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
    for q in &queries {
        assert!(
            slugs.contains(&q.slug.as_str()),
            "{} names no article",
            q.slug
        );
    }
    for kind in ["prefix", "typo", "paraphrase", "chinese"] {
        assert!(queries.iter().any(|q| q.kind == kind), "no {kind} queries");
    }
}
