//! What browser tests do with the widget again and again: find it on the page,
//! open Help, wait for a part to show, describe a problem, send it, and read
//! the case ref the widget shows.

use std::time::Duration;

use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::Locator;

use serde_json::{json, Value};

use crate::{eventually, Browser, Stack};

/// How long a test waits for the widget to show something: "My cases" polls
/// every 10 s while the panel is open.
pub const WIDGET_WAIT: Duration = Duration::from_secs(30);

/// The widget's shadow root on the page the browser shows.
pub async fn widget_root(browser: &Browser) -> ShadowRoot {
    let host = match browser
        .client
        .wait()
        .for_element(Locator::Css("#helpline-widget"))
        .await
    {
        Ok(host) => host,
        Err(err) => {
            // Say what the page got instead: did the loader run at all?
            let page = browser
                .client
                .execute(
                    "return { url: location.href, loader: typeof window.Helpline, \
                     scripts: [].map.call(document.scripts, function (s) { return s.src; }) };",
                    vec![],
                )
                .await;
            panic!("the widget's host element: {err}; the page: {page:?}")
        }
    };
    host.shadow_root().await.expect("its shadow root")
}

/// `css` in the widget, once it is displayed.
pub async fn shown(shadow: &ShadowRoot, css: &str) -> Element {
    eventually(css, WIDGET_WAIT, || async {
        let el = shadow.find(Locator::Css(css)).await.ok()?;
        el.is_displayed().await.ok()?.then_some(el)
    })
    .await
}

/// Opens Help on the page the browser shows: clicks the launcher and waits
/// for the widget to load. Returns its shadow root and its text box.
pub async fn open_help(browser: &Browser) -> (ShadowRoot, Element) {
    let shadow = widget_root(browser).await;
    shown(&shadow, ".hl-launcher")
        .await
        .click()
        .await
        .expect("a click");
    let text = shown(&shadow, "textarea#hl-description").await;
    (shadow, text)
}

/// Opens the demo host page and Help on it (a stack from [`Stack::demo`]).
/// Returns the widget's shadow root and its text box.
pub async fn open_demo(browser: &Browser, stack: &Stack) -> (ShadowRoot, Element) {
    browser
        .client
        .goto(&stack.url("/demo/"))
        .await
        .expect("the demo page");
    open_help(browser).await
}

/// What most widget tests start from: a demo stack, a browser, and Help open
/// on the demo page (its shadow root and its text box).
pub async fn help_open_on_demo() -> (Stack, Browser, ShadowRoot, Element) {
    let stack = Stack::demo();
    let browser = Browser::start().await;
    let (shadow, text) = open_demo(&browser, &stack).await;
    (stack, browser, shadow, text)
}

/// A published SOP article titled `title` on a CSV export that stops, which
/// the widget suggests for "csv export" (as [`Stack::publish_article`] takes it).
pub fn csv_export_article(title: &str) -> Value {
    json!({
        "slug": "csv-export-timeout", "title": title,
        "body_markdown": "1. Narrow the **date range**\n2. Retry the export", "category": "exports", "published": true
    })
}

impl Stack {
    /// Publishes [`csv_export_article`] titled "CSV export times out": the
    /// answer most browser tests have the widget or the console suggest.
    pub async fn publish_csv_export_article(&self) {
        self.publish_article(csv_export_article("CSV export times out"))
            .await;
    }
}

/// Types `description` into the widget's text box.
pub async fn describe(shadow: &ShadowRoot, description: &str) {
    shadow
        .find(Locator::Css("textarea#hl-description"))
        .await
        .expect("the text box")
        .send_keys(description)
        .await
        .expect("typing");
}

/// Types `description` into the widget's text box and presses Send.
pub async fn describe_and_send(shadow: &ShadowRoot, description: &str) {
    describe(shadow, description).await;
    shadow
        .find(Locator::Css(".hl-send"))
        .await
        .expect("the send button")
        .click()
        .await
        .expect("a click");
}

/// Sends `description` as a case and returns its ref once the widget shows it.
pub async fn send_case(shadow: &ShadowRoot, description: &str) -> String {
    describe_and_send(shadow, description).await;
    shown_ref(shadow).await
}

/// The case ref the widget shows, once it shows one.
pub async fn shown_ref(shadow: &ShadowRoot) -> String {
    eventually("the case ref", Duration::from_secs(20), || async {
        let el = shadow.find(Locator::Css(".hl-ref")).await.ok()?;
        el.text().await.ok().filter(|t| t.starts_with("HL-"))
    })
    .await
}
