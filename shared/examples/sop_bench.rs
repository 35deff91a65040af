//! SOP search benchmark: builds an index over 5,000 synthetic articles and
//! measures what the budgets in the README (Budgets) care about — index size on the wire
//! (raw and gzip), decode time on first open, and per-keystroke query latency.
//!
//! ```sh
//! cargo run --release -p helpline-shared --example sop_bench
//! ```
//!
//! The release profile optimises for size (`opt-level = "z"`), like the wasm
//! build, so these figures are conservative for native code.
//!
//! The corpus, the keystroke queries and the timing loop live in
//! `bench/sop_workload.rs`, shared with `cargo xtask bench-sop` (which adds the
//! same search in wasm in headless Chromium, side by side with MiniSearch).

use std::io::Write;
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::Compression;
use helpline_shared::sop::SopIndex;

#[path = "../../bench/sop_workload.rs"]
mod sop_workload;

use sop_workload::{
    keystrokes, percentile, seed_articles, synthetic_corpus, time_keystrokes, LIMIT,
};

fn main() {
    let corpus = synthetic_corpus(&seed_articles());
    let body_bytes: usize = corpus.iter().map(|a| a.body_markdown.len()).sum();
    println!(
        "corpus: {} articles, {:.1} MB of Markdown (avg {} bytes/body)",
        corpus.len(),
        body_bytes as f64 / 1e6,
        body_bytes / corpus.len()
    );

    let t = Instant::now();
    let index = SopIndex::build(&corpus);
    println!(
        "build:  {:.0} ms, {} terms",
        t.elapsed().as_secs_f64() * 1e3,
        index.term_count()
    );

    let bytes = index.to_bytes();
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(&bytes).expect("gzip in memory");
    let gz = gz.finish().expect("gzip in memory");
    println!(
        "size:   {:.2} MB raw, {:.2} MB gzip (level 6)",
        bytes.len() as f64 / 1e6,
        gz.len() as f64 / 1e6
    );

    let t = Instant::now();
    let rounds = 5;
    for _ in 0..rounds {
        std::hint::black_box(SopIndex::from_bytes(&bytes).expect("own bytes decode"));
    }
    println!(
        "decode: {:.1} ms (from_bytes, first open in the widget)",
        t.elapsed().as_secs_f64() * 1e3 / rounds as f64
    );
    let index = SopIndex::from_bytes(&bytes).expect("own bytes decode");

    let typed = keystrokes(&corpus);
    let times = time_keystrokes(&index, &typed);
    let single: Vec<f64> = times.single.iter().map(|t| t.0).collect();
    for (name, micros) in [("single pass", &single), ("best of 3", &times.best)] {
        println!(
            "search: {} keystrokes, limit {LIMIT}, {name}: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
            micros.len(),
            percentile(micros, 0.5),
            percentile(micros, 0.99),
            micros[micros.len() - 1]
        );
    }
    println!("slowest keystrokes (single pass):");
    for (us, q) in times.single.iter().rev().take(5) {
        println!("  {us:>6.0} µs  {q:?}");
    }
}
