//! The specialist console in headless Chromium against the real Worker: sign
//! in with a token, claim the next case, reply, resolve — and a hostile case
//! shows as text, never as markup.

use std::time::Duration;

use fantoccini::Locator;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;

use helpline_tests::{eventually, Browser, Stack};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_specialist_claims_replies_and_resolves_from_the_console() {
    let stack = Stack::start();
    let hostile = "<img src=x onerror=\"document.title='owned'\"> Export fails";
    let created = stack.create_case("u-77", hostile).await;

    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&stack.url("/console/")).await.unwrap();
    page.find(Locator::Id("token"))
        .await
        .unwrap()
        .send_keys(&stack.tokens.specialist)
        .await
        .unwrap();
    page.find(Locator::Css("#signin button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the queue", WAIT, || async {
        page.find(Locator::Css("#queue tbody tr")).await.ok()
    })
    .await;

    page.find(Locator::Id("claim"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = eventually("the claimed case", WAIT, || async {
        let t = page
            .find(Locator::Id("case-title"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        t.starts_with(&created.reference).then_some(t)
    })
    .await;
    assert!(
        title.contains("<img src=x"),
        "the title is shown as text: {title}"
    );
    let description = page
        .find(Locator::Id("case-description"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(description, hostile);
    assert!(
        page.find_all(Locator::Css("img")).await.unwrap().is_empty(),
        "no markup from the case"
    );
    assert_ne!(page.title().await.unwrap(), "owned");

    page.find(Locator::Id("message"))
        .await
        .unwrap()
        .send_keys("Could you try a shorter date range?")
        .await
        .unwrap();
    page.find(Locator::Css("[data-action=reply]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the reply in the timeline", WAIT, || async {
        page.find(Locator::Css("#case-events .event-replied"))
            .await
            .ok()
    })
    .await;
    page.find(Locator::Css("#next-status option[value=resolved]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.find(Locator::Css("[data-action=status]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the case resolved", WAIT, || async {
        let meta = page
            .find(Locator::Id("case-meta"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        meta.contains("resolved").then_some(())
    })
    .await;

    let case = stack.case_for_team(created.id).await;
    assert_eq!(case.status, CaseStatus::Resolved);
    let reply = case
        .events
        .iter()
        .find(|e| e.kind == CaseEventKind::Replied)
        .expect("a reply");
    assert_eq!(
        reply.body.as_deref(),
        Some("Could you try a shorter date range?")
    );
    assert_eq!(reply.actor.name.as_deref(), Some("Sam Specialist"));
    browser.client.clone().close().await.unwrap();
}
