//! The widget embedded the way a real platform embeds it: a host page on its
//! own origin, with a strict Content-Security-Policy and hostile global CSS,
//! loading the loader from the Worker's origin. Context captured before the
//! user opened Help arrives with the case (errors, failed requests without
//! their query strings, host attributes) minus what the user removed; the host
//! hears `caseCreated`; Chinese strings when the host asks; keyboard only.

use std::collections::BTreeMap;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::ShadowRoot;
use fantoccini::Locator;
use serde_json::{json, Value};

use helpline_tests::host_page::{HostFile, HostPage};
use helpline_tests::page::{click, text_of};
use helpline_tests::widget::{send_case, shown, widget_root};
use helpline_tests::{eventually, Browser, Stack, StackOptions};

const WAIT: Duration = Duration::from_secs(20);

/// Rules a careless or hostile platform stylesheet might have.
const HOSTILE_CSS: &str = "
* { font-size: 4px !important; color: transparent !important; visibility: hidden; }
div, button, section, form, textarea, p { display: none !important; }
#helpline-widget { opacity: 0 !important; transform: scale(0) !important; position: absolute !important; }
";

struct Embedded {
    stack: Stack,
    /// Serves the host page for as long as the test runs.
    page: HostPage,
    browser: Browser,
}

/// A host page on its own origin embedding the widget from the Worker.
async fn embed(locale: &str) -> Embedded {
    let mut page = HostPage::bind().await;
    let mut options = StackOptions::default();
    options
        .vars
        .push(("ALLOWED_ORIGINS".into(), page.origin.clone()));
    let stack = Stack::start_with(options);
    let worker = stack.url("");
    let init = json!({
        "endpoint": worker,
        "platform": "ads-console",
        "platformVersion": "7.3.1",
        "user": { "id": "u-7", "name": "Li Wei" },
        "userHash": helpline_shared::identity::sign(&stack.identity_secret, "u-7"),
        "attributes": { "plan": "pro" },
        "locale": locale,
        "theme": { "brand": "#b42318", "position": "left" },
    });
    let host_js = format!(
        "window.__events = []; window.__csp = [];
        document.addEventListener('securitypolicyviolation',
            function (e) {{ window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); }}, true);
        // Before Help is opened: an error, and a request that fails (with a secret in its query).
        setTimeout(function () {{ throw new Error('Campaign 1234 failed to load'); }}, 0);
        fetch('/api/spend?token=s3cret').catch(function () {{}});
        Helpline.init({init});
        Helpline.setContext({{ campaign: 'winter-sale' }});
        Helpline.on('caseCreated', function (c) {{ window.__events.push(c); }});"
    );
    let csp = format!(
        "default-src 'none'; script-src 'self' {worker} 'wasm-unsafe-eval'; \
         style-src 'self' {worker}; connect-src 'self' {worker}; img-src 'self' {worker} data:"
    );
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Acme</title>
        <link rel=\"stylesheet\" href=\"/hostile.css\">
        <script src=\"{worker}/helpline-loader.js\"></script>
        <script src=\"/host.js\" defer></script></head>
        <body><h1>Acme platform</h1><button id=\"before\">Before</button></body></html>"
    );
    let file = |content_type, body: String, csp: Option<String>| HostFile {
        content_type,
        body,
        headers: csp
            .map(|c| vec![("Content-Security-Policy", c)])
            .unwrap_or_default(),
    };
    page.serve(BTreeMap::from([
        ("/", file("text/html; charset=utf-8", html, Some(csp))),
        ("/host.js", file("text/javascript", host_js, None)),
        ("/hostile.css", file("text/css", HOSTILE_CSS.into(), None)),
    ]));
    let browser = Browser::start().await;
    browser.client.goto(&page.url("/")).await.unwrap();
    Embedded {
        stack,
        page,
        browser,
    }
}

async fn shadow(e: &Embedded) -> ShadowRoot {
    widget_root(&e.browser).await
}

/// Runs `script` in the page and returns what it returns.
async fn js(e: &Embedded, script: &str) -> Value {
    e.browser.client.execute(script, vec![]).await.unwrap()
}

/// Presses `key` (a WebDriver key code) on whatever has focus.
async fn press(e: &Embedded, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    e.browser.client.perform_actions(keys).await.unwrap();
}

/// The class of the focused element inside the widget, if focus is there.
async fn focused(e: &Embedded) -> String {
    js(
        e,
        "const host = document.getElementById('helpline-widget');
         const a = document.activeElement === host ? host.shadowRoot.activeElement : null;
         return a ? (a.id || a.className) : '';",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';
const ESCAPE: char = '\u{E00C}';

#[tokio::test]
async fn under_a_strict_csp_and_hostile_css_the_widget_works_and_sends_the_context() {
    let e = embed("en").await;
    let shadow = shadow(&e).await;
    let launcher = shadow.find(Locator::Css(".hl-launcher")).await.unwrap();
    assert!(
        launcher.is_displayed().await.unwrap(),
        "host CSS cannot hide it"
    );
    launcher.click().await.unwrap();
    let textarea = shown(&shadow, "textarea#hl-description").await;
    assert!(textarea.is_displayed().await.unwrap());
    let font = js(
        &e,
        "const t = document.getElementById('helpline-widget').shadowRoot.querySelector('textarea');
         return getComputedStyle(t).fontSize;",
    )
    .await;
    assert_eq!(font, "14px", "host CSS cannot reach inside");
    // The host element's reset must not leave the widget's own text in the
    // browser's default serif: every text sets or inherits the widget's font.
    let serif = js(
        &e,
        "return [...document.getElementById('helpline-widget').shadowRoot.querySelectorAll('.hl-panel *')]
            .filter(n => n.getClientRects().length && !getComputedStyle(n).fontFamily.startsWith('system-ui'))
            .map(n => n.tagName + '.' + n.className);",
    )
    .await;
    assert_eq!(serif, json!([]), "parts not in the widget's font");

    // What will be sent lists the captured context; the user drops the error.
    let items = js(
        &e,
        "return [...document.getElementById('helpline-widget').shadowRoot
            .querySelectorAll('.hl-context-item')].map(li => li.textContent);",
    )
    .await;
    let items: Vec<String> = serde_json::from_value(items).unwrap();
    let all = items.join("\n");
    assert!(all.contains("Campaign 1234 failed to load"), "{all}");
    assert!(
        all.contains("/api/spend → 404") && !all.contains("s3cret"),
        "{all}"
    );
    assert!(
        all.contains("winter-sale") && all.contains("7.3.1"),
        "{all}"
    );
    click(&shadow, Locator::Css(".hl-context summary")).await;
    let remove_error = ".hl-remove[aria-label='Remove Error on the page']";
    click(&shadow, Locator::Css(remove_error)).await;

    let shown_ref = send_case(&shadow, "Spend numbers are missing on the Campaigns page").await;
    let due = text_of(&shadow, Locator::Css(".hl-due")).await;
    assert!(!due.is_empty(), "the first reply time");

    let events = js(&e, "return window.__events;").await;
    assert_eq!(events[0]["ref"], shown_ref, "the host heard caseCreated");
    assert_eq!(
        js(&e, "return window.__csp;").await,
        json!([]),
        "no CSP violation"
    );

    let queue = e.stack.queue("").await;
    let case = e.stack.case_for_team(queue.cases[0].id).await;
    assert_eq!(case.reference, shown_ref);
    let context = &case.context;
    assert!(context.recent_errors.is_empty(), "the user removed it");
    assert_eq!(context.failed_requests[0].status, 404);
    assert_eq!(
        context.failed_requests[0].url,
        e.page.url("/api/spend"),
        "no query string"
    );
    assert_eq!(context.platform_version.as_deref(), Some("7.3.1"));
    assert_eq!(context.attributes["campaign"], "winter-sale");
    assert_eq!(context.attributes["plan"], "pro");
    assert_eq!(context.url.as_deref(), Some(e.page.url("/").as_str()));
    e.browser.close().await;
}

#[tokio::test]
async fn chinese_strings_and_a_keyboard_only_path() {
    let e = embed("zh-CN").await;
    let shadow = shadow(&e).await;
    let launcher = shadow.find(Locator::Css(".hl-launcher")).await.unwrap();
    assert_eq!(launcher.text().await.unwrap(), "帮助");

    // Tab from the page to the launcher, Enter opens, focus lands in the text box.
    js(&e, "document.getElementById('before').focus();").await;
    let mut tabs = 0;
    while focused(&e).await != "hl-launcher" {
        press(&e, TAB).await;
        tabs += 1;
        assert!(tabs < 10, "the launcher is reachable by Tab");
    }
    press(&e, ENTER).await;
    eventually("focus in the text box", WAIT, || async {
        (focused(&e).await == "hl-description").then_some(())
    })
    .await;
    let label = shadow
        .find(Locator::Css("label[for=hl-description]"))
        .await
        .unwrap();
    assert_eq!(label.text().await.unwrap(), "描述您遇到的问题");
    e.browser
        .client
        .perform_actions(
            KeyActions::new("typing".into())
                .then(KeyAction::Down { value: 'x' })
                .then(KeyAction::Up { value: 'x' }),
        )
        .await
        .unwrap();

    // Tab cycles inside the open dialog; it never escapes to the page.
    let mut seen = Vec::new();
    for _ in 0..30 {
        press(&e, TAB).await;
        let at = focused(&e).await;
        assert!(!at.is_empty(), "focus left the dialog after {seen:?}");
        seen.push(at);
    }
    assert!(seen.iter().any(|c| c.contains("hl-close")), "{seen:?}");
    assert!(seen.iter().any(|c| c.contains("hl-send")), "{seen:?}");

    // Esc closes and gives focus back to where it was.
    press(&e, ESCAPE).await;
    let panel = shadow.find(Locator::Css(".hl-panel")).await.unwrap();
    assert!(!panel.is_displayed().await.unwrap());
    assert_eq!(focused(&e).await, "hl-launcher");
    e.browser.close().await;
}
