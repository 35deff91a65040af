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

use helpline_tests::api::{case_body, expect_status, sla_policy};
use helpline_tests::{join_all, Stack, StackOptions};

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
    stack.claim_next(&token).await;
    let id = waiting_on_user.id;
    stack.reply(&token, id, "Please send the CSV").await;
    // Its clock pauses.
    stack.set_status(&token, id, "waiting_on_user").await;

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
    let by_specialist = stack.as_specialist(Method::POST, "/v1/sla/sweep");
    expect_status(by_specialist, StatusCode::FORBIDDEN).await;
    // Reporters never see the team's SLA bookkeeping.
    assert!(alerts(&stack.case_for_reporter("u-2", unattended.id).await).is_empty());
}

/// Once a sweep read the first 500 cases still missing an alert; cases whose
/// every owed alert was raised stayed first in line forever, and a case that
/// lapsed behind them was never told. Now every owed alert is found by its
/// due time, whatever the backlog.
#[tokio::test]
async fn a_lapsed_backlog_does_not_hide_a_case_that_lapses_later() {
    let mut options = StackOptions::default();
    options
        .vars
        .push(("SLA_POLICY".into(), sla_policy(3_600_000, 3_000)));
    let stack = Stack::start_with(options);
    let backlog = 520;
    for chunk in (0..backlog).collect::<Vec<_>>().chunks(26) {
        let sends = chunk.iter().map(|n| {
            let user = format!("u-{n}");
            stack
                .new_case(&user, &case_body(&user, &format!("backlog case {n}")))
                .send()
        });
        for sent in join_all(sends).await {
            assert_eq!(sent.unwrap().status(), StatusCode::CREATED);
        }
    }
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    assert_eq!(
        stack.sweep().await.breaches,
        backlog,
        "one sweep records every lapsed case's breach"
    );
    assert_eq!(stack.sweep().await, SweepReport::default());

    let late = stack.create_case("u-late", "this one lapses later").await;
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    assert_eq!(stack.sweep().await.breaches, 1);
    assert_eq!(
        alerts(&stack.case_for_team(late.id).await),
        vec![CaseEventKind::SlaBreached]
    );
}

/// The sweep's escalation is a change like any other: a specialist's save of
/// the case as read before it is refused (409) rather than written over it.
#[tokio::test]
async fn a_save_of_what_was_read_before_the_sweep_escalated_is_a_conflict() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![("SLA_POLICY".into(), sla_policy(3_000, 600_000))],
        ..StackOptions::default()
    });
    // A P2: its breach escalates to the leads.
    let case = stack
        .create_case("u-1", "I am locked out of my account")
        .await;
    let read = stack.case_for_team(case.id).await;
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    assert_eq!(stack.sweep().await.breaches, 1);
    let stale = stack
        .with_token(
            &stack.tokens.lead,
            Method::POST,
            &format!("/v1/cases/{}/note", case.id),
        )
        .header("If-Match", format!("\"{}\"", read.version))
        .json(&json!({ "body": "looking into it" }));
    expect_status(stale, StatusCode::CONFLICT).await;
    let now = stack.case_for_team(case.id).await;
    assert!(now.version > read.version);
    assert_eq!(now.escalation.unwrap().team, "support-leads");
    let escalated = now
        .events
        .iter()
        .filter(|e| e.kind == CaseEventKind::Escalated)
        .count();
    assert_eq!(escalated, 1);
    // A second breach (the resolution one, later) does not escalate again or
    // write another escalated event.
    assert_eq!(stack.sweep().await, SweepReport::default());
}
