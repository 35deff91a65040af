//! The SLA sweep (`POST /v1/sla/sweep`, the same code the cron trigger runs)
//! against the real Worker: a warning when most of the window is used, a
//! breach when it is missed, each recorded exactly once however often the
//! sweep runs, and nothing while the clock is paused. The policy is shrunk to
//! seconds so the test runs in real time.

use std::time::{Duration, Instant};

use helpline_shared::api::{CaseView, SweepReport};
use helpline_shared::events::CaseEventKind;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::sla_policy;
use helpline_tests::{Stack, StackOptions};

fn alerts(case: &CaseView) -> Vec<CaseEventKind> {
    case.events
        .iter()
        .map(|e| e.kind)
        .filter(|k| matches!(k, CaseEventKind::SlaWarning | CaseEventKind::SlaBreached))
        .collect()
}

async fn sleep_until(start: Instant, after: Duration) {
    if let Some(left) = after.checked_sub(start.elapsed()) {
        tokio::time::sleep(left).await;
    }
}

#[tokio::test]
async fn warnings_and_breaches_are_recorded_once_and_not_while_paused() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![
            ("SLA_POLICY".into(), sla_policy(6_000, 30_000)),
            ("SLA_WARN_AT".into(), "0.5".into()),
        ],
        ..StackOptions::default()
    });
    let start = Instant::now();
    let waiting_on_user = stack
        .create_case("u-1", "Waiting for the user's file")
        .await;
    let unattended = stack.create_case("u-2", "Nobody has looked at this").await;
    let token = stack.tokens.specialist.clone();
    stack.claim(&token).await.unwrap();
    stack
        .act(
            &token,
            waiting_on_user.id,
            "reply",
            json!({ "body": "Please send the CSV" }),
        )
        .await;
    let paused = stack
        .act(
            &token,
            waiting_on_user.id,
            "status",
            json!({ "status": "waiting_on_user" }),
        )
        .await;
    assert!(paused.status().is_success());

    stack.sweep().await;
    assert!(
        alerts(&stack.case_for_team(unattended.id).await).is_empty(),
        "too early"
    );

    // Half of the 6 s first-response window: a warning, once.
    sleep_until(start, Duration::from_millis(3_500)).await;
    assert_eq!(stack.sweep().await.warnings, 1);
    assert_eq!(stack.sweep().await, SweepReport::default(), "nothing new");
    assert_eq!(
        alerts(&stack.case_for_team(unattended.id).await),
        vec![CaseEventKind::SlaWarning]
    );

    // Past the window: the breach, once, however many sweeps run.
    sleep_until(start, Duration::from_millis(6_500)).await;
    let report = stack.sweep().await;
    assert_eq!((report.warnings, report.breaches), (0, 1));
    for _ in 0..2 {
        assert_eq!(stack.sweep().await, SweepReport::default());
    }
    let missed = stack.case_for_team(unattended.id).await;
    assert_eq!(
        alerts(&missed),
        vec![CaseEventKind::SlaWarning, CaseEventKind::SlaBreached]
    );
    assert!(missed.sla.unwrap().first_response_breached);
    let breach = missed
        .events
        .iter()
        .find(|e| e.kind == CaseEventKind::SlaBreached)
        .unwrap();
    assert_eq!(breach.actor.kind, "system");

    // The answered case waits on its user: its clock is stopped, nothing is owed.
    assert!(alerts(&stack.case_for_team(waiting_on_user.id).await).is_empty());
    // Only leads run the sweep by hand.
    let by_specialist = stack
        .with_token(&stack.tokens.specialist, Method::POST, "/v1/sla/sweep")
        .send()
        .await
        .unwrap();
    assert_eq!(by_specialist.status(), StatusCode::FORBIDDEN);
    // Reporters never see the team's SLA bookkeeping.
    assert!(alerts(&stack.case_for_reporter("u-2", unattended.id).await).is_empty());
}
