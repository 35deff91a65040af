//! "My cases" in the widget: a specialist's reply shows on the launcher's
//! badge and in the case's timeline; the reporter writes back, confirms the
//! solved case and rates it — each seen by the team through the API.

use std::time::Duration;

use fantoccini::elements::ShadowRoot;
use fantoccini::Locator;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;

use helpline_tests::page::{text_now, type_into};
use helpline_tests::widget::{open_demo, shown};
use helpline_tests::{eventually, Browser, Stack};

/// Polling is every 10 s while the panel is open.
const WAIT: Duration = Duration::from_secs(30);

async fn click(shadow: &ShadowRoot, css: &str) {
    shown(shadow, css).await.click().await.unwrap();
}

#[tokio::test]
async fn a_reply_shows_on_the_badge_and_the_reporter_answers_confirms_and_rates() {
    let stack = Stack::demo();
    // The demo page's user.
    let created = stack
        .create_case("u-1001", "The audience size shows 0")
        .await;
    let browser = Browser::start().await;
    let (shadow, _) = open_demo(&browser, &stack).await;
    click(&shadow, ".hl-tab-mine").await;
    let line = format!(".hl-case-line[data-case='{}']", created.id);
    eventually("the case in My cases", WAIT, || async {
        shadow.find(Locator::Css(&line)).await.ok()
    })
    .await;

    // The team replies: the badge counts it, the list marks it.
    let token = stack.tokens.specialist.clone();
    stack.claim_next(&token).await;
    stack
        .reply(&token, created.id, "Please reload with the filter cleared.")
        .await;
    let badge = eventually("the badge", WAIT, || async {
        let b = shadow.find(Locator::Css(".hl-badge")).await.ok()?;
        let text = b.text().await.ok()?;
        (b.is_displayed().await.ok()? && text == "1").then_some(b)
    })
    .await;
    assert!(shadow
        .find(Locator::Css(&format!("{line} .hl-new")))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap());

    // Opening the case shows the reply, and clears the badge.
    click(&shadow, &line).await;
    let timeline = eventually("the reply", WAIT, || async {
        let t = shadow.find(Locator::Css(".hl-timeline")).await.ok()?;
        let text = t.text().await.ok()?;
        text.contains("filter cleared").then_some(text)
    })
    .await;
    assert!(timeline.contains("Sam Specialist"), "{timeline}");
    assert!(!badge.is_displayed().await.unwrap());

    // The reporter writes back.
    let answer = "Still 0 after a reload";
    type_into(&shadow, Locator::Css("#hl-reply-text"), answer).await;
    click(&shadow, ".hl-send-reply").await;
    eventually("the reporter's message", WAIT, || async {
        let case = stack.case_for_team(created.id).await;
        case.events
            .iter()
            .any(|e| e.kind == CaseEventKind::ReporterMessage && e.body.as_deref() == Some(answer))
            .then_some(())
    })
    .await;

    // Solved: the reporter confirms with 4 stars, which closes the case.
    stack.set_status(&token, created.id, "resolved").await;
    click(&shadow, ".hl-back").await;
    click(&shadow, &line).await;
    eventually("the solved status", WAIT, || async {
        let status = text_now(&shadow, Locator::Css(".hl-case .hl-case-status")).await?;
        status.contains("confirm").then_some(())
    })
    .await;
    click(&shadow, ".hl-confirm").await;
    click(&shadow, ".hl-star[data-rating='4']").await;
    eventually("the rating", WAIT, || async {
        let case = stack.case_for_team(created.id).await;
        (case.status == CaseStatus::Closed && case.rating == Some(4)).then_some(())
    })
    .await;
    browser.close().await;
}
