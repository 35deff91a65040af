//! The SOP search in wasm, for the benchmark page `cargo xtask bench-sop` opens in
//! headless Chromium (`bench/sop-wasm/www/`). The same `helpline_shared::sop` code
//! as the widget, built with the same release profile, wasm-bindgen and wasm-opt
//! steps; only the calls are the benchmark's own.
//!
//! Times are taken inside wasm with `performance.now()`, so a query's figure is
//! the search itself (planning, scoring, snippets for the hits), as the widget's
//! own wasm calls it, without the cost of carrying the query string in from JS.

use std::cell::RefCell;

use helpline_shared::sop::{SopArticle, SopIndex};
use wasm_bindgen::prelude::*;
use web_sys::Performance;

thread_local! {
    /// The index the queries run against: the last one loaded or built.
    static INDEX: RefCell<Option<SopIndex>> = const { RefCell::new(None) };
}

fn performance() -> Result<Performance, JsError> {
    web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| JsError::new("no window.performance"))
}

/// Decodes an index from `bytes` (what `GET /v1/sop/index` serves) and keeps it
/// for [`run_queries`]. Returns the decode time in milliseconds (the copy of the
/// bytes into wasm memory happens before, in the generated glue).
#[wasm_bindgen]
pub fn load_index(bytes: &[u8]) -> Result<f64, JsError> {
    let perf = performance()?;
    let started = perf.now();
    let index = SopIndex::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
    let ms = perf.now() - started;
    INDEX.with(|slot| *slot.borrow_mut() = Some(index));
    Ok(ms)
}

/// Builds an index from `corpus_json` (a JSON array of `SopArticle`) and keeps it
/// for [`run_queries`]. Returns the build time in milliseconds, JSON parsing excluded.
#[wasm_bindgen]
pub fn build_index(corpus_json: &str) -> Result<f64, JsError> {
    let articles: Vec<SopArticle> = serde_json::from_str(corpus_json)?;
    let perf = performance()?;
    let started = perf.now();
    let index = SopIndex::build(&articles);
    let ms = perf.now() - started;
    INDEX.with(|slot| *slot.borrow_mut() = Some(index));
    Ok(ms)
}

/// Runs every query of `queries_json` (a JSON array of strings) against the kept
/// index, asking for `limit` hits. Each query is timed `rounds` times in a row;
/// each timing covers `batch` consecutive searches and is divided by `batch` (1
/// when the page's timer is fine enough; more when Chromium coarsens it).
///
/// Returns `{"times": [[ms, …rounds], …], "hits": [n, …]}`, one entry per query.
#[wasm_bindgen]
pub fn run_queries(
    queries_json: &str,
    limit: usize,
    rounds: usize,
    batch: usize,
) -> Result<String, JsError> {
    let queries: Vec<String> = serde_json::from_str(queries_json)?;
    let perf = performance()?;
    let batch = batch.max(1);
    INDEX.with(|slot| {
        let slot = slot.borrow();
        let index = slot
            .as_ref()
            .ok_or_else(|| JsError::new("no index: call load_index or build_index first"))?;
        let mut times = Vec::with_capacity(queries.len());
        let mut hits = Vec::with_capacity(queries.len());
        for query in &queries {
            let mut found = 0;
            let per_round: Vec<f64> = (0..rounds)
                .map(|_| {
                    let started = perf.now();
                    for _ in 0..batch {
                        found = std::hint::black_box(index.search(query, limit)).len();
                    }
                    (perf.now() - started) / batch as f64
                })
                .collect();
            times.push(per_round);
            hits.push(found);
        }
        Ok(serde_json::json!({ "times": times, "hits": hits }).to_string())
    })
}
