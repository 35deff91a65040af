//! Nothing a user typed is lost: the draft survives a reload; a send that
//! cannot reach support waits in the outbox ("waiting to send") and goes when
//! the browser is back online; an answer lost on the way back is retried with
//! the same idempotency key — exactly one case either way.

use std::time::Duration;

use fantoccini::elements::ShadowRoot;
use fantoccini::Locator;
use serde_json::Value;

use helpline_tests::widget::{
    describe, describe_and_send, help_open_on_demo, open_demo, open_help, shown, shown_ref,
};
use helpline_tests::{eventually, Browser, Stack};

const WAIT: Duration = Duration::from_secs(20);

async fn js(browser: &Browser, script: &str) -> Value {
    browser.client.execute(script, vec![]).await.unwrap()
}

async fn value(shadow: &ShadowRoot, css: &str) -> String {
    let el = shadow.find(Locator::Css(css)).await.unwrap();
    el.prop("value").await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn a_reload_keeps_the_draft() {
    let (stack, browser, shadow, _) = help_open_on_demo().await;
    describe(&shadow, "Budget pacing chart is blank").await;
    let impact = shadow
        .find(Locator::Css(".hl-field:nth-child(2) select"))
        .await
        .unwrap();
    impact.select_by_value("team").await.unwrap();

    browser.client.refresh().await.unwrap();
    let (shadow, _) = open_demo(&browser, &stack).await;
    assert_eq!(
        value(&shadow, "textarea#hl-description").await,
        "Budget pacing chart is blank"
    );
    assert_eq!(
        value(&shadow, ".hl-field:nth-child(2) select").await,
        "team"
    );
    browser.close().await;
}

/// How many sends wait in each outbox kept in the page's localStorage.
async fn outbox_pending(browser: &Browser) -> Vec<u64> {
    let counts = js(
        browser,
        "return Object.keys(localStorage).filter(k => k.startsWith('helpline:outbox:'))
            .map(k => JSON.parse(localStorage.getItem(k)).pending.length);",
    )
    .await;
    serde_json::from_value(counts).expect("a count per outbox")
}

/// Makes the page's `fetch` of `POST /v1/cases` fail: `offline` never reaches
/// the Worker; `lost` reaches it and loses the answer on the way back.
async fn break_case_sends(browser: &Browser, how: &str) {
    js(
        browser,
        &format!(
            "if (!window.__realFetch) window.__realFetch = window.fetch;
             window.__mode = '{how}';
             window.fetch = function (input, init) {{
               const url = String(input && input.url || input);
               const post = ((init && init.method) || (input && input.method) || 'GET') === 'POST';
               if (post && url.endsWith('/v1/cases') && window.__mode === 'offline')
                 return Promise.reject(new TypeError('Failed to fetch'));
               const sent = window.__realFetch.apply(this, arguments);
               if (post && url.endsWith('/v1/cases') && window.__mode === 'lost')
                 return sent.then(function () {{ throw new TypeError('network changed'); }});
               return sent;
             }};"
        ),
    )
    .await;
}

/// The demo page in a browser with its case sends broken `how` (see
/// [`break_case_sends`]), and `description` sent: the widget shows it
/// waiting to send.
async fn sent_while_broken(how: &str, description: &str) -> (Stack, Browser, ShadowRoot) {
    let (stack, browser, shadow, _) = help_open_on_demo().await;
    break_case_sends(&browser, how).await;
    describe_and_send(&shadow, description).await;
    shown(&shadow, ".hl-waiting").await;
    (stack, browser, shadow)
}

#[tokio::test]
async fn an_offline_send_waits_and_goes_once_when_back_online() {
    let (stack, browser, shadow) =
        sent_while_broken("offline", "Cannot save the new audience").await;
    // The text left the box only because it is safe in the outbox.
    assert_eq!(value(&shadow, "textarea#hl-description").await, "");
    assert_eq!(outbox_pending(&browser).await, [1]);
    // Retries while offline reach nothing.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(stack.queue("").await.cases.is_empty());

    js(
        &browser,
        "window.__mode = 'online'; window.dispatchEvent(new Event('online'));",
    )
    .await;
    let shown_ref = shown_ref(&shadow).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let cases = stack.queue("").await.cases;
    assert_eq!(cases.len(), 1, "exactly one case");
    assert_eq!(cases[0].reference, shown_ref);
    let waiting = shadow.find(Locator::Css(".hl-waiting")).await.unwrap();
    assert!(!waiting.is_displayed().await.unwrap());
    browser.close().await;
}

#[tokio::test]
async fn a_lost_answer_is_retried_after_a_reload_without_a_twin() {
    let (stack, browser, _) = sent_while_broken("lost", "Invoices page shows last month").await;
    // The case exists; the page never heard so.
    eventually("the case in the queue", WAIT, || async {
        (stack.queue("").await.cases.len() == 1).then_some(())
    })
    .await;

    // A reload, and nobody opens Help: the outbox is still there, and the
    // loader starts the widget to retry it, with the same key.
    browser.client.refresh().await.unwrap();
    eventually("the outbox to empty", Duration::from_secs(30), || async {
        let left: u64 = outbox_pending(&browser).await.iter().sum();
        (left == 0).then_some(())
    })
    .await;
    // Opening Help now shows the case the outbox delivered.
    let shadow = open_help(&browser).await.0;
    let shown_ref = shown_ref(&shadow).await;
    let cases = stack.queue("").await.cases;
    assert_eq!(cases.len(), 1, "the retry found the same case");
    assert_eq!(cases[0].reference, shown_ref);
    browser.close().await;
}
