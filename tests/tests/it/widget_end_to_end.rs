//! The widget in headless Chromium on the demo host page, against the real
//! Worker: open the launcher, describe a problem, send, see the ref; then a
//! specialist finds that case in the queue.

use std::time::Duration;

use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::Locator;
use helpline_shared::api::{CaseView, SopGaps};

use helpline_tests::page::{self, text_of};
use helpline_tests::widget::{
    describe, describe_and_send, help_open_on_demo, open_demo, send_case,
};
use helpline_tests::{eventually, Browser, Stack};

const WAIT: Duration = Duration::from_secs(20);

/// `css` in the widget once it is there (shown or not).
async fn find(shadow: &ShadowRoot, css: &str, what: &str) -> Element {
    page::present(shadow, what, Locator::Css(css), WAIT).await
}

#[tokio::test]
async fn suggestions_appear_while_typing_and_an_answer_can_solve_it() {
    let stack = Stack::demo();
    stack.publish_csv_export_article().await;
    let browser = Browser::start().await;
    let (shadow, textarea) = open_demo(&browser, &stack).await;

    textarea.send_keys("my csv expo").await.unwrap();
    let suggestion = find(
        &shadow,
        ".hl-suggestion[data-slug='csv-export-timeout']",
        "a suggestion",
    )
    .await;
    let marked = text_of(&suggestion, Locator::Css("mark")).await;
    assert_eq!(marked.to_lowercase(), "csv", "matched words are marked");

    suggestion.click().await.unwrap();
    let body = find(&shadow, ".hl-answer-body", "the answer").await;
    assert!(body.is_displayed().await.unwrap());
    assert!(
        !textarea.is_displayed().await.unwrap(),
        "the form steps aside while an answer is read"
    );
    assert!(body
        .html(true)
        .await
        .unwrap()
        .contains("<strong>date range</strong>"));
    find(&shadow, ".hl-not-solved", "still need help")
        .await
        .click()
        .await
        .unwrap();
    let textarea = find(&shadow, "textarea#hl-description", "the form again").await;
    assert_eq!(
        textarea.prop("value").await.unwrap().as_deref(),
        Some("my csv expo"),
        "the text is kept"
    );

    let gaps: SopGaps = stack.read_as_team("/v1/sop/gaps").await;
    assert_eq!(
        gaps.gaps.first().map(|g| g.query.as_str()),
        Some("my csv expo")
    );

    find(&shadow, ".hl-suggestion", "the suggestion again")
        .await
        .click()
        .await
        .unwrap();
    find(&shadow, ".hl-solved", "this solved it")
        .await
        .click()
        .await
        .unwrap();
    // The thanks paragraph is always there; it shows once the answer solved it.
    eventually("the thanks", WAIT, || async {
        let thanks = shadow.find(Locator::Css(".hl-thanks")).await.ok()?;
        thanks.is_displayed().await.ok()?.then_some(())
    })
    .await;
    let textarea = find(&shadow, "textarea#hl-description", "an empty form").await;
    assert_eq!(textarea.prop("value").await.unwrap().as_deref(), Some(""));
    browser.close().await;
}

#[tokio::test]
async fn a_case_sent_from_the_widget_reaches_the_specialist_queue() {
    let (stack, browser, shadow, textarea) = help_open_on_demo().await;
    let description = "Export CSV fails with a 502 on the Campaigns page since 09:00";
    let shown_ref = send_case(&shadow, description).await;
    // What was sent is cleared once it is safely a case.
    assert_eq!(textarea.prop("value").await.unwrap().as_deref(), Some(""));

    let queue = stack.queue("").await;
    assert_eq!(queue.cases.len(), 1);
    assert_eq!(queue.cases[0].reference, shown_ref);
    let case: CaseView = stack.case_for_team(queue.cases[0].id).await;
    assert_eq!(case.description, description);
    assert_eq!(case.platform, "ads-console");
    assert_eq!(case.reporter.id, "u-1001");
    browser.close().await;
}

#[tokio::test]
async fn the_widget_shows_the_field_error_and_keeps_nothing_back() {
    let (_stack, browser, shadow, textarea) = help_open_on_demo().await;
    describe_and_send(&shadow, "   ").await;

    // The error paragraph appears when a send is refused, naming the field.
    let error = eventually("the error message", WAIT, || async {
        shadow
            .find(Locator::Css(".hl-error[data-field]"))
            .await
            .ok()
    })
    .await;
    assert!(error.is_displayed().await.unwrap());
    assert_eq!(
        error.attr("data-field").await.unwrap().as_deref(),
        Some("description")
    );
    assert!(error
        .text()
        .await
        .unwrap()
        .contains("description is required"));
    assert_eq!(
        textarea.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    browser.close().await;
}

/// Once "our whole team is blocked", sent with who and how much left
/// unchosen, became a P3. Now the widget shows what the text suggests in those
/// two choices as the user types, so they see it (and can change it) before
/// sending, and sends what it shows.
#[tokio::test]
async fn unchosen_impact_and_urgency_show_what_the_text_suggests() {
    use helpline_shared::priority::{Impact, Priority, Urgency};
    let (stack, browser, shadow, _) = help_open_on_demo().await;
    describe(
        &shadow,
        "Export fails since this morning, our whole team is blocked",
    )
    .await;
    let shown = eventually("the suggested choices", WAIT, || async {
        let selects = shadow
            .find_all(Locator::Css("select.hl-select"))
            .await
            .ok()?;
        let mut values = Vec::new();
        for select in selects {
            values.push(select.prop("value").await.ok()??);
        }
        (values.len() == 3 && values[1] == "team").then_some(values)
    })
    .await;
    assert_eq!(shown[1..], ["team".to_string(), "blocked".to_string()]);
    let sent = find(&shadow, ".hl-send", "the send button").await;
    sent.click().await.unwrap();
    let queued = eventually("the case", WAIT, || async {
        let queue = stack.queue("").await;
        queue.cases.first().map(|c| c.id)
    })
    .await;
    let case = stack.case_for_team(queued).await;
    assert_eq!(
        (case.impact, case.urgency, case.priority),
        (Impact::Team, Urgency::Blocked, Priority::P2)
    );
    browser.close().await;
}
