//! What browser tests do with the widget again and again: describe a problem,
//! send it, and read the case ref the widget shows.

use std::time::Duration;

use fantoccini::elements::ShadowRoot;
use fantoccini::Locator;

use crate::eventually;

/// Types `description` into the widget's text box, sends it, and returns the
/// case ref once the widget shows it.
pub async fn send_case(shadow: &ShadowRoot, description: &str) -> String {
    shadow
        .find(Locator::Css("textarea#hl-description"))
        .await
        .expect("the text box")
        .send_keys(description)
        .await
        .expect("typing");
    shadow
        .find(Locator::Css("button[type=submit]"))
        .await
        .expect("the send button")
        .click()
        .await
        .expect("a click");
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
