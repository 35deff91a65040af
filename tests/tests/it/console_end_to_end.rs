//! The specialist console in headless Chromium against the real Worker: sign
//! in with a token, claim the next case, reply, resolve — and a hostile case
//! shows as text, never as markup.

use std::time::Duration;

use fantoccini::Locator;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;

use helpline_tests::page::{click, present, text_now, text_of, type_into};
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
    type_into(page, Locator::Id("token"), &stack.tokens.specialist).await;
    click(page, Locator::Css("#signin button")).await;
    present(page, "the queue", Locator::Css("#queue tbody tr"), WAIT).await;

    click(page, Locator::Id("claim")).await;
    let title = eventually("the claimed case", WAIT, || async {
        let t = text_now(page, Locator::Id("case-title")).await?;
        t.starts_with(&created.reference).then_some(t)
    })
    .await;
    assert!(
        title.contains("<img src=x"),
        "the title is shown as text: {title}"
    );
    let description = text_of(page, Locator::Id("case-description")).await;
    assert_eq!(description, hostile);
    assert!(
        page.find_all(Locator::Css("img")).await.unwrap().is_empty(),
        "no markup from the case"
    );
    assert_ne!(page.title().await.unwrap(), "owned");

    let reply = "Could you try a shorter date range?";
    type_into(page, Locator::Id("message"), reply).await;
    click(page, Locator::Css("[data-action=reply]")).await;
    let replied = Locator::Css("#case-events .event-replied");
    present(page, "the reply in the timeline", replied, WAIT).await;
    click(page, Locator::Css("#next-status option[value=resolved]")).await;
    click(page, Locator::Css("[data-action=status]")).await;
    eventually("the case resolved", WAIT, || async {
        let meta = text_now(page, Locator::Id("case-meta")).await?;
        meta.contains("resolved").then_some(())
    })
    .await;

    let case = stack.case_for_team(created.id).await;
    assert_eq!(case.status, CaseStatus::Resolved);
    let reply_event = case
        .events
        .iter()
        .find(|e| e.kind == CaseEventKind::Replied)
        .expect("a reply");
    assert_eq!(reply_event.body.as_deref(), Some(reply));
    assert_eq!(reply_event.actor.name.as_deref(), Some("Sam Specialist"));
    browser.close().await;
}
