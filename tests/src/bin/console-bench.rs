//! `cargo xtask bench-console`: the specialist console in headless Chromium
//! against local workerd with 1,000 open cases — how long the queue takes to
//! render once its data has arrived (at sign-in, and after a filter change),
//! and how soon a case created elsewhere shows in an open queue. Every time
//! is the page's own clock: the console's fetch of `/v1/queue` is watched
//! (when its answer's body had arrived), and so is the queue table (when it last
//! changed, once the rows expected are there).

use std::time::{Duration, Instant};

use fantoccini::Client;
use helpline_tests::api::case_body;
use helpline_tests::bench::median;
use helpline_tests::console::{open_console, queue_row, shows, sign_in};
use helpline_tests::{Browser, Stack};
use serde_json::json;

const OPEN_CASES: usize = 1_000;
const RUNS: usize = 5;

/// Watches the page: each `/v1/queue` answer's arrival, and after each
/// DOM change whether the queue shows what is awaited (`want`), noting when
/// it first does. Installed before the console asks for anything.
const WATCH: &str = "
const b = window.__bench = { answers: [], want: null, done: null, after: 0 };
const fetchOf = window.fetch.bind(window);
window.fetch = async function (...args) {
  const answer = await fetchOf(...args);
  const url = String(args[0] && args[0].url || args[0]);
  if (url.includes('/v1/queue?') && answer.status === 200) {
    // Arrived once its whole body has (the headers come first).
    await answer.clone().arrayBuffer();
    b.answers.push(performance.now());
  }
  return answer;
};
new MutationObserver(() => {
  if (b.want && b.answers.length > b.after && b.want()) { b.done = performance.now(); b.want = null; }
}).observe(document.body, { childList: true, subtree: true, characterData: true });";

/// Awaits `arguments[0]` rows in `#queue`, each holding the text
/// `arguments[1]`, from the next queue answer on.
const AWAIT: &str = "
const [rows, text] = arguments;
const b = window.__bench;
b.after = b.answers.length;
b.done = null;
b.want = () => {
  const shown = [...document.querySelectorAll('#queue tbody tr')];
  return shown.length === rows && shown.every(r => r.textContent.includes(text));
};";

/// Resolves with the milliseconds from the awaited answer's arrival to the
/// DOM change that showed what was awaited.
const RENDERED: &str = "
const done = arguments[arguments.length - 1];
(function poll() {
  const b = window.__bench;
  if (b.done !== null) done(b.done - b.answers[b.after]);
  else requestAnimationFrame(poll);
})();";

async fn awaiting(page: &Client, rows: usize, text: &str) {
    page.execute(AWAIT, vec![json!(rows), json!(text)])
        .await
        .unwrap();
}

async fn rendered(page: &Client) -> f64 {
    let ms = page.execute_async(RENDERED, vec![]).await.unwrap();
    ms.as_f64().unwrap_or(f64::NAN)
}

async fn watch(page: &Client) {
    page.execute(WATCH, vec![]).await.unwrap();
}

/// `runs` as the line prints them.
fn line(what: &str, runs: &[f64], budget: &str) {
    let each: Vec<String> = runs.iter().map(|r| format!("{r:.0}")).collect();
    println!(
        "  {what:<46} median {:>6.0} ms  max {:>6.0} ms  (budget {budget}; runs: {})",
        median(runs.to_vec()),
        runs.iter().copied().fold(f64::NAN, f64::max),
        each.join(", ")
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::start();
    let platforms = ["ads-console", "billing", "crm", "reports"];
    for n in 0..OPEN_CASES {
        let mut body = case_body(&format!("u-{n}"), &format!("Case {n}: the export stalls"));
        body["platform"] = json!(platforms[n % platforms.len()]);
        stack.create_case_from(&format!("u-{n}"), body).await;
    }
    println!("console with {OPEN_CASES} open cases (100 on a page):");

    let (mut first, mut filtered) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let browser = Browser::start().await;
        let page = &browser.client;
        open_console(page, &stack).await;
        watch(page).await;
        awaiting(page, 100, "").await;
        sign_in(page, &stack, &stack.tokens.specialist).await;
        first.push(rendered(page).await);
        let select = shows(page, "#filter-platform option[value=billing]").await;
        awaiting(page, 100, "billing").await;
        select.click().await.unwrap();
        filtered.push(rendered(page).await);
        browser.close().await;
    }
    line("queue rendered after its data arrived", &first, "100 ms");
    line(
        "re-rendered after a filter's data arrived",
        &filtered,
        "16 ms",
    );

    let browser = Browser::start().await;
    let page = &browser.client;
    sign_in(page, &stack, &stack.tokens.specialist).await;
    let mut seen = Vec::new();
    for n in 0..RUNS {
        // A P1, so it ranks on the first page.
        let mut body = case_body(&format!("u-new{n}"), "Outage: nothing loads for anyone");
        body["platform"] = json!("crm");
        let made = Instant::now();
        let case = stack.create_case_from(&format!("u-new{n}"), body).await;
        shows(page, &queue_row(case.id)).await;
        seen.push(made.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    line(
        "a case created elsewhere shown in the queue",
        &seen,
        "2,000 ms",
    );
    browser.close().await;
}
