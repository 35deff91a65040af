//! The specialist console (the Leptos app in `console/`) in headless Chromium
//! against the real Worker: sign in with a token, claim the next case, reply,
//! resolve — and a hostile case shows as text, never as markup; the queue's
//! views and countdowns, the captured context as a person reads it, internal
//! notes set apart, a stale reply kept, a revoked token signed out; a case
//! found by words or ref from the keyboard.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use serde_json::json;

use helpline_tests::api::{case_body, expect_status};
use helpline_tests::console::{
    click_until, open_case, open_console, queue_row, shows, sign_in, signed_in, CONSOLE_WAIT,
};
use helpline_tests::page::{
    click, present, serious_accessibility_violations, text_now, text_of, type_into,
};
use helpline_tests::{eventually, Browser, Stack};

const WAIT: Duration = CONSOLE_WAIT;

/// Presses `key` (a WebDriver key code) on whatever has the focus.
async fn press(page: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    page.perform_actions(keys).await.unwrap();
}

const ENTER: char = '\u{E007}';

/// Types `text` into the field with id `id`.
async fn fill(page: &Client, id: &str, text: &str) {
    type_into(page, Locator::Id(id), text).await;
}

/// Waits until the text of the part with id `id` holds `needle`.
async fn text_shows(page: &Client, id: &str, needle: &str) {
    let what = format!("#{id} showing {needle:?}");
    eventually(&what, WAIT, || async {
        let text = text_now(page, Locator::Id(id)).await?;
        text.contains(needle).then_some(())
    })
    .await;
}

/// The case ids of the rows of `table` (`#queue`, `#found`), top to bottom,
/// read in one go in the page (rows re-rendered between two WebDriver reads
/// would be stale).
async fn row_ids(page: &Client, table: &str) -> Vec<String> {
    let script = "return [].map.call(document.querySelectorAll(arguments[0] + ' tbody tr'), \
                  function (r) { return r.dataset.id; });";
    let ids = page.execute(script, vec![json!(table)]).await.unwrap();
    serde_json::from_value(ids).expect("the rows' ids")
}

/// The count the queue's view `label` shows, once it is `expected`.
async fn view_counts(page: &Client, label: &str, expected: &str) {
    let count = format!("[data-view=\"{label}\"] .count");
    eventually(&format!("{label} counting {expected}"), WAIT, || async {
        let text = text_now(page, Locator::Css(&count)).await?;
        (text == expected).then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_console_reads_the_context_for_people_sets_notes_apart_and_keeps_a_stale_reply() {
    let stack = Stack::start();
    let mut body = case_body("u-88", "Export to CSV fails with a timeout");
    body["context"] = json!({
        "url": "https://ads.example.com/reports?id=7",
        "viewport": { "width": 1280, "height": 720 },
        "recent_errors": [{ "message": "TypeError: rows is undefined", "source": "app.js:12" }],
        "failed_requests": [{ "method": "POST", "url": "https://ads.example.com/api/export", "status": 504 }],
        "attributes": { "plan": "enterprise" }
    });
    let created = stack.create_case_from("u-88", body).await;
    let other = stack
        .create_case("u-89", "Dashboard colours look off")
        .await;

    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    view_counts(page, "Unassigned", "2").await;
    view_counts(page, "Mine", "0").await;
    let countdown = text_of(
        page,
        Locator::Css(&format!("{} td[class^=due-]", queue_row(created.id))),
    )
    .await;
    assert!(
        countdown.starts_with("in "),
        "a running deadline counts down: {countdown}"
    );

    // By keyboard: j, j, k, j lands on the second row — across more than a
    // second of ticking countdowns, which must not take the focus away —
    // Enter opens it, and c claims the next case (the oldest of the same
    // priority, the first row).
    for key in ['j', 'j', 'k'] {
        press(page, key).await;
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    for key in ['j', ENTER] {
        press(page, key).await;
    }
    text_shows(page, "case-title", &other.reference).await;
    view_counts(page, "Mine", "0").await;
    press(page, 'c').await;
    view_counts(page, "Mine", "1").await;
    let status = text_of(page, Locator::Id("status")).await;
    assert_eq!(status, format!("You hold {} now.", created.reference));
    click(page, Locator::Css("[data-view=\"Mine\"]")).await;
    eventually("only my case listed", WAIT, || async {
        let rows = page.find_all(Locator::Css("#queue tbody tr")).await.ok()?;
        (rows.len() == 1).then_some(())
    })
    .await;

    let context = text_of(page, Locator::Id("case-context")).await;
    for line in [
        "Page",
        "Window size",
        "1280 × 720",
        "Error on the page",
        "TypeError: rows is undefined (app.js:12)",
        "Failed request",
        "POST https://ads.example.com/api/export → 504",
        "plan",
        "enterprise",
    ] {
        assert!(
            context.contains(line),
            "the context shows {line:?}: {context}"
        );
    }
    let link = page.find(Locator::Css("#case-context a")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("https://ads.example.com/reports?id=7")
    );

    // A lead notes on the case meanwhile: the reply typed here is stale. (A
    // tab out of view does not ask for changes, so the console cannot know.)
    page.execute(
        "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });",
        vec![],
    )
    .await
    .unwrap();
    stack
        .note(
            &stack.tokens.lead,
            created.id,
            "Known export issue, see INC-7",
        )
        .await;
    let reply = "Could you try a shorter date range?";
    fill(page, "message", reply).await;
    let status = click_until(
        page,
        Locator::Css("[data-action=reply]"),
        "the lead's note, set apart",
        Locator::Css("#case-events .event-noted.internal"),
    )
    .await;
    assert!(
        status.contains("changed meanwhile"),
        "the stale write is explained: {status}"
    );
    let kept = page
        .find(Locator::Id("message"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(reply), "what was typed is kept");
    click_until(
        page,
        Locator::Css("[data-action=reply]"),
        "the reply",
        Locator::Css("#case-events .event-replied"),
    )
    .await;
    let case = stack.case_for_team(created.id).await;
    assert_eq!(
        case.events
            .iter()
            .filter(|e| e.kind == CaseEventKind::Replied)
            .count(),
        1,
        "the stale reply was not sent twice"
    );

    // A token revoked while signed in signs out at the next call.
    click(page, Locator::Id("signout")).await;
    let temp = stack.hire("Tess Temp", "specialist").await;
    sign_in(page, &stack, &temp.token).await;
    stack.revoke(temp.specialist.id).await;
    let status = click_until(
        page,
        Locator::Id("claim"),
        "the sign-in form again",
        Locator::Css("#signin:not([hidden])"),
    )
    .await;
    assert!(status.starts_with("Signed out"), "says why: {status}");
    browser.close().await;
}

#[tokio::test]
async fn a_specialist_claims_replies_and_resolves_from_the_console() {
    let stack = Stack::start();
    let hostile = "<img src=x onerror=\"document.title='owned'\"> Export fails";
    let created = stack.create_case("u-77", hostile).await;

    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;

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
    fill(page, "message", reply).await;
    click(page, Locator::Css("[data-action=reply]")).await;
    let replied = Locator::Css("#case-events .event-replied");
    present(page, "the reply in the timeline", replied, WAIT).await;
    click(page, Locator::Css("#next-status option[value=resolved]")).await;
    click(page, Locator::Css("[data-action=status]")).await;
    text_shows(page, "case-meta", "resolved").await;

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

#[tokio::test]
async fn a_case_is_found_by_words_or_ref_from_the_keyboard_and_opened() {
    let stack = Stack::start();
    let wanted = stack
        .create_case("u-31", "Invoices page shows the wrong currency")
        .await;
    stack.create_case("u-32", "Cannot upload a logo").await;
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    let found_rows = || row_ids(page, "#found");

    // `/` goes to the search box; other forms of a word find the case.
    press(page, '/').await;
    let field = page.active_element().await.unwrap();
    assert_eq!(field.attr("id").await.unwrap().as_deref(), Some("find-q"));
    field.send_keys("currencies\u{E007}").await.unwrap();
    shows(page, "#found tbody tr").await;
    assert_eq!(found_rows().await, vec![wanted.id.to_string()]);
    assert!(text_of(page, Locator::Id("found-heading"))
        .await
        .contains("currencies"));

    // j and Enter open the case found.
    page.execute("document.activeElement.blur()", vec![])
        .await
        .unwrap();
    for key in ['j', ENTER] {
        press(page, key).await;
    }
    text_shows(page, "case-title", &wanted.reference).await;

    // By its ref, in lower case; nothing found says so; back to the queue.
    let field = page.find(Locator::Id("find-q")).await.unwrap();
    field.clear().await.unwrap();
    field
        .send_keys(&format!("{}\u{E007}", wanted.reference.to_lowercase()))
        .await
        .unwrap();
    let by_ref = wanted.reference.to_lowercase();
    text_shows(page, "found-heading", &by_ref).await;
    assert_eq!(found_rows().await, vec![wanted.id.to_string()]);
    field.clear().await.unwrap();
    field.send_keys("parachute\u{E007}").await.unwrap();
    text_shows(page, "status", "Nothing found").await;
    click_until(
        page,
        Locator::Id("back-to-queue"),
        "the queue again",
        Locator::Css("#queue tbody tr"),
    )
    .await;
    browser.close().await;
}

#[tokio::test]
async fn a_case_is_handed_over_from_its_page_and_a_shift_ends_with_nothing_held() {
    let stack = Stack::start();
    let ben = stack.hire("Ben Okafor", "specialist").await;
    let ben_id = ben.specialist.id.to_string();
    let specialist = &stack.tokens.specialist;
    let from_page = stack.claimed_case("u-40", "Coupon code rejected").await;
    let to_queue = stack.claimed_case("u-41", "Refund not showing").await;
    let waiting = stack.claimed_case("u-42", "Login loop on SSO").await;
    stack
        .set_status(specialist, waiting.id, "waiting_on_user")
        .await;
    let to_ben = stack.claimed_case("u-43", "Chart export is blank").await;

    let browser = signed_in(&stack, specialist).await;
    let page = &browser.client;

    // From the case's page: a colleague, the message as the note.
    open_case(page, from_page.id).await;
    shows(page, &format!("#assign-to option[value=\"{ben_id}\"]")).await;
    choose(page, Locator::Id("assign-to"), &ben_id).await;
    fill(page, "message", "The user sent the coupon by email.").await;
    click(page, Locator::Css("[data-action=assign]")).await;
    text_shows(page, "case-meta", "held by Ben Okafor").await;

    // The end of the shift: the three cases still held, each with where it
    // goes; one note for all.
    click(page, Locator::Id("end-shift")).await;
    let row = |id: i64| format!("#held li[data-id=\"{id}\"] select");
    present(page, "the cases held", Locator::Css(&row(to_ben.id)), WAIT).await;
    let held = page.find_all(Locator::Css("#held li")).await.unwrap();
    assert_eq!(held.len(), 3, "the case handed over is no longer held");
    for id in [to_ben.id, waiting.id] {
        choose(page, Locator::Css(&row(id)), &ben_id).await;
    }
    fill(page, "handover-note", "Going home; details in the notes.").await;
    let said = click_until(
        page,
        Locator::Id("hand-over-all"),
        "nothing held any more",
        Locator::Css("#nothing-held:not([hidden])"),
    )
    .await;
    assert_eq!(said, "Handed over 2, released 1.");

    let released = stack.case_for_team(to_queue.id).await;
    assert_eq!(released.status, CaseStatus::Queued);
    assert!(released.assignee.is_none());
    for id in [to_ben.id, waiting.id, from_page.id] {
        let case = stack.case_for_team(id).await;
        assert_eq!(case.assignee.map(|a| a.name).as_deref(), Some("Ben Okafor"));
        let handover = case
            .events
            .iter()
            .rev()
            .find(|e| e.kind == CaseEventKind::Assigned)
            .and_then(|e| e.body.clone());
        let note = if id == from_page.id {
            "The user sent the coupon by email."
        } else {
            "Going home; details in the notes."
        };
        assert_eq!(handover, Some(format!("to Ben Okafor: {note}")));
    }
    assert_eq!(
        stack.case_for_team(waiting.id).await.status,
        CaseStatus::WaitingOnUser
    );
    browser.close().await;
}

/// Waits until the queue's rows are the cases `expected`, top to bottom.
async fn queue_shows(page: &Client, what: &str, expected: &[&str]) {
    eventually(what, WAIT, || async {
        let ids = row_ids(page, "#queue").await;
        (ids == expected).then_some(())
    })
    .await
}

/// Chooses `value` in the select `select`, once it offers it (its options
/// are drawn from data that may still be arriving).
async fn choose(page: &Client, select: Locator<'_>, value: &str) {
    eventually(&format!("{value} chosen in {select:?}"), WAIT, || async {
        let select = page.find(select).await.ok()?;
        select.select_by_value(value).await.ok()
    })
    .await;
}

#[tokio::test]
async fn the_queue_filters_by_platform_priority_and_status() {
    let stack = Stack::start();
    let ads = stack.create_case("u-51", "Ads report is empty").await;
    let mut body = case_body("u-52", "Billing page times out for everyone");
    body["platform"] = json!("billing");
    body["impact"] = json!("organization");
    body["urgency"] = json!("blocked");
    let billing = stack.create_case_from("u-52", body).await;
    let claimed = stack.claim_next(&stack.tokens.specialist).await;
    assert_eq!(claimed.id, billing.id, "the P1 first");
    stack
        .set_status(&stack.tokens.specialist, billing.id, "waiting_on_user")
        .await;
    let ads_priority = ads.priority.as_str();
    assert_ne!(ads_priority, "P1");
    let (ads, billing) = (ads.id.to_string(), billing.id.to_string());
    let (ads, billing) = (ads.as_str(), billing.as_str());

    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    // The case waiting on its user has no running deadline: it comes last.
    queue_shows(page, "both cases", &[ads, billing]).await;
    choose(page, Locator::Id("filter-platform"), "billing").await;
    queue_shows(page, "only billing's case", &[billing]).await;
    choose(page, Locator::Id("filter-platform"), "").await;
    choose(page, Locator::Id("filter-priority"), ads_priority).await;
    queue_shows(page, "only the one of that priority", &[ads]).await;
    choose(page, Locator::Id("filter-priority"), "").await;
    choose(page, Locator::Id("filter-status"), "waiting_on_user").await;
    queue_shows(page, "only the case waiting on its user", &[billing]).await;
    view_counts(page, "All open", "1").await;
    choose(page, Locator::Id("filter-status"), "").await;
    queue_shows(page, "both again", &[ads, billing]).await;
    browser.close().await;
}

#[tokio::test]
async fn sop_assist_inserts_matching_steps_and_marks_what_the_reporter_already_tried() {
    let stack = Stack::start();
    stack.publish_csv_export_article().await;
    stack
        .publish_article(json!({
            "slug": "big-report-exports", "title": "CSV export of big reports",
            "body_markdown": "Schedule the export of a big report: **Reports → Schedule**.",
            "category": "exports", "published": true
        }))
        .await;
    // Before sending the case, the reporter read one answer: it did not help.
    stack
        .reject_answer("u-61", "csv-export-timeout", "csv export times out")
        .await;
    let case = stack
        .create_case("u-61", "CSV export times out on big reports")
        .await;
    let for_team = stack.case_for_team(case.id).await;
    assert_eq!(for_team.tried_answers.len(), 1);
    assert_eq!(for_team.tried_answers[0].slug, "csv-export-timeout");
    assert_eq!(
        for_team.tried_answers[0].title.as_deref(),
        Some("CSV export times out")
    );
    let for_reporter = stack.case_for_reporter("u-61", case.id).await;
    assert!(for_reporter.tried_answers.is_empty(), "the team's to use");

    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    open_case(page, case.id).await;
    shows(page, "#tried li[data-slug=\"csv-export-timeout\"]").await;
    shows(page, "#sop-hits li.tried[data-slug=\"csv-export-timeout\"]").await;
    let insert = "#sop-hits li[data-slug=\"big-report-exports\"]:not(.tried) .insert";
    present(page, "another matching SOP", Locator::Css(insert), WAIT).await;
    fill(page, "message", "Hello! Try this:").await;
    click(page, Locator::Css(insert)).await;
    let typed = "return document.getElementById('message').value;";
    eventually("the steps in the reply", WAIT, || async {
        let text = page.execute(typed, vec![]).await.ok()?;
        (text
            == json!(
                "Hello! Try this:\n\nSchedule the export of a big report: **Reports → Schedule**."
            ))
        .then_some(())
    })
    .await;
    browser.close().await;
}

#[tokio::test]
async fn an_incident_is_answered_in_one_reply_and_resolved_from_the_console() {
    let rule = json!({ "threshold": 3, "window_minutes": 15 }).to_string();
    let stack = Stack::start_with_vars([("MALFUNCTION_RULE", rule)]);
    let mut ids = Vec::new();
    for n in 0..3 {
        let user = format!("u-7{n}");
        let mut body = case_body(&user, "Invoices do not load");
        body["category"] = json!("invoices");
        ids.push(stack.create_case_from(&user, body).await.id);
    }
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;

    click(page, Locator::Id("incidents-tab")).await;
    let item = "#incident-list li.open button";
    present(page, "the open incident", Locator::Css(item), WAIT).await;
    click(page, Locator::Css(item)).await;
    eventually("the incident's cases", WAIT, || async {
        let mut rows = row_ids(page, "#incident-cases").await;
        rows.sort();
        let mut expected: Vec<String> = ids.iter().map(i64::to_string).collect();
        expected.sort();
        (rows == expected).then_some(())
    })
    .await;

    fill(
        page,
        "incident-reply",
        "We know: invoices are back within the hour.",
    )
    .await;
    click(page, Locator::Id("reply-all")).await;
    text_shows(page, "status", "Replied to 3 cases").await;
    for (n, id) in ids.iter().enumerate() {
        let case = stack.case_for_reporter(&format!("u-7{n}"), *id).await;
        let said = Some("We know: invoices are back within the hour.");
        assert!(case.events.iter().any(|e| e.body.as_deref() == said));
    }

    fill(page, "resolution", "The invoice service was restarted").await;
    click_until(
        page,
        Locator::Id("resolve-incident"),
        "the incident resolved",
        Locator::Css("#incident-list li.resolved"),
    )
    .await;
    assert!(text_of(page, Locator::Id("incident-title"))
        .await
        .contains("resolved by"));
    browser.close().await;
}

#[tokio::test]
async fn a_change_made_elsewhere_shows_in_the_open_case_and_the_queue_without_a_reload() {
    let stack = Stack::start();
    let case = stack.create_case("u-91", "Upload stuck at 99%").await;
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    open_case(page, case.id).await;
    fill(page, "message", "Half-written reply").await;

    // A colleague's note shows in the open case; what was typed stays.
    let note = "Seen this before: the CDN drops the last chunk.";
    stack
        .note(&stack.tokens.other_specialist, case.id, note)
        .await;
    text_shows(page, "case-events", note).await;
    let typed = page
        .execute("return document.getElementById('message').value;", vec![])
        .await
        .unwrap();
    assert_eq!(typed, json!("Half-written reply"));

    // A new case shows in the queue.
    let later = stack
        .create_case("u-92", "Password reset mail never arrives")
        .await;
    let row = queue_row(later.id);
    shows(page, &row).await;
    browser.close().await;
}

#[tokio::test]
async fn two_specialists_on_one_case_see_each_other_there_and_who_types() {
    let stack = Stack::start();
    let case = stack
        .create_case("u-93", "Exports time out after a minute")
        .await;
    let sam = signed_in(&stack, &stack.tokens.specialist).await;
    let kim = signed_in(&stack, &stack.tokens.other_specialist).await;
    open_case(&sam.client, case.id).await;
    open_case(&kim.client, case.id).await;

    text_shows(&sam.client, "case-presence", "Kim Specialist is viewing").await;
    text_shows(&kim.client, "case-presence", "Sam Specialist is viewing").await;
    fill(&kim.client, "message", "Could you try the export once more").await;
    text_shows(&sam.client, "case-presence", "Kim Specialist is typing").await;
    // Kim sends it as a note and stays on the case, viewing.
    click(&kim.client, Locator::Css("button[data-action=note]")).await;
    text_shows(
        &kim.client,
        "case-events",
        "Could you try the export once more",
    )
    .await;
    text_shows(&sam.client, "case-presence", "Kim Specialist is viewing").await;
    // Kim closes the tab: the last beat counts 10 s, then Kim is gone.
    kim.close().await;
    eventually(
        "Kim gone from the header",
        Duration::from_secs(20),
        || async {
            let text = text_now(&sam.client, Locator::Id("case-presence")).await?;
            (!text.contains("Kim")).then_some(())
        },
    )
    .await;
    sam.close().await;
}

#[tokio::test]
async fn an_admin_creates_a_specialist_whose_token_works_and_revokes_them() {
    let stack = Stack::start();
    let browser = Browser::start().await;
    let page = &browser.client;
    stack
        .create_case("u-95", "Anything, so the queue shows")
        .await;
    // Not for a specialist.
    sign_in(page, &stack, &stack.tokens.specialist).await;
    let tab = page.find(Locator::Id("team-tab")).await.unwrap();
    assert!(!tab.is_displayed().await.unwrap(), "admins only");
    click(page, Locator::Id("signout")).await;

    sign_in(page, &stack, &stack.tokens.admin).await;
    click(page, Locator::Id("team-tab")).await;
    shows(page, "#team-list tbody tr").await;
    fill(page, "hire-name", "Nia New").await;
    choose(page, Locator::Id("hire-role"), "lead").await;
    click(page, Locator::Css("#hire button[type=submit]")).await;
    let token = eventually("the new token", WAIT, || async {
        let token = text_now(page, Locator::Id("new-token")).await?;
        (!token.is_empty()).then_some(token)
    })
    .await;
    let queue = || stack.with_token(&token, reqwest::Method::GET, "/v1/queue");
    expect_status(queue(), reqwest::StatusCode::OK).await;
    let row = "#team-list tbody tr";
    text_shows(page, "team-list", "Nia New").await;

    // Revoked: the token no longer works.
    let rows = page.find_all(Locator::Css(row)).await.unwrap();
    let mut revoked = false;
    for r in rows {
        if r.text().await.unwrap().contains("Nia New") {
            r.find(Locator::Css(".revoke"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            revoked = true;
        }
    }
    assert!(revoked, "Nia's row has a Revoke button");
    text_shows(page, "status", "revoked").await;
    expect_status(queue(), reqwest::StatusCode::UNAUTHORIZED).await;
    browser.close().await;
}

#[tokio::test]
async fn no_console_screen_has_a_serious_accessibility_violation() {
    let stack = Stack::start();
    let case = stack.claimed_case("u-97", "Report totals look wrong").await;
    let browser = Browser::start().await;
    let page = &browser.client;
    open_console(page, &stack).await;
    let mut found = Vec::new();
    let mut check = |screen: &'static str, violations: Vec<String>| {
        found.extend(violations.into_iter().map(|v| format!("{screen}: {v}")));
    };
    check("sign in", serious_accessibility_violations(page).await);

    sign_in(page, &stack, &stack.tokens.admin).await;
    check("queue", serious_accessibility_violations(page).await);
    open_case(page, case.id).await;
    shows(page, "#case-context").await;
    check("case", serious_accessibility_violations(page).await);
    let field = page.find(Locator::Id("find-q")).await.unwrap();
    field.send_keys("totals\u{E007}").await.unwrap();
    shows(page, "#found tbody tr").await;
    check("found", serious_accessibility_violations(page).await);
    for (tab, screen, shown) in [
        ("end-shift", "end of shift", "#shift"),
        ("incidents-tab", "incidents", "#incidents"),
        ("team-tab", "team", "#team-list tbody tr"),
        ("report-tab", "report", "#report-frame"),
        ("sops-tab", "SOPs", "#sops"),
        ("new-article", "SOP editor", "#article-editor:not([hidden])"),
    ] {
        click(page, Locator::Id(tab)).await;
        present(page, screen, Locator::Css(shown), WAIT).await;
        check(screen, serious_accessibility_violations(page).await);
    }
    assert!(found.is_empty(), "{found:#?}");
    browser.close().await;
}

/// What the page's script `expression` evaluates to, as text.
async fn evaluated(page: &Client, expression: &str) -> String {
    let value = page
        .execute(&format!("return String({expression});"), vec![])
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_report_shows_today_so_far_another_day_and_its_markdown_in_words() {
    let stack = Stack::start();
    let urgent = stack
        .create_case("u-81", "Outage: the billing page is down for everyone")
        .await;
    let today: helpline_shared::report::DailyReport = stack.read_as_team("/v1/reports/daily").await;
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;

    click(page, Locator::Id("report-tab")).await;
    text_shows(page, "report-heading", "Today so far").await;
    let frame = "document.getElementById('report-frame').srcdoc";
    eventually("today's report in its frame", WAIT, || async {
        let html = evaluated(page, frame).await;
        html.contains(&urgent.reference).then_some(())
    })
    .await;
    let html = evaluated(page, frame).await;
    // The case is a key ticket (a P1, among the oldest open): why, in words.
    assert!(html.contains("P1, oldest open"), "{html}");
    assert!(!html.contains("oldest_open"), "not in codes");
    let markdown = "document.getElementById('report-markdown').value";
    let text = evaluated(page, markdown).await;
    for line in [
        format!(
            "# Helpline daily report — {} ({})",
            today.date, today.time_zone
        ),
        "| Received | 1 |".into(),
    ] {
        assert!(text.contains(&line), "{line:?} missing in:\n{text}");
    }

    // Another day, by date: nothing happened then.
    page.execute(
        "const d = document.getElementById('report-date'); d.value = '2020-01-06'; \
         d.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await
    .unwrap();
    click(page, Locator::Css("#report-day button[type=submit]")).await;
    text_shows(page, "report-heading", "The day 2020-01-06").await;
    let text = evaluated(page, markdown).await;
    assert!(
        text.contains("2020-01-06") && text.contains("No cases received."),
        "{text}"
    );
    assert!(!evaluated(page, frame).await.contains(&urgent.reference));

    // A zone that does not exist is refused with the API's words.
    fill(page, "report-tz", "Mars/Olympus").await;
    click(page, Locator::Css("#report-day button[type=submit]")).await;
    text_shows(page, "status", "tz is not valid").await;
    browser.close().await;
}

#[tokio::test]
async fn an_admins_link_template_shows_on_the_case_filled_and_ctrl_enter_sends_a_reply() {
    let stack = Stack::start();
    let case = stack
        .claimed_case("u-83", "The spend chart is empty since the update")
        .await;
    let other = stack.create_case_from("u-84", {
        let mut body = case_body("u-84", "CRM export fails");
        body["platform"] = json!("crm");
        body
    });
    let other = other.await;
    let browser = signed_in(&stack, &stack.tokens.admin).await;
    let page = &browser.client;

    // The admin keeps a template; one that is not https is refused, naming it.
    click(page, Locator::Id("team-tab")).await;
    shows(page, "#add-link").await;
    fill(page, "link-platform", "ads-console").await;
    fill(page, "link-label", "Ads user").await;
    fill(
        page,
        "link-template",
        "http://admin.ads.corp/u/{reporter_id}",
    )
    .await;
    click(page, Locator::Css("#add-link button[type=submit]")).await;
    text_shows(page, "status", "template is not valid").await;
    page.execute(
        "document.getElementById('link-template').value = ''",
        vec![],
    )
    .await
    .unwrap();
    fill(
        page,
        "link-template",
        "https://admin.ads.corp/u/{reporter_id}?c={case_ref}",
    )
    .await;
    click(page, Locator::Css("#add-link button[type=submit]")).await;
    text_shows(page, "link-templates", "ads-console · Ads user").await;

    // The case on that platform shows it filled; one on another does not.
    click(page, Locator::Id("queue-tab")).await;
    click(page, Locator::Css("[data-view=\"All open\"]")).await;
    open_case(page, case.id).await;
    let link = shows(page, "#case-links a").await;
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert_eq!(
        href,
        format!("https://admin.ads.corp/u/u-83?c={}", case.reference)
    );
    assert_eq!(link.text().await.unwrap(), "Ads user");
    assert_eq!(
        link.attr("rel").await.unwrap().as_deref(),
        Some("noopener noreferrer")
    );
    open_case(page, other.id).await;
    eventually("no link on the crm case", WAIT, || async {
        let links = page.find_all(Locator::Css("#case-links a")).await.ok()?;
        links.is_empty().then_some(())
    })
    .await;

    // Ctrl+Enter in the message sends it as the reply.
    open_case(page, case.id).await;
    let message = page.find(Locator::Id("message")).await.unwrap();
    message.send_keys("Fixed on our side.").await.unwrap();
    let ctrl_enter = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{E009}' })
        .then(KeyAction::Down { value: ENTER })
        .then(KeyAction::Up { value: ENTER })
        .then(KeyAction::Up { value: '\u{E009}' });
    page.perform_actions(ctrl_enter).await.unwrap();
    shows(page, "#case-events .event-replied").await;
    let replied = stack.case_for_team(case.id).await;
    assert!(replied
        .events
        .iter()
        .any(|e| e.body.as_deref() == Some("Fixed on our side.")));

    // Removed, it is gone from the list.
    click(page, Locator::Id("team-tab")).await;
    let remove = shows(page, "#link-templates li .remove-link").await;
    remove.click().await.unwrap();
    text_shows(page, "status", "is removed").await;
    eventually("the list without it", WAIT, || async {
        let left = page
            .find_all(Locator::Css("#link-templates li"))
            .await
            .ok()?;
        left.is_empty().then_some(())
    })
    .await;
    let kept: serde_json::Value = stack.read_as_team("/v1/links").await;
    assert_eq!(kept["templates"], json!([]), "removed in D1 too");
    browser.close().await;
}

#[tokio::test]
async fn a_busy_queue_counts_every_case_and_says_how_many_it_lists() {
    let stack = Stack::start();
    let mut last = None;
    for n in 0..102 {
        let user = format!("u-b{n}");
        let created = stack
            .create_case(&user, &format!("Report {n} is empty"))
            .await;
        last = Some(created.id);
    }
    // The least urgent case, past the first page, is handed to Sam.
    let last = last.unwrap();
    let sam = stack.queue("").await.specialist.id;
    let lead = &stack.tokens.lead;
    stack
        .act_ok(lead, last, "assign", json!({"specialist_id": sam}))
        .await;
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    let last = last.to_string();
    view_counts(page, "All open", "102").await;
    view_counts(page, "Unassigned", "101").await;
    assert_eq!(row_ids(page, "#queue").await.len(), 100, "one page");
    assert!(
        !row_ids(page, "#queue").await.contains(&last),
        "not among the 100 most urgent"
    );
    text_shows(page, "queue-more", "The 100 most urgent of 102 are listed").await;
    // "Mine" asks for Sam's own cases: the one past the first page is there.
    click(page, Locator::Css("[data-view=\"Mine\"]")).await;
    eventually("my case listed", WAIT, || async {
        (row_ids(page, "#queue").await == [last.clone()]).then_some(())
    })
    .await;
    browser.close().await;
}

#[tokio::test]
async fn sops_are_written_from_a_gap_saved_over_a_stale_version_and_published_by_a_lead() {
    let stack = Stack::start();
    stack.publish_csv_export_article().await;
    stack
        .reject_answer("u-71", "csv-export-timeout", "how do I export to pdf")
        .await;
    stack
        .create_case("u-71", "I cannot find how to export to PDF")
        .await;
    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    click(page, Locator::Id("sops-tab")).await;
    text_shows(
        page,
        "article-list",
        "CSV export times out · en · v1 · published",
    )
    .await;
    text_shows(page, "gap-list", "how do I export to pdf").await;

    // A gap becomes a draft titled by its question; its steps written, saved.
    click(page, Locator::Css("#gap-list .write-article")).await;
    let title = shows(page, "#article-title").await;
    assert_eq!(
        title.prop("value").await.unwrap().as_deref(),
        Some("how do I export to pdf")
    );
    let slug = shows(page, "#article-slug").await;
    assert_eq!(
        slug.prop("value").await.unwrap().as_deref(),
        Some("how-do-i-export-to-pdf")
    );
    fill(
        page,
        "article-body",
        "Open the report, then **Export → PDF**.",
    )
    .await;
    click(page, Locator::Id("save-article")).await;
    text_shows(page, "status", "Saved how-do-i-export-to-pdf as version 1.").await;
    text_shows(
        page,
        "article-list",
        "how do I export to pdf · en · v1 · draft",
    )
    .await;
    let saved: serde_json::Value = stack
        .read_as_team("/v1/sop/articles/how-do-i-export-to-pdf")
        .await;
    assert_eq!(
        saved["body_markdown"],
        "1. Open the report, then **Export → PDF**."
    );
    assert_eq!(saved["published"], false);
    // Only leads publish: a specialist is not offered it.
    let offered = page
        .execute(
            "return document.getElementById('publish-article').offsetParent !== null;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(offered, json!(false));

    // A colleague saves version 2 while this one is edited: the save shows
    // theirs beside, keeps what was typed, and the next save goes over it.
    fill(page, "article-title", " (draft)").await;
    let theirs = stack
        .with_token(
            &stack.tokens.lead,
            reqwest::Method::PUT,
            "/v1/sop/articles/how-do-i-export-to-pdf",
        )
        .header("If-Match", "\"1\"")
        .json(&json!({
            "title": "Export a report as PDF", "category": "how-to",
            "body_markdown": "Use **Export → PDF** on the report."
        }));
    expect_status(theirs, reqwest::StatusCode::OK).await;
    click(page, Locator::Id("save-article")).await;
    text_shows(page, "status", "Lee Lead saved version 2 meanwhile").await;
    text_shows(page, "newer-version", "Use **Export → PDF** on the report.").await;
    let kept = shows(page, "#article-title").await;
    assert_eq!(
        kept.prop("value").await.unwrap().as_deref(),
        Some("how do I export to pdf (draft)")
    );
    click(page, Locator::Id("save-article")).await;
    text_shows(page, "status", "Saved how-do-i-export-to-pdf as version 3.").await;
    browser.close().await;

    // A lead publishes it from the same screen.
    let lead = signed_in(&stack, &stack.tokens.lead).await;
    let page = &lead.client;
    click(page, Locator::Id("sops-tab")).await;
    text_shows(
        page,
        "article-list",
        "how do I export to pdf (draft) · en · v3 · draft",
    )
    .await;
    click(
        page,
        Locator::Css("[data-slug=\"how-do-i-export-to-pdf\"] button"),
    )
    .await;
    let title = shows(page, "#article-title").await;
    eventually("the article in the editor", WAIT, || async {
        (title.prop("value").await.ok()?.as_deref() == Some("how do I export to pdf (draft)"))
            .then_some(())
    })
    .await;
    click(page, Locator::Id("publish-article")).await;
    text_shows(
        page,
        "status",
        "how-do-i-export-to-pdf version 3 is published.",
    )
    .await;
    let published: serde_json::Value = stack
        .read_as_team("/v1/sop/articles/how-do-i-export-to-pdf")
        .await;
    assert_eq!(published["published"], true);
    lead.close().await;
}
