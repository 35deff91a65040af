//! Malfunction detection against the real Worker: a burst of look-alike cases
//! (same platform and category, or the same error on the page) opens exactly
//! one incident, even when they arrive at once; later look-alikes join it,
//! unrelated cases do not; specialists answer all its cases at once and
//! resolve it.

use std::time::Duration;

use helpline_shared::api::{IncidentDetail, IncidentList, IncidentReplied, IncidentView};
use helpline_shared::events::CaseEventKind;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use helpline_tests::api::{
    count_events, error_of, expect_json, expect_refusal_naming, expect_status,
};
use helpline_tests::{eventually, join_all, Stack};

fn body(user: &str, platform: &str, category: &str, description: &str) -> Value {
    json!({
        "description": description,
        "platform": platform,
        "category": category,
        "reporter": { "id": user },
    })
}

/// The Worker var by which `threshold` look-alikes within 15 minutes open
/// an incident.
fn malfunction_rule(threshold: u32) -> (&'static str, String) {
    let rule = json!({ "threshold": threshold, "window_minutes": 15 });
    ("MALFUNCTION_RULE", rule.to_string())
}

/// Sends a new case as `user` and returns its id.
async fn send(stack: &Stack, user: &str, platform: &str, category: &str, description: &str) -> i64 {
    let case = body(user, platform, category, description);
    stack.create_case_from(user, case).await.id
}

async fn incidents(stack: &Stack, query: &str) -> Vec<IncidentView> {
    let list: IncidentList = stack.read_as_team(&format!("/v1/incidents{query}")).await;
    list.incidents
}

async fn detail(stack: &Stack, id: i64) -> IncidentDetail {
    stack.read_as_team(&format!("/v1/incidents/{id}")).await
}

#[tokio::test]
async fn a_burst_opens_one_incident_that_look_alikes_join_and_a_specialist_closes() {
    let (stack, receiver) = Stack::with_channel(200, [malfunction_rule(5)]).await;

    // Unrelated cases first: another category, another platform.
    send(&stack, "u-a", "billing", "exports", "CSV export is empty").await;
    send(&stack, "u-b", "crm", "invoices", "Invoice page is slow").await;
    // Four look-alikes: below the threshold, nothing opens.
    for i in 0..4 {
        let user = format!("u-{i}");
        send(&stack, &user, "billing", "invoices", "Invoices do not load").await;
    }
    assert!(incidents(&stack, "").await.is_empty());

    // Five more at once: exactly one incident opens and takes the burst.
    let burst = (4..9).map(|i| {
        let user = format!("u-{i}");
        stack
            .new_case(
                &user,
                &body(&user, "billing", "invoices", "Invoice list fails"),
            )
            .send()
    });
    for sent in join_all(burst).await {
        assert_eq!(sent.unwrap().status(), StatusCode::CREATED);
    }
    let open = incidents(&stack, "?status=open").await;
    assert_eq!(open.len(), 1, "{open:#?}");
    let incident = &open[0];
    assert_eq!(incident.platform, "billing");
    assert_eq!(incident.signature, "billing|category:invoices");
    assert_eq!(incident.cases, 9);

    // A later look-alike joins; an unrelated case does not.
    let late = send(&stack, "u-9", "billing", "invoices", "Still broken").await;
    send(&stack, "u-c", "billing", "exports", "Export again").await;
    let joined = detail(&stack, incident.id).await;
    assert_eq!(joined.incident.cases, 10);
    assert!(joined.cases.iter().any(|c| c.id == late));
    assert!(joined
        .cases
        .iter()
        .all(|c| c.platform == "billing" && c.category.as_deref() == Some("invoices")));

    // The channel hears of the incident once.
    eventually(
        "the incident notification",
        Duration::from_secs(20),
        || async { (!receiver.of_kind("incident").is_empty()).then_some(()) },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let told = receiver.of_kind("incident");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["helpline"]["incident_id"], incident.id);

    // One answer to every case, which each reporter sees.
    let reply = |body: &str| {
        stack
            .as_specialist(
                Method::POST,
                &format!("/v1/incidents/{}/reply", incident.id),
            )
            .json(&json!({ "body": body }))
    };
    let replied: IncidentReplied = expect_json(
        reply("Invoices are failing for everyone; we are on it."),
        StatusCode::OK,
    )
    .await;
    assert_eq!((replied.replied, replied.skipped), (10, 0));
    let seen = stack.case_for_reporter("u-9", late).await;
    assert!(seen
        .events
        .iter()
        .any(|e| e.kind == CaseEventKind::Replied
            && e.body.as_deref().unwrap_or("").contains("on it")));
    expect_refusal_naming(reply("  "), StatusCode::UNPROCESSABLE_ENTITY, "body").await;

    // Resolve once; a second resolve is a conflict.
    let resolve = || {
        stack
            .as_specialist(
                Method::POST,
                &format!("/v1/incidents/{}/resolve", incident.id),
            )
            .json(&json!({ "resolution": "Invoice service restarted" }))
    };
    let resolved: IncidentView = expect_json(resolve(), StatusCode::OK).await;
    assert_eq!(resolved.status, "resolved");
    assert_eq!(resolved.resolved_by.as_deref(), Some("Sam Specialist"));
    expect_status(resolve(), StatusCode::CONFLICT).await;
    assert!(incidents(&stack, "?status=open").await.is_empty());
    assert_eq!(incidents(&stack, "?status=resolved").await.len(), 1);
    let bad = stack.as_specialist(Method::GET, "/v1/incidents?status=maybe");
    assert_eq!(error_of(bad).await.error.field.as_deref(), Some("status"));
    // Reporters have no access to incidents.
    let as_reporter = stack.as_reporter("u-1", Method::GET, "/v1/incidents");
    expect_status(as_reporter, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn the_same_error_on_the_page_groups_cases_across_categories() {
    let stack = Stack::start_with_vars([malfunction_rule(3)]);
    for (i, record) in [1041, 2203, 77].iter().enumerate() {
        let user = format!("u-{i}");
        let mut case = body(
            &user,
            "crm",
            if i == 0 { "contacts" } else { "deals" },
            "Page broke",
        );
        case["context"] = json!({
            "recent_errors": [{ "message": format!("TypeError: record {record} has no owner") }]
        });
        stack.create_case_from(&user, case).await;
    }
    let open = incidents(&stack, "").await;
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0].signature,
        "crm|error:typeerror: record # has no owner"
    );
    assert_eq!(open[0].cases, 3);
}

/// Once a retried incident reply answered every case again (and could stop
/// half-way, two D1 calls a case). Now one Idempotency-Key reaches each case
/// once, and a retry gets the first answer back.
#[tokio::test]
async fn a_retried_incident_reply_reaches_each_case_once() {
    let stack = Stack::start_with_vars([malfunction_rule(3)]);
    let mut ids = Vec::new();
    for i in 0..40 {
        let user = format!("u-{i}");
        ids.push(send(&stack, &user, "billing", "invoices", "Invoices fail").await);
    }
    let incident = incidents(&stack, "?status=open").await[0].id;
    let reply = |key: &'static str| {
        stack
            .as_specialist(Method::POST, &format!("/v1/incidents/{incident}/reply"))
            .header("Idempotency-Key", key)
            .json(&json!({ "body": "We are restarting the invoice service." }))
    };
    let first: IncidentReplied = expect_json(reply("reply-1"), StatusCode::OK).await;
    assert_eq!((first.replied, first.skipped), (40, 0));
    let again: IncidentReplied = expect_json(reply("reply-1"), StatusCode::OK).await;
    assert_eq!(
        (again.replied, again.skipped),
        (40, 0),
        "the first answer, replayed"
    );
    for id in [ids[0], ids[17], ids[39]] {
        let case = stack.case_for_team(id).await;
        assert_eq!(count_events(&case, CaseEventKind::Replied), 1, "case {id}");
        assert!(case.sla.unwrap().first_response_at.is_some());
    }
}
