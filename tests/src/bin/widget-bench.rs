//! `cargo xtask bench-widget`: the time from a click on the launcher to an
//! interactive panel (the text box shown and focusable) in headless Chromium
//! against local workerd — cold (nothing fetched yet) and after the page was
//! idle (the loader has fetched and compiled the widget by then). Sizes are
//! printed by the build this runs after.

use std::time::Duration;

use fantoccini::Locator;
use helpline_tests::bench::median;
use helpline_tests::{Browser, Stack};

const RUNS: usize = 5;

/// Clicks the launcher and resolves with the milliseconds until the text box
/// is on screen, measured by the page's own clock.
const CLICK_TO_INTERACTIVE: &str = "
const done = arguments[arguments.length - 1];
const shadow = document.getElementById('helpline-widget').shadowRoot;
const started = performance.now();
shadow.querySelector('.hl-launcher').click();
(function poll() {
  const box = shadow.querySelector('textarea#hl-description');
  if (box && box.getClientRects().length) done(performance.now() - started);
  else requestAnimationFrame(poll);
})();";

async fn once(stack: &Stack, idle_first: bool) -> f64 {
    // A fresh profile each time: nothing cached from an earlier run.
    let browser = Browser::start().await;
    browser.client.goto(&stack.url("/demo/")).await.unwrap();
    browser
        .client
        .wait()
        .for_element(Locator::Css("#helpline-widget"))
        .await
        .unwrap();
    if idle_first {
        tokio::time::sleep(Duration::from_secs(4)).await;
    }
    let ms = browser
        .client
        .execute_async(CLICK_TO_INTERACTIVE, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    browser.client.clone().close().await.unwrap();
    ms
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::demo();
    for (label, idle) in [
        ("cold (first open)", false),
        ("after the page was idle", true),
    ] {
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            runs.push(once(&stack, idle).await);
        }
        println!(
            "  click to interactive, {label:<24} median {:>6.0} ms  (runs: {})",
            median(runs.clone()),
            runs.iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
