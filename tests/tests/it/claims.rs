//! Claiming from the queue: the most urgent case goes to exactly one
//! specialist, however many ask at once, and a lease nobody renews returns it.

use std::collections::HashSet;
use std::time::Duration;

use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::expect_status;
use helpline_tests::{Stack, StackOptions};

#[tokio::test]
async fn fifty_concurrent_claimers_over_thirty_cases_never_share_one() {
    let stack = Stack::start();
    for n in 0..30 {
        stack
            .create_case(&format!("u-{n}"), &format!("problem {n}"))
            .await;
    }
    let mut tokens = Vec::new();
    for n in 0..50 {
        let created = stack.hire(&format!("Shift member {n}"), "specialist").await;
        tokens.push(created.token);
    }
    let claims: Vec<_> = tokens
        .iter()
        .map(|token| {
            stack
                .with_token(token, Method::POST, "/v1/queue/claim")
                .send()
        })
        .map(tokio::spawn)
        .collect();
    let mut claimed = Vec::new();
    let mut empty = 0;
    for claim in claims {
        let response = claim.await.unwrap().unwrap();
        match response.status() {
            StatusCode::NO_CONTENT => empty += 1,
            StatusCode::OK => {
                let case: serde_json::Value = response.json().await.unwrap();
                claimed.push((
                    case["id"].as_i64().unwrap(),
                    case["assignee"]["id"].as_i64().unwrap(),
                ));
            }
            other => panic!("claim answered {other}"),
        }
    }
    let cases: HashSet<_> = claimed.iter().map(|(case, _)| case).collect();
    let holders: HashSet<_> = claimed.iter().map(|(_, who)| who).collect();
    assert_eq!(claimed.len(), 30, "every case was claimed");
    assert_eq!(cases.len(), 30, "no case was claimed twice");
    assert_eq!(holders.len(), 30, "each claimer got at most one case");
    assert_eq!(empty, 20, "the rest were told the queue is empty");
}

#[tokio::test]
async fn an_expired_lease_returns_the_case_to_the_queue() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![("CLAIM_LEASE_SECONDS".into(), "1".into())],
        ..StackOptions::default()
    });
    let created = stack.create_case("u-1", "Notifications stopped").await;
    let first = stack.claim_next(&stack.tokens.specialist).await;
    assert_eq!(first.id, created.id);
    assert!(
        stack.claim(&stack.tokens.other_specialist).await.is_none(),
        "held while the lease runs"
    );

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let second = stack.claim_next(&stack.tokens.other_specialist).await;
    assert_eq!(second.id, created.id);
    assert_eq!(second.status, CaseStatus::InProgress);
    assert_eq!(second.assignee.as_ref().unwrap().name, "Kim Specialist");
    // The record says why the case changed hands, naming who lost it.
    let lapsed: Vec<_> = second
        .events
        .iter()
        .filter(|e| e.kind == CaseEventKind::LeaseExpired)
        .collect();
    assert_eq!(lapsed.len(), 1, "{:#?}", second.events);
    assert!(lapsed[0]
        .body
        .as_deref()
        .unwrap_or_default()
        .contains("Sam Specialist"));
    // The first holder no longer holds it.
    let late = stack
        .write(&stack.tokens.specialist, created.id, "reply", "hi")
        .await;
    expect_status(late, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn release_gives_the_case_back_for_the_next_claimer() {
    let stack = Stack::start();
    let created = stack.claimed_case("u-1", "Cannot upload CSV").await;
    let released = stack
        .act(&stack.tokens.specialist, created.id, "release", json!({}))
        .await;
    expect_status(released, StatusCode::OK).await;
    let next = stack.claim_next(&stack.tokens.other_specialist).await;
    assert_eq!(next.id, created.id);
}

/// Once the reporter's answer to a waiting case kept the holder's old,
/// long-expired lease, and the next claimer took the case from its holder.
#[tokio::test]
async fn the_reporters_answer_keeps_a_waiting_case_with_its_holder() {
    let mut options = StackOptions::default();
    options
        .vars
        .push(("CLAIM_LEASE_SECONDS".into(), "2".into()));
    let stack = Stack::start_with(options);
    let token = stack.tokens.specialist.clone();
    let created = stack.claimed_case("u-1", "Upload fails").await;
    stack.reply(&token, created.id, "Send the file?").await;
    stack
        .set_status(&token, created.id, "waiting_on_user")
        .await;
    // The user answers after the lease ran out.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let answered = stack
        .reporter_message("u-1", created.id, "here it is")
        .await;
    expect_status(answered, StatusCode::OK).await;
    assert!(
        stack.claim(&stack.tokens.other_specialist).await.is_none(),
        "the holder keeps the case they were waiting on"
    );
    let case = stack.case_for_team(created.id).await;
    assert_eq!(case.status, CaseStatus::InProgress);
    assert_eq!(case.assignee.unwrap().name, "Sam Specialist");
}
