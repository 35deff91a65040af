//! From a typed query to ranked hits: query planning (which terms each typed word
//! stands for, and how much each counts), BM25F scoring over the postings, and
//! ranking with deterministic ties.
//!
//! Each typed word becomes a *query word* with weighted *expansions*:
//! - a finished word expands to its stem;
//! - the last word, while still being typed (no space after it), also expands by
//!   prefix to the words that start with it;
//! - a word that found nothing either way expands to the terms within its typo
//!   allowance ([`allowed_typos`]). Typos are assumed only for unknown words, so a
//!   correctly typed word is not diluted by its near neighbours ("export" is not
//!   "expert");
//! - a run of Chinese characters becomes one query word per character pair, plus
//!   lightly weighted single characters.
//!
//! An article scores, per query word, its best expansion (not the sum: "pass" must
//! not score an article twice for "password" and "passcode"), and the total is
//! scaled by the share of query words it matched, so an article that answers the
//! whole question beats one that repeats a single word.

use std::collections::HashSet;

use super::fuzzy::{allowed_typos, bounded_distance, letter_mask, masks_compatible};
use super::index::SopIndex;
use super::snippet::Highlighter;
use super::tokens::{self, is_stop_word, normal_word, stem, TokenKind, MAX_WORD_CHARS};
use super::SopHit;

/// Weight of an expansion one typo away, and two typos away, relative to an exact
/// match: a corrected word is probably right, but an exact word certainly is.
const TYPO_WEIGHT: [f32; 3] = [1.0, 0.6, 0.4];

/// A prefix completion weighs `PREFIX_BASE` plus the rest in proportion to how much
/// of the word was typed: "passw" is nearly "password", "p" is barely anything.
const PREFIX_BASE: f32 = 0.4;

/// An unfinished word completes to at most this many terms (the most frequent
/// ones), which bounds the work of a short prefix on a large vocabulary: the
/// completions of one letter are among the commonest words, with thousands of
/// postings each, and say little about what is being typed.
const MAX_PREFIX_TERMS: usize = 32;

fn prefix_terms_for(typed_chars: usize) -> usize {
    match typed_chars {
        0 | 1 => MAX_PREFIX_TERMS / 4,
        2 => MAX_PREFIX_TERMS / 2,
        _ => MAX_PREFIX_TERMS,
    }
}

/// Single Chinese characters of a longer run are weak evidence next to its pairs.
const CJK_SINGLE_WEIGHT: f32 = 0.2;

/// A long description is cut to its most telling words: this many, the rarest.
const MAX_QUERY_WORDS: usize = 24;

/// The description box is the query, and a pasted log can fill its 8,000
/// characters; planning looks at this many of its tokens (the first ones, where a
/// problem is usually stated, and always the last, which is being typed), so a
/// keystroke costs the same however long the text.
const MAX_QUERY_TOKENS: usize = 64;

/// Unknown words looked up for typos per query: each lookup scans the vocabulary's
/// length buckets, and a paste of names or ids would otherwise make many.
const MAX_TYPO_LOOKUPS: usize = 8;

/// Share of the score an article keeps however few query words it matched; the
/// rest is earned in proportion to the query words it matched. Kept mild: on the
/// seed queries a floor of 0.35 cost a query at hit@3 that 0.6 and 1.0 (off) did
/// not, but long descriptions need some pull toward articles that match more of
/// what was said.
const COORDINATION_FLOOR: f32 = 0.6;

/// One typed word (or Chinese n-gram) and the terms it stands for.
#[derive(Debug)]
struct QueryWord {
    /// `(term, weight)`; an article scores its best expansion.
    expansions: Vec<(u32, f32)>,
    /// Contribution of this word to the article score.
    weight: f32,
    /// Whether matching this word counts toward "answers the whole question".
    coordinated: bool,
}

/// A planned query: its words, and what to highlight in titles and snippets.
pub(super) struct QueryPlan {
    words: Vec<QueryWord>,
    pub highlighter: Highlighter,
}

/// A query plan being built, word by word.
#[derive(Default)]
struct Planning {
    words: Vec<QueryWord>,
    highlighter: Highlighter,
    seen: HashSet<String>,
    typo_lookups: usize,
}

impl SopIndex {
    /// The `limit` best articles for `query`, best first. Equal scores order by
    /// slug, so the same query always gives the same list. An empty or
    /// stop-words-only query gives no hits.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SopHit> {
        if limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let plan = self.plan(query);
        let ranked = self.rank(&plan, limit);
        ranked
            .into_iter()
            .map(|(score, doc)| {
                let record = &self.docs[doc as usize];
                SopHit {
                    slug: record.slug.clone(),
                    title: record.title.clone(),
                    score,
                    title_segments: plan.highlighter.whole(&record.title),
                    snippet_segments: plan.highlighter.snippet(&record.snippet_source),
                }
            })
            .collect()
    }

    /// Scores every article against `plan` and returns the best `limit` as
    /// `(score, doc)`, best first.
    fn rank(&self, plan: &QueryPlan, limit: usize) -> Vec<(f32, u32)> {
        let n = self.docs.len();
        let mut total = vec![0f32; n];
        let mut matched = vec![0u8; n]; // coordinated words matched, ≤ MAX_QUERY_WORDS
        let mut best = vec![0f32; n];
        let mut word_docs: Vec<u32> = Vec::new();
        let mut coordinated_words = 0u8;

        for word in &plan.words {
            let counts = u8::from(word.coordinated);
            coordinated_words += counts;
            if let [(term, weight)] = word.expansions[..] {
                // One expansion (most words): its score is the word's score.
                let factor = weight * word.weight;
                let range = self.postings.range(term);
                let docs = &self.postings.docs[range.clone()];
                let impacts = &self.derived.impacts[range];
                for (&doc, &impact) in docs.iter().zip(impacts) {
                    let score = impact * factor;
                    // Zero (or, from a damaged index, NaN) adds nothing, and must not
                    // count the article as matched by this word.
                    if score > 0.0 {
                        total[doc as usize] += score;
                        matched[doc as usize] += counts;
                    }
                }
                continue;
            }
            // Several expansions: each article scores its best one.
            for &(term, weight) in &word.expansions {
                let range = self.postings.range(term);
                let docs = &self.postings.docs[range.clone()];
                let impacts = &self.derived.impacts[range];
                for (&doc, &impact) in docs.iter().zip(impacts) {
                    let score = impact * weight;
                    if score.is_nan() || score <= 0.0 {
                        continue;
                    }
                    let slot = &mut best[doc as usize];
                    if *slot == 0.0 {
                        word_docs.push(doc);
                    }
                    if score > *slot {
                        *slot = score;
                    }
                }
            }
            for &doc in &word_docs {
                let d = doc as usize;
                total[d] += best[d] * word.weight;
                matched[d] += counts;
                best[d] = 0.0;
            }
            word_docs.clear();
        }

        let mut ranked: Vec<(f32, u32)> = Vec::new();
        for (d, (&score, &words)) in total.iter().zip(&matched).enumerate() {
            if score > 0.0 {
                let share = if coordinated_words > 0 {
                    f32::from(words) / f32::from(coordinated_words)
                } else {
                    1.0
                };
                let scale = COORDINATION_FLOOR + (1.0 - COORDINATION_FLOOR) * share;
                ranked.push((score * scale, d as u32));
            }
        }
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(order);
        ranked
    }

    /// Turns the typed text into query words and a highlighter.
    pub(super) fn plan(&self, query: &str) -> QueryPlan {
        let mut toks = tokens::tokens(query);
        if toks.len() > MAX_QUERY_TOKENS {
            let last = toks[toks.len() - 1];
            toks.truncate(MAX_QUERY_TOKENS - 1);
            toks.push(last);
        }
        // The last word is still being typed unless something follows it.
        let unfinished = toks
            .last()
            .filter(|t| t.kind == TokenKind::Word && t.end == query.len())
            .map(|t| t.start);
        let mut planning = Planning::default();
        for tok in &toks {
            let slice = &query[tok.start..tok.end];
            match tok.kind {
                TokenKind::Word => {
                    self.plan_word(slice, unfinished == Some(tok.start), &mut planning)
                }
                TokenKind::Cjk => self.plan_cjk(slice, &mut planning),
            }
        }
        let mut words = planning.words;
        if words.len() > MAX_QUERY_WORDS {
            // Keep the words that discriminate most (highest idf × weight).
            let key = |w: &QueryWord| {
                let idf = w
                    .expansions
                    .iter()
                    .map(|&(t, x)| self.derived.idf[t as usize] * x)
                    .fold(0f32, f32::max);
                idf * w.weight
            };
            words.sort_by(|a, b| key(b).total_cmp(&key(a)));
            words.truncate(MAX_QUERY_WORDS);
        }
        QueryPlan {
            words,
            highlighter: planning.highlighter,
        }
    }

    /// One word of the query: its term, the terms it may become if it is
    /// still being typed, or the terms a typo away.
    fn plan_word(&self, slice: &str, in_progress: bool, p: &mut Planning) {
        let Some(normal) = normal_word(slice) else {
            return;
        };
        let stop = is_stop_word(&normal);
        if normal.is_empty() || (stop && !in_progress) {
            return;
        }
        let stemmed = stem(&normal);
        if !p.seen.insert(stemmed.clone()) {
            return;
        }
        let mut expansions = Vec::new();
        if !stop {
            if let Some(term) = self.terms.find(&stemmed) {
                expansions.push((term, 1.0));
            }
        }
        if in_progress {
            self.complete_prefix(&normal, &mut expansions);
            p.highlighter.add_prefix(&normal);
        }
        if expansions.is_empty() && !stop && p.typo_lookups < MAX_TYPO_LOOKUPS {
            let typos = allowed_typos(normal.chars().count());
            if typos > 0 {
                p.typo_lookups += 1;
                self.typo_candidates(&stemmed, typos, &mut expansions);
            }
        }
        for &(term, _) in &expansions {
            p.highlighter.add_stem(self.terms.get(term as usize));
        }
        if !expansions.is_empty() {
            // A one- or two-letter fragment is too vague to demand.
            let coordinated = !in_progress || normal.chars().count() >= 3;
            p.words.push(QueryWord {
                expansions,
                weight: 1.0,
                coordinated,
            });
        }
    }

    /// A run of Chinese characters: its bigrams (and a lone character), a
    /// single character of a longer run weighing less and not demanded.
    fn plan_cjk(&self, slice: &str, p: &mut Planning) {
        let chars = slice.chars().count();
        let mut grams: Vec<&str> = Vec::new();
        tokens::cjk_terms(slice, |g| grams.push(g));
        for gram in grams {
            let single = gram.chars().count() == 1;
            let (weight, coordinated) = if single && chars > 1 {
                (CJK_SINGLE_WEIGHT, false)
            } else {
                (1.0, true)
            };
            if !single || chars == 1 {
                p.highlighter.add_cjk(gram);
            }
            if !p.seen.insert(gram.to_owned()) {
                continue;
            }
            if let Some(term) = self.terms.find(gram) {
                p.words.push(QueryWord {
                    expansions: vec![(term, 1.0)],
                    weight,
                    coordinated,
                });
            }
        }
    }

    /// Adds the terms that an unfinished word may become: stems and surface forms
    /// starting with it, at most [`prefix_terms_for`] of them, the most frequent
    /// first (ties by term number, so the choice is deterministic). An expansion
    /// already present keeps its higher weight.
    fn complete_prefix(&self, prefix: &str, expansions: &mut Vec<(u32, f32)>) {
        let typed_chars = prefix.chars().count();
        let cap = prefix_terms_for(typed_chars);
        let typed = typed_chars as f32;
        let weight = |word: &str| {
            let ratio = typed / word.chars().count().max(1) as f32;
            PREFIX_BASE + (1.0 - PREFIX_BASE) * ratio.min(1.0)
        };
        // The best terms so far as (df, term, weight). A one-letter prefix spans
        // thousands of words: most are rare and are turned away by one comparison
        // against the weakest entry, without sorting the range.
        let mut top: Vec<(usize, u32, f32)> = Vec::with_capacity(cap);
        let mut weakest = 0; // index in `top` of the entry to evict next
        let rank = |df: usize, term: u32| (df, std::cmp::Reverse(term));
        let mut consider = |term: u32, word: &str| {
            let df = self.postings.df(term);
            if top.len() == cap {
                let (wdf, wterm, _) = top[weakest];
                if rank(df, term) < rank(wdf, wterm) {
                    return;
                }
            }
            if let Some(entry) = top.iter_mut().find(|e| e.1 == term) {
                entry.2 = entry.2.max(weight(word));
                return;
            }
            if top.len() == cap {
                top[weakest] = (df, term, weight(word));
            } else {
                top.push((df, term, weight(word)));
            }
            if top.len() == cap {
                weakest = (0..top.len())
                    .min_by_key(|&i| rank(top[i].0, top[i].1))
                    .unwrap_or(0);
            }
        };
        for i in self.terms.prefix_range(prefix) {
            consider(i as u32, self.terms.get(i));
        }
        for i in self.surfaces.prefix_range(prefix) {
            consider(self.surface_terms[i], self.surfaces.get(i));
        }
        top.sort_unstable_by_key(|e| e.1);
        for (_, term, w) in top {
            match expansions.iter_mut().find(|e| e.0 == term) {
                Some(e) => e.1 = e.1.max(w),
                None => expansions.push((term, w)),
            }
        }
    }

    /// Adds the word terms within `typos` edits of `word` (a stem).
    fn typo_candidates(&self, word: &str, typos: u8, expansions: &mut Vec<(u32, f32)>) {
        if typos == 0 {
            return;
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            return;
        }
        let mask = letter_mask(word);
        let lo = chars.len().saturating_sub(usize::from(typos));
        let hi = (chars.len() + usize::from(typos)).min(MAX_WORD_CHARS);
        let mut candidate = Vec::with_capacity(MAX_WORD_CHARS);
        for len in lo..=hi {
            for &term in &self.derived.by_len[len] {
                if !masks_compatible(self.derived.masks[term as usize], mask, typos) {
                    continue;
                }
                candidate.clear();
                candidate.extend(self.terms.get(term as usize).chars());
                if let Some(d) = bounded_distance(&chars, &candidate, typos) {
                    expansions.push((term, TYPO_WEIGHT[usize::from(d)]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SopArticle;
    use super::*;

    fn library() -> SopIndex {
        SopIndex::build(&[
            SopArticle::fixture(
                "reset-mfa",
                "Reset a user's MFA device",
                "1. Open **Admin → Users**.\n2. Choose *Reset MFA*. The user enrols a new authenticator.",
                &["mfa", "2fa"],
                "en",
            ),
            SopArticle::fixture(
                "export-csv",
                "Export a dashboard to CSV",
                "1. Open the dashboard.\n2. Click **Export** and choose `CSV`.\nLarge exports are emailed.",
                &["exports", "csv"],
                "en",
            ),
            SopArticle::fixture(
                "password-reset",
                "Password reset link expired",
                "Reset links expire after 30 minutes. Send a new one from the login page.",
                &["password", "login"],
                "en",
            ),
            SopArticle::fixture(
                "rate-limit",
                "API returns 429 Too Many Requests",
                "The API allows 600 requests per minute per token. Back off and retry with the `Retry-After` header.",
                &["api", "rate limit"],
                "en",
            ),
            SopArticle::fixture(
                "zh-export",
                "导出报表失败怎么办",
                "1. 打开报表页面。\n2. 点击 **导出**，选择 CSV 格式。\n大文件导出会通过邮件发送。",
                &["导出", "报表"],
                "zh-CN",
            ),
            SopArticle::fixture(
                "zh-sso",
                "SSO 单点登录失败",
                "1. 确认账号已在身份提供方中启用。\n2. 清除浏览器缓存后重新登录。",
                &["SSO", "登录"],
                "zh-CN",
            ),
            SopArticle::fixture(
                "dashboard-slow",
                "Dashboard loads slowly",
                "Check the time range. Mentions password only in passing.",
                &["performance"],
                "en",
            ),
        ])
    }

    /// The slug of the best answer to `query`, or `""` when none.
    fn first(index: &SopIndex, query: &str) -> String {
        let hits = index.search(query, 1);
        hits.first().map(|h| h.slug.clone()).unwrap_or_default()
    }

    fn slugs(hits: &[SopHit]) -> Vec<&str> {
        hits.iter().map(|h| h.slug.as_str()).collect()
    }

    #[test]
    fn last_word_matches_by_prefix() {
        let index = library();
        assert_eq!(slugs(&index.search("passw", 3))[0], "password-reset");
        assert_eq!(slugs(&index.search("expo", 3))[0], "export-csv");
    }

    #[test]
    fn a_finished_word_does_not_match_by_prefix() {
        let index = library();
        // "expo " with a space is a finished word, and no article says "expo".
        assert!(index.search("expo ", 3).is_empty());
        assert!(!index.search("expo", 3).is_empty());
    }

    #[test]
    fn an_unfinished_word_completes_to_inflected_forms() {
        // "exporti" is on its way to "exporting": the stem "export" is reached
        // through the surface forms, not through the stem table.
        let index =
            SopIndex::build(&[SopArticle::fixture("a", "Exporting reports", "", &[], "en")]);
        assert_eq!(slugs(&index.search("exporti", 1)), ["a"]);
    }

    #[test]
    fn one_typo_in_a_long_word_still_finds_the_article() {
        let index = library();
        assert_eq!(first(&index, "pasword expired"), "password-reset");
        assert_eq!(slugs(&index.search("dashbaord csv", 1)), ["export-csv"]);
    }

    #[test]
    fn two_typos_in_a_very_long_word_still_find_the_article() {
        let index = SopIndex::build(&[
            SopArticle::fixture("perm", "Missing permissions", "", &[], "en"),
            SopArticle::fixture("other", "Something else", "", &[], "en"),
        ]);
        assert_eq!(slugs(&index.search("pemrisions ", 1)), ["perm"]);
    }

    #[test]
    fn short_words_get_no_typo_allowance() {
        let index = library();
        // "csb" is one edit from "csv", but three letters are too few to guess.
        assert!(index.search("csb ", 3).is_empty());
    }

    #[test]
    fn chinese_query_finds_chinese_article() {
        let index = library();
        assert_eq!(slugs(&index.search("导出报表", 1)), ["zh-export"]);
        assert_eq!(slugs(&index.search("单点登录", 1)), ["zh-sso"]);
        assert_eq!(slugs(&index.search("登录失败了", 1)), ["zh-sso"]);
    }

    #[test]
    fn a_single_chinese_character_still_finds_articles() {
        let index = library();
        assert!(slugs(&index.search("缓", 5)).contains(&"zh-sso"));
    }

    #[test]
    fn title_match_outranks_body_match() {
        let index = library();
        let hits = index.search("password ", 5);
        assert_eq!(slugs(&hits)[0], "password-reset");
        assert!(slugs(&hits).contains(&"dashboard-slow"));
    }

    #[test]
    fn article_matching_every_word_outranks_one_repeating_a_word() {
        let index = SopIndex::build(&[
            SopArticle::fixture("both", "Export fails", "The export times out.", &[], "en"),
            SopArticle::fixture(
                "one",
                "Export export export",
                "export export export export",
                &[],
                "en",
            ),
        ]);
        assert_eq!(slugs(&index.search("export times", 2))[0], "both");
    }

    #[test]
    fn equal_scores_order_by_slug() {
        let index = SopIndex::build(&[
            SopArticle::fixture("c", "Token expired", "", &[], "en"),
            SopArticle::fixture("a", "Token expired", "", &[], "en"),
            SopArticle::fixture("b", "Token expired", "", &[], "en"),
        ]);
        assert_eq!(slugs(&index.search("token", 3)), ["a", "b", "c"]);
        assert_eq!(slugs(&index.search("token", 2)), ["a", "b"]);
    }

    #[test]
    fn stop_words_alone_find_nothing() {
        let index = library();
        assert!(index.search("how do i ", 5).is_empty());
        assert!(index.search("", 5).is_empty());
        assert!(index.search("   ", 5).is_empty());
        assert!(index.search("reset", 0).is_empty());
    }

    #[test]
    fn inflected_query_words_meet_their_stem() {
        assert_eq!(first(&library(), "exporting dashboards "), "export-csv");
    }

    #[test]
    fn numbers_are_searchable() {
        let index = library();
        assert_eq!(slugs(&index.search("429", 1)), ["rate-limit"]);
    }

    #[test]
    fn a_long_description_is_cut_to_its_telling_words() {
        let common: String = (0..60).map(|i| format!("word{i} ")).collect();
        let index = SopIndex::build(&[
            SopArticle::fixture("rate-limit", "API returns 429", "", &[], "en"),
            SopArticle::fixture("big", "Big", &common, &[], "en"),
            SopArticle::fixture("big2", "Big too", &common, &[], "en"),
        ]);
        let text = format!("{common} and then the api said 429 ");
        let plan = index.plan(&text);
        assert_eq!(plan.words.len(), MAX_QUERY_WORDS);
        // The rare words survive the cut, so their article is still found.
        assert!(slugs(&index.search(&text, 3)).contains(&"rate-limit"));
    }

    #[test]
    fn a_long_paste_is_read_from_its_start_and_its_unfinished_last_word() {
        let index = library();
        let paste = "stacktrace frame0x7f3a unknown ".repeat(300);
        let plan = index.plan(&format!("export csv {paste}"));
        assert!(plan.words.len() <= MAX_QUERY_WORDS);
        assert_eq!(
            slugs(&index.search(&format!("export csv {paste}"), 1)),
            ["export-csv"]
        );
        assert_eq!(
            slugs(&index.search(&format!("{paste}passw"), 1)),
            ["password-reset"]
        );
    }
}
