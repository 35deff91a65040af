//! A case's whole life through the API, and the state machine's refusals.

use helpline_shared::api::CaseView;
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::{next_status, CaseAction, CaseStatus};
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{error_of, expect_json, expect_refusal, expect_status};
use helpline_tests::Stack;

fn kinds(case: &CaseView) -> Vec<CaseEventKind> {
    case.events.iter().map(|e| e.kind).collect()
}

#[tokio::test]
async fn full_lifecycle_from_report_to_feedback() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    let description = "Dashboard totals differ from the export";
    let created = stack.claimed_case("u-42", description).await;
    assert_eq!(created.status, CaseStatus::InProgress);
    assert_eq!(
        created.assignee.as_ref().map(|a| a.name.as_str()),
        Some("Sam Specialist")
    );

    let replied = stack
        .reply(
            &token,
            created.id,
            "Which timezone is the dashboard set to?",
        )
        .await;
    let sla = replied.sla.expect("specialists see the SLA");
    assert!(
        sla.first_response_at.is_some(),
        "first response recorded on the first public reply"
    );
    assert!(!sla.first_response_breached);

    stack
        .note(&token, created.id, "Probably the UTC vs local day boundary")
        .await;
    let waiting = stack
        .set_status(&token, created.id, "waiting_on_user")
        .await;
    assert!(
        waiting.sla.unwrap().paused,
        "the clock stops while waiting on the user"
    );

    let answered = stack
        .reporter_message_ok("u-42", created.id, "It is set to Europe/Berlin")
        .await;
    assert_eq!(
        answered.status,
        CaseStatus::InProgress,
        "the reporter's answer resumes the case"
    );

    let resolved = stack.set_status(&token, created.id, "resolved").await;
    assert!(resolved.sla.unwrap().resolved_at.is_some());

    let rating = json!({ "rating": 5, "comment": "Clear and quick" });
    let rated: CaseView = expect_json(
        stack.feedback("u-42", created.id, rating).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((rated.status, rated.rating), (CaseStatus::Closed, Some(5)));

    // The reporter sees exactly the public events; the team sees all of them.
    let for_reporter = stack.case_for_reporter("u-42", created.id).await;
    assert_eq!(
        kinds(&for_reporter),
        vec![
            CaseEventKind::Created,
            CaseEventKind::Replied,
            CaseEventKind::StatusChanged,
            CaseEventKind::ReporterMessage,
            CaseEventKind::StatusChanged,
            CaseEventKind::StatusChanged,
            CaseEventKind::Feedback,
        ]
    );
    assert!(for_reporter.sla.is_none() && for_reporter.assignee.is_none());
    let for_team = stack.case_for_team(created.id).await;
    assert_eq!(
        kinds(&for_team),
        vec![
            CaseEventKind::Created,
            CaseEventKind::Claimed,
            CaseEventKind::Replied,
            CaseEventKind::Noted,
            CaseEventKind::StatusChanged,
            CaseEventKind::ReporterMessage,
            CaseEventKind::StatusChanged,
            CaseEventKind::StatusChanged,
            CaseEventKind::Feedback,
        ]
    );
    let note = for_team
        .events
        .iter()
        .find(|e| e.kind == CaseEventKind::Noted)
        .unwrap();
    assert_eq!(
        note.body.as_deref(),
        Some("Probably the UTC vs local day boundary")
    );
    assert!(for_reporter
        .events
        .iter()
        .all(|e| e.body.as_deref() != note.body.as_deref()));
}

#[tokio::test]
async fn a_reporter_reply_reopens_a_resolved_case_and_escalation_is_recorded() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    let created = stack
        .claimed_case("u-5", "Moderation tool shows an empty review queue")
        .await;
    let escalated = stack
        .escalate(
            &token,
            created.id,
            "ts-tooling",
            2,
            "Queue service returns 500",
        )
        .await;
    assert_eq!(escalated.status, CaseStatus::Escalated);
    let escalation = escalated.escalation.unwrap();
    assert_eq!(
        (escalation.team.as_str(), escalation.level),
        ("ts-tooling", 2)
    );
    assert!(stack
        .case_for_reporter("u-5", created.id)
        .await
        .escalation
        .is_none());

    stack.set_status(&token, created.id, "resolved").await;
    let reopened = stack
        .reporter_message_ok("u-5", created.id, "Still empty for me")
        .await;
    assert_eq!(reopened.status, CaseStatus::Queued);
    assert!(kinds(&reopened).contains(&CaseEventKind::Reopened));
    let next = stack.claim_next(&stack.tokens.other_specialist).await;
    assert_eq!(next.id, created.id);
}

/// Drives a fresh case into `status` along allowed edges.
async fn case_in(stack: &Stack, status: CaseStatus) -> i64 {
    let token = &stack.tokens.specialist;
    let id = stack
        .create_case("u-sm", &format!("case that will be {}", status.as_str()))
        .await
        .id;
    if status == CaseStatus::Queued {
        return id;
    }
    // Older queued cases from earlier steps come first: claim until ours.
    while stack.claim_next(token).await.id != id {}
    let steps: &[(&str, serde_json::Value)] = match status {
        CaseStatus::InProgress => &[],
        CaseStatus::WaitingOnUser => &[("status", json!({"status": "waiting_on_user"}))],
        CaseStatus::Escalated => &[(
            "escalate",
            json!({"team": "data", "level": 1, "reason": "r"}),
        )],
        CaseStatus::Resolved => &[("status", json!({"status": "resolved"}))],
        CaseStatus::Closed => &[
            ("status", json!({"status": "resolved"})),
            ("status", json!({"status": "closed"})),
        ],
        CaseStatus::Queued => unreachable!(),
    };
    for (action, body) in steps {
        expect_status(
            stack.act(token, id, action, body.clone()).await,
            StatusCode::OK,
        )
        .await;
    }
    id
}

#[tokio::test]
async fn every_illegal_status_change_is_a_409() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    let mut refused = 0;
    for from in CaseStatus::ALL {
        for to in CaseStatus::ALL {
            if next_status(from, CaseAction::SetStatus(to)).is_ok() {
                continue;
            }
            let id = case_in(&stack, from).await;
            let response = stack
                .act(&token, id, "status", json!({ "status": to }))
                .await;
            assert_eq!(response.status(), StatusCode::CONFLICT, "{from:?} → {to:?}");
            assert_eq!(error_of(response).await.error.code, "illegal_transition");
            assert_eq!(
                stack.case_for_team(id).await.status,
                from,
                "nothing changed"
            );
            refused += 1;
        }
    }
    assert!(refused >= 20, "the table refuses most pairs ({refused})");
    // Feedback on an open case and a message on a closed one are refused too.
    let open = case_in(&stack, CaseStatus::InProgress).await;
    let feedback = stack.feedback("u-sm", open, json!({ "rating": 4 })).await;
    expect_status(feedback, StatusCode::CONFLICT).await;
    let closed = case_in(&stack, CaseStatus::Closed).await;
    let message = stack.reporter_message("u-sm", closed, "hello?").await;
    expect_status(message, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_stale_write_is_a_409_and_changes_nothing() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    let id = case_in(&stack, CaseStatus::InProgress).await;
    let seen = stack.case_for_team(id).await.version;
    stack
        .write(&token, id, "note", "someone else was faster")
        .await;
    let resolve_at = |version: i64| {
        stack
            .with_token(&token, Method::POST, &format!("/v1/cases/{id}/status"))
            .header("If-Match", format!("\"{version}\""))
            .json(&json!({ "status": "resolved" }))
    };
    let stale = expect_refusal(resolve_at(seen), StatusCode::CONFLICT).await;
    assert_eq!(stale.error.code, "stale_version");
    assert_eq!(stack.case_for_team(id).await.status, CaseStatus::InProgress);

    let current = stack.case_for_team(id).await.version;
    expect_status(resolve_at(current), StatusCode::OK).await;
}

/// Once a case could be flooded: messages had no limit and every read loaded
/// the whole timeline. Now a reporter writes at most so many a minute on one
/// case, and a read returns the newest page with a cursor to the one before.
#[tokio::test]
async fn a_flooded_case_is_limited_and_reads_in_pages() {
    let stack = Stack::start();
    let case = stack.create_case("u-1", "Upload fails").await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let sent = stack
            .reporter_message("u-1", case.id, &format!("still broken {n}"))
            .await;
        statuses.push(sent.status());
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    let refused = stack.reporter_message("u-1", case.id, "once more").await;
    assert!(refused.headers().contains_key("Retry-After"));
    assert_eq!(error_of(refused).await.error.code, "rate_limited");
    // Another reporter's own case is not held back.
    let other = stack.create_case("u-2", "Mine").await;
    let hello = stack.reporter_message("u-2", other.id, "hello").await;
    expect_status(hello, StatusCode::OK).await;

    // 120 notes: the team reads the newest 100, then the page before.
    for n in 0..120 {
        stack
            .note(&stack.tokens.lead, case.id, &format!("note {n}"))
            .await;
    }
    let newest = stack.case_for_team(case.id).await;
    assert_eq!(newest.events.len(), 100);
    assert_eq!(
        newest.events.last().unwrap().body.as_deref(),
        Some("note 119"),
        "the newest page ends with the newest event"
    );
    let before = newest.events_before.expect("older events exist");
    let older: CaseView = stack
        .read_as_team(&format!("/v1/cases/{}?events_before={before}", case.id))
        .await;
    // created + 10 messages + the first 20 notes (ids before the page).
    assert_eq!(older.events.len(), 31, "{:#?}", older.events);
    assert_eq!(older.events_before, None, "that was the first page");
    assert!(older.events.iter().all(|e| e.id < before));
    assert_eq!(older.events[0].kind, CaseEventKind::Created);
    let bad = stack.as_specialist(
        Method::GET,
        &format!("/v1/cases/{}?events_before=soon", case.id),
    );
    assert_eq!(
        error_of(bad).await.error.field.as_deref(),
        Some("events_before")
    );
}
