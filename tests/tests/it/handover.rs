//! Handing a case to a colleague (`POST /v1/cases/{id}/assign`): by its
//! holder or a lead, to an active specialist, with a note the team keeps and
//! the channel hears; the new holder works it, the old one no longer does,
//! and the reporter sees nothing of it. `GET /v1/team` lists who is there;
//! `POST /v1/shift/end` hands over or releases a whole shift at once.

use helpline_shared::api::{CaseEventView, CaseView, ShiftEnded, ShiftOutcomeKind, SpecialistList};
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{count_events, expect_json, expect_refusal_naming, expect_status};
use helpline_tests::Stack;

fn to(id: i64, note: &str) -> serde_json::Value {
    json!({ "specialist_id": id, "note": note })
}

/// The `assigned` event of `case`'s handover.
fn handover_of(case: &CaseView) -> &CaseEventView {
    case.events
        .iter()
        .find(|e| e.kind == CaseEventKind::Assigned)
        .expect("the handover is recorded")
}

#[tokio::test]
async fn the_holder_hands_a_case_over_with_a_note_the_team_and_channel_keep() {
    let (stack, channel) = Stack::with_channel(200, std::iter::empty()).await;
    let ben = stack.hire("Ben Okafor", "specialist").await;
    let team: SpecialistList = stack.read_as_team("/v1/team").await;
    assert!(
        team.specialists.iter().any(|s| s.id == ben.specialist.id),
        "Ben is on the team"
    );
    let case = stack.claimed_case("u-5", "Payments page is blank").await;
    let waiting = stack
        .set_status(&stack.tokens.specialist, case.id, "waiting_on_user")
        .await;

    let note = "End of my shift. The user expects a call at 9.";
    let handed = stack
        .act_ok(
            &stack.tokens.specialist,
            case.id,
            "assign",
            to(ben.specialist.id, note),
        )
        .await;
    assert_eq!(handed.status, CaseStatus::WaitingOnUser, "where it stood");
    assert_eq!(
        handed.assignee.as_ref().map(|a| a.id),
        Some(ben.specialist.id)
    );
    assert!(handed.version > waiting.version);
    let event = handover_of(&handed);
    assert_eq!(
        event.body.as_deref(),
        Some("to Ben Okafor: End of my shift. The user expects a call at 9.")
    );
    assert!(event.actor.name.is_some(), "who handed it over");

    // Ben works it now; the one who handed it over no longer does.
    stack.reply(&ben.token, case.id, "Calling you at 9.").await;
    let late = stack
        .write(&stack.tokens.specialist, case.id, "note", "one more thing")
        .await;
    assert_eq!(
        late.status(),
        StatusCode::OK,
        "notes are for any specialist"
    );
    let reply = stack
        .write(&stack.tokens.specialist, case.id, "reply", "me again")
        .await;
    expect_status(reply, StatusCode::FORBIDDEN).await;

    // The reporter sees the answer, not the handover.
    let theirs: CaseView = stack.case_for_reporter("u-5", case.id).await;
    assert_eq!(count_events(&theirs, CaseEventKind::Assigned), 0);

    // The channel is told who handed what to whom.
    let told = channel.exactly("handed_over", 1).await;
    let text = told[0]["text"].as_str().unwrap();
    assert!(text.contains(&case.reference), "{text}");
    assert!(
        text.contains("handed it to Ben Okafor: End of my shift."),
        "{text}"
    );
}

#[tokio::test]
async fn only_the_holder_or_a_lead_hands_over_and_only_to_an_active_colleague() {
    let stack = Stack::start();
    let ben = stack.hire("Ben Okafor", "specialist").await;
    let gone = stack.hire("Gone Home", "specialist").await;
    stack.revoke(gone.specialist.id).await;
    let case = stack.claimed_case("u-6", "Cannot export leads").await;
    let specialist = &stack.tokens.specialist;

    // Not to a revoked colleague, an unknown one, or the holder; the id is
    // required; a note within the limit.
    let holder = case.assignee.as_ref().expect("held").id;
    for body in [
        to(gone.specialist.id, "bye"),
        to(999_999, "bye"),
        to(holder, "to myself"),
    ] {
        let refused = stack.act(specialist, case.id, "assign", body).await;
        expect_refusal_naming(refused, StatusCode::UNPROCESSABLE_ENTITY, "specialist_id").await;
    }
    let nobody = json!({ "note": "to nobody" });
    let refused = stack.act(specialist, case.id, "assign", nobody).await;
    expect_refusal_naming(refused, StatusCode::BAD_REQUEST, "specialist_id").await;
    let long = to(ben.specialist.id, &"x".repeat(8_001));
    let refused = stack.act(specialist, case.id, "assign", long).await;
    expect_refusal_naming(refused, StatusCode::UNPROCESSABLE_ENTITY, "note").await;

    // Not by another specialist, nor by a reporter or nobody.
    let other = &stack.tokens.other_specialist;
    let refused = stack
        .act(other, case.id, "assign", to(ben.specialist.id, "mine now"))
        .await;
    expect_status(refused, StatusCode::FORBIDDEN).await;
    let path = format!("/v1/cases/{}/assign", case.id);
    let as_reporter = stack
        .as_reporter("u-6", Method::POST, &path)
        .json(&to(ben.specialist.id, "x"));
    expect_status(as_reporter, StatusCode::UNAUTHORIZED).await;
    for path in [path.as_str(), "/v1/team"] {
        let method = if path == "/v1/team" {
            Method::GET
        } else {
            Method::POST
        };
        expect_status(stack.anonymous(method, path), StatusCode::UNAUTHORIZED).await;
    }

    // A stale version is a conflict, as for every action.
    let stale = stack
        .with_token(specialist, Method::POST, &path)
        .header("If-Match", format!("\"{}\"", case.version - 1))
        .json(&to(ben.specialist.id, "x"));
    expect_status(stale, StatusCode::CONFLICT).await;

    // A lead hands out a queued case; nobody hands over a resolved one.
    let queued = stack.create_case("u-7", "Billing address wrong").await;
    let lead = &stack.tokens.lead;
    let refused = stack
        .act(specialist, queued.id, "assign", to(ben.specialist.id, ""))
        .await;
    expect_status(refused, StatusCode::FORBIDDEN).await;
    let handed_out = stack
        .act_ok(
            lead,
            queued.id,
            "assign",
            json!({ "specialist_id": ben.specialist.id }),
        )
        .await;
    assert_eq!(handed_out.status, CaseStatus::InProgress);
    assert_eq!(handed_out.assignee.map(|a| a.id), Some(ben.specialist.id));
    stack.set_status(specialist, case.id, "resolved").await;
    let refused = stack
        .act(lead, case.id, "assign", to(ben.specialist.id, ""))
        .await;
    let body: serde_json::Value = expect_json(refused, StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "illegal_transition");
}

#[tokio::test]
async fn a_shift_ends_in_one_request_and_the_channel_hears_it_once() {
    let (stack, channel) = Stack::with_channel(200, std::iter::empty()).await;
    let ben = stack.hire("Ben Okafor", "specialist").await;
    let specialist = &stack.tokens.specialist;
    let first = stack.claimed_case("u-21", "Payments page is blank").await;
    let second = stack.claimed_case("u-22", "Invoices missing").await;
    stack
        .set_status(specialist, second.id, "waiting_on_user")
        .await;
    let third = stack.claimed_case("u-23", "Export is slow").await;
    // Someone else's case is refused (it stays theirs), and the rest still go.
    stack.create_case("u-24", "Dashboard colours are off").await;
    let theirs = stack.claim_next(&stack.tokens.other_specialist).await;
    let untouched = stack.create_case("u-25", "Where is the help page?").await;

    let body = json!({
        "note": "Vendor call at 9 for the payments one.",
        "cases": [
            { "case_id": first.id, "to": ben.specialist.id },
            { "case_id": second.id, "to": ben.specialist.id },
            { "case_id": theirs.id },
            { "case_id": third.id },
        ],
    });
    let ended = stack
        .with_token(specialist, Method::POST, "/v1/shift/end")
        .json(&body);
    let ended: ShiftEnded = expect_json(ended, StatusCode::OK).await;
    let outcomes: Vec<_> = ended
        .outcomes
        .iter()
        .map(|o| (o.case_id, o.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (first.id, ShiftOutcomeKind::HandedOver),
            (second.id, ShiftOutcomeKind::HandedOver),
            (theirs.id, ShiftOutcomeKind::Refused),
            (third.id, ShiftOutcomeKind::Released),
        ]
    );
    let refusal = ended.outcomes[2].refusal.as_ref().expect("why it stayed");
    assert_eq!(refusal.code, "forbidden");
    assert!(ended.outcomes[0].refusal.is_none());

    // Where each case is now, and the note with each handover.
    let holder = |case: &CaseView| case.assignee.as_ref().map(|a| a.id);
    let first_now = stack.case_for_team(first.id).await;
    assert_eq!(holder(&first_now), Some(ben.specialist.id));
    let second_now = stack.case_for_team(second.id).await;
    assert_eq!(
        second_now.status,
        CaseStatus::WaitingOnUser,
        "where it stood"
    );
    assert_eq!(holder(&second_now), Some(ben.specialist.id));
    assert_eq!(
        handover_of(&second_now).body.as_deref(),
        Some("to Ben Okafor: Vendor call at 9 for the payments one.")
    );
    let third_now = stack.case_for_team(third.id).await;
    assert_eq!(
        (third_now.status, holder(&third_now)),
        (CaseStatus::Queued, None)
    );
    assert_eq!(
        holder(&stack.case_for_team(theirs.id).await),
        theirs.assignee.as_ref().map(|a| a.id)
    );
    assert!(
        stack.case_for_team(untouched.id).await.assignee.is_none(),
        "not named, not moved"
    );

    // One message for the whole shift, none per case.
    let told = channel.exactly("shift_ended", 1).await;
    let text = told[0]["text"].as_str().unwrap();
    for part in [
        format!(
            "handed over {} to Ben Okafor and {} to Ben Okafor",
            first.reference, second.reference
        ),
        format!("released {} to the queue", third.reference),
        "Vendor call at 9".to_owned(),
    ] {
        assert!(text.contains(&part), "{part} in {text}");
    }
    assert!(!text.contains(&theirs.reference), "{text}");
    assert!(channel.of_kind("handed_over").is_empty());

    // Bad requests name their field; only the team may end a shift.
    for (body, field) in [
        (json!({ "cases": [] }), "cases"),
        (
            json!({ "cases": [{ "case_id": first.id }, { "case_id": first.id }] }),
            "cases",
        ),
    ] {
        let refused = stack
            .with_token(specialist, Method::POST, "/v1/shift/end")
            .json(&body);
        expect_refusal_naming(refused, StatusCode::UNPROCESSABLE_ENTITY, field).await;
    }
    let shapeless = stack
        .with_token(specialist, Method::POST, "/v1/shift/end")
        .json(&json!({ "note": "no cases" }));
    expect_refusal_naming(shapeless, StatusCode::BAD_REQUEST, "cases").await;
    let as_reporter = stack
        .as_reporter("u-21", Method::POST, "/v1/shift/end")
        .json(&body);
    expect_status(as_reporter, StatusCode::UNAUTHORIZED).await;
    let anonymous = stack.anonymous(Method::POST, "/v1/shift/end");
    expect_status(anonymous, StatusCode::UNAUTHORIZED).await;
    let got = stack.anonymous(Method::GET, "/v1/shift/end");
    expect_status(got, StatusCode::METHOD_NOT_ALLOWED).await;
}
