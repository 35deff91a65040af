//! Steps on what the browser shows, the same on the page, in the widget's
//! shadow root or inside an element: find a part, click it, type into it,
//! read its text, or wait for it to be there.

use std::future::Future;
use std::time::Duration;

use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};

use crate::eventually;

/// What parts are looked for in: the page, a shadow root, or an element.
pub trait Parts {
    /// The part `locator` names, if it is there now.
    fn part(&self, locator: Locator<'_>) -> impl Future<Output = Result<Element, CmdError>>;
}

impl Parts for Client {
    async fn part(&self, locator: Locator<'_>) -> Result<Element, CmdError> {
        self.find(locator).await
    }
}

impl Parts for ShadowRoot {
    async fn part(&self, locator: Locator<'_>) -> Result<Element, CmdError> {
        self.find(locator).await
    }
}

impl Parts for Element {
    async fn part(&self, locator: Locator<'_>) -> Result<Element, CmdError> {
        self.find(locator).await
    }
}

/// The part `locator` names, which must be there now.
pub async fn part_of(within: &impl Parts, locator: Locator<'_>) -> Element {
    within
        .part(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} is not there: {e}"))
}

/// Clicks the part `locator` names, which must be there now.
pub async fn click(within: &impl Parts, locator: Locator<'_>) {
    part_of(within, locator)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("a click on {locator:?}: {e}"));
}

/// Types `text` into the part `locator` names, which must be there now.
pub async fn type_into(within: &impl Parts, locator: Locator<'_>, text: &str) {
    part_of(within, locator)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {locator:?}: {e}"));
}

/// The text of the part `locator` names, which must be there now.
pub async fn text_of(within: &impl Parts, locator: Locator<'_>) -> String {
    part_of(within, locator)
        .await
        .text()
        .await
        .unwrap_or_else(|e| panic!("the text of {locator:?}: {e}"))
}

/// The text of the part `locator` names, if it is there now (for polling).
pub async fn text_now(within: &impl Parts, locator: Locator<'_>) -> Option<String> {
    within.part(locator).await.ok()?.text().await.ok()
}

/// The part `locator` names once it is there (shown or not), waiting at most
/// `limit`; `what` names it if it never comes.
pub async fn present(
    within: &impl Parts,
    what: &str,
    locator: Locator<'_>,
    limit: Duration,
) -> Element {
    eventually(what, limit, || async { within.part(locator).await.ok() }).await
}

/// What axe-core (npm, in `node_modules`) finds on the page as it is now
/// that it rates serious or critical: one line per rule broken, with where.
pub async fn serious_accessibility_violations(page: &Client) -> Vec<String> {
    let axe = std::fs::read_to_string(
        xtask::paths::root()
            .join("node_modules")
            .join("axe-core")
            .join("axe.min.js"),
    )
    .expect("axe-core (run `cargo xtask setup`)");
    page.execute(&axe, vec![]).await.expect("axe-core loads");
    let found = page
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
               done(r.violations
                 .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                 .map(function (v) {
                   return v.id + ': ' + v.help + ' — ' +
                     v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                 }));
             }, function (e) { done(['axe failed: ' + e]); });",
            vec![],
        )
        .await
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}
