//! Intake and the queue against the real Worker in workerd with local D1: a
//! case goes in through `POST /v1/cases` exactly once, however often it is
//! retried, and comes out of `GET /v1/queue` in SLA order.

use helpline_shared::api::{CaseCreated, CaseView, Queue, QueueCounts};
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::priority::Priority;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use helpline_tests::api::{
    case_body, error_of, expect_json, expect_refusal, expect_refusal_naming, expect_status,
    Exchange,
};
use helpline_tests::{fresh_minute, join_all, Stack, StackOptions};

#[tokio::test]
async fn a_created_case_is_listed_in_the_queue_for_a_specialist() {
    let stack = Stack::start();
    let text =
        "Export CSV fails with 502\nsince 09:00, <b>all</b> campaigns; '; DROP TABLE cases; --";
    let created = stack.create_case("u-1001", text).await;
    assert!(created.reference.starts_with("HL-"), "{created:?}");
    assert_eq!(created.status, CaseStatus::Queued);

    let listed = stack.queue("").await;
    assert_eq!(listed.specialist.name, "Sam Specialist");
    assert_eq!(listed.cases.len(), 1);
    let entry = &listed.cases[0];
    assert_eq!(
        (entry.id, &entry.reference),
        (created.id, &created.reference)
    );
    assert_eq!(entry.title, "Export CSV fails with 502");
    assert_eq!(
        entry.next_due.as_deref(),
        Some(created.first_response_due.as_str())
    );

    // HTML- and SQL-looking text is data: stored and returned verbatim.
    assert_eq!(stack.case_for_team(created.id).await.description, text);
}

#[tokio::test]
async fn the_queue_is_ordered_by_sla_urgency_and_filters_and_pages() {
    let stack = Stack::start();
    let question = stack
        .create_case("u-1", "How do I share a dashboard?")
        .await; // P3
    let mut urgent_body = case_body("u-2", "Campaign editor is down");
    urgent_body["impact"] = json!("organization");
    urgent_body["urgency"] = json!("blocked");
    let urgent = stack.create_case_from("u-2", urgent_body).await;
    assert_eq!(urgent.priority, Priority::P1);
    let outage = stack.create_case("u-3", "Outage: reports page blank").await; // P1 by text

    let refs = |q: &Queue| q.cases.iter().map(|c| c.id).collect::<Vec<_>>();
    // P1s (15 min to first response) before the P3 (4 h); equal deadlines oldest first.
    assert_eq!(
        refs(&stack.queue("").await),
        vec![urgent.id, outage.id, question.id]
    );
    assert_eq!(refs(&stack.queue("?priority=P3").await), vec![question.id]);
    assert!(stack
        .queue("?platform=other-platform")
        .await
        .cases
        .is_empty());

    let first = stack.queue("?limit=2").await;
    assert_eq!(refs(&first), vec![urgent.id, outage.id]);
    let cursor = first.next_cursor.expect("a second page");
    let second = stack.queue(&format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(refs(&second), vec![question.id]);
    assert_eq!(second.next_cursor, None);

    let bad = stack.as_specialist(Method::GET, "/v1/queue?priority=P9");
    expect_refusal_naming(bad, StatusCode::UNPROCESSABLE_ENTITY, "priority").await;
}

/// A case for each view to tell apart: two held by the seeded specialist
/// (one waiting on the user, one escalated), then a P1 due in 15 minutes and a
/// P3 due in 4 hours, nobody's.
struct OneOfEachView {
    waiting: CaseView,
    escalated: CaseView,
    urgent: CaseCreated,
    later: CaseCreated,
}

async fn one_of_each_view(stack: &Stack) -> OneOfEachView {
    let specialist = &stack.tokens.specialist;
    let waiting = stack
        .claimed_case("u-1", "Where is the export button?")
        .await;
    stack
        .set_status(specialist, waiting.id, "waiting_on_user")
        .await;
    let escalated = stack.claimed_case("u-2", "Totals look wrong").await;
    stack
        .escalate(specialist, escalated.id, "data", 1, "numbers differ")
        .await;
    OneOfEachView {
        waiting,
        escalated,
        urgent: stack.create_case("u-3", "Outage: reports page blank").await,
        later: stack
            .create_case("u-4", "How do I share a dashboard?")
            .await,
    }
}

#[tokio::test]
async fn the_queue_counts_each_view_over_every_page_the_filters_let_through() {
    let stack = Stack::start();
    one_of_each_view(&stack).await;

    let page = stack.queue("?limit=1").await;
    assert_eq!(page.cases.len(), 1, "one case on the page");
    let counts =
        |[all_open, unassigned, mine, breaching_soon, escalated, waiting_on_user]: [i64; 6]| {
            QueueCounts {
                all_open,
                unassigned,
                mine,
                breaching_soon,
                escalated,
                waiting_on_user,
            }
        };
    assert_eq!(
        page.counts,
        counts([4, 2, 2, 1, 1, 1]),
        "over every case, not the page"
    );
    assert_eq!(
        stack.queue("?priority=P3").await.counts,
        counts([3, 1, 2, 0, 1, 1]),
        "over what the filters let through"
    );
    let theirs = stack.with_token(&stack.tokens.other_specialist, Method::GET, "/v1/queue");
    let theirs: Queue = expect_json(theirs, StatusCode::OK).await;
    assert_eq!(theirs.counts.mine, 0, "mine is the caller's");
}

#[tokio::test]
async fn each_view_asks_for_its_own_cases_and_lists_what_it_counts() {
    let stack = Stack::start();
    let OneOfEachView {
        waiting,
        escalated,
        urgent,
        later,
    } = one_of_each_view(&stack).await;

    let ids = |queue: &Queue| queue.cases.iter().map(|c| c.id).collect::<Vec<_>>();
    let everything = stack.queue("").await;
    for (view, expected) in [
        (
            "all_open",
            vec![urgent.id, escalated.id, later.id, waiting.id],
        ),
        ("unassigned", vec![urgent.id, later.id]),
        ("mine", vec![escalated.id, waiting.id]),
        ("breaching_soon", vec![urgent.id]),
        ("escalated", vec![escalated.id]),
        ("waiting_on_user", vec![waiting.id]),
    ] {
        let page = stack.queue(&format!("?view={view}")).await;
        let mut listed = ids(&page);
        listed.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(listed, expected, "{view}");
        // The count beside each view is the size of that view's page.
        let counted = serde_json::to_value(everything.counts).unwrap()[view].clone();
        assert_eq!(counted, json!(page.cases.len()), "{view}");
        assert_eq!(
            page.counts, everything.counts,
            "{view}: counts are the same for every view"
        );
    }
    // A view is narrowed by the filters like any page, and pages on.
    let first = stack.queue("?view=unassigned&limit=1").await;
    assert_eq!(ids(&first), [urgent.id], "the most urgent first");
    let cursor = first.next_cursor.expect("a second page");
    let second = stack
        .queue(&format!("?view=unassigned&limit=1&cursor={cursor}"))
        .await;
    assert_eq!(ids(&second), [later.id]);
    assert!(stack
        .queue("?view=escalated&status=queued")
        .await
        .cases
        .is_empty());
    let bad = stack.as_specialist(Method::GET, "/v1/queue?view=Mine");
    expect_refusal_naming(bad, StatusCode::UNPROCESSABLE_ENTITY, "view").await;
}

#[tokio::test]
async fn an_unchanged_queue_is_a_304_so_consoles_can_ask_every_few_seconds() {
    let stack = Stack::start();
    stack.create_case("u-301", "Dashboard is blank").await;
    let queue = || stack.as_specialist(Method::GET, "/v1/queue");
    let first = expect_status(queue(), StatusCode::OK).await;
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    let asked = |tag: &str| queue().header("If-None-Match", tag);
    let same = expect_status(asked(&tag), StatusCode::NOT_MODIFIED).await;
    assert_eq!(same.headers()["etag"], tag.as_str());
    assert!(same.bytes().await.unwrap().is_empty(), "no body");
    expect_status(asked(&format!("W/{tag}")), StatusCode::NOT_MODIFIED).await;

    // Any change to what the page shows is a new page, with a new tag.
    stack
        .create_case("u-302", "Export button does nothing")
        .await;
    let changed = expect_status(asked(&tag), StatusCode::OK).await;
    assert_ne!(changed.headers()["etag"], tag.as_str());
    let page: Queue = changed.json().await.unwrap();
    assert_eq!(page.cases.len(), 2);
    // Another caller's page is their own: it names them.
    let other = stack
        .with_token(&stack.tokens.lead, Method::GET, "/v1/queue")
        .header("If-None-Match", page_tag(&stack).await);
    expect_status(other, StatusCode::OK).await;
}

/// The tag of the seeded specialist's queue now.
async fn page_tag(stack: &Stack) -> String {
    let page = stack.as_specialist(Method::GET, "/v1/queue");
    let page = expect_status(page, StatusCode::OK).await;
    page.headers()["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_retried_create_returns_the_same_case_and_a_reused_key_is_a_conflict() {
    let stack = Stack::start();
    let send = |description: &str| {
        stack
            .new_case("u-7", &case_body("u-7", description))
            .header("Idempotency-Key", "draft-1")
    };
    let first: CaseCreated = expect_json(send("SSO loop"), StatusCode::CREATED).await;
    let again: CaseCreated = expect_json(send("SSO loop"), StatusCode::OK).await;
    assert_eq!(first, again);
    let reused = expect_refusal(send("A different problem"), StatusCode::CONFLICT).await;
    assert_eq!(reused.error.code, "idempotency_conflict");
}

#[tokio::test]
async fn twenty_concurrent_sends_of_one_draft_make_one_case() {
    let stack = Stack::start();
    let sends = (0..20).map(|_| {
        stack
            .new_case("u-8", &case_body("u-8", "Upload stuck at 0%"))
            .header("Idempotency-Key", "flaky-network-draft")
            .send()
    });
    let responses = join_all(sends).await;
    let mut ids = Vec::new();
    let mut created = 0;
    for response in responses {
        let response = response.unwrap();
        let status = response.status();
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "{status}"
        );
        created += usize::from(status == StatusCode::CREATED);
        ids.push(response.json::<CaseCreated>().await.unwrap().id);
    }
    assert_eq!(created, 1, "exactly one send created the case");
    ids.dedup();
    assert_eq!(ids.len(), 1, "every send answered with the same case");
    assert_eq!(stack.queue("").await.cases.len(), 1);
}

#[tokio::test]
async fn too_many_new_cases_are_refused_with_retry_after() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![("CASES_PER_REPORTER_PER_MINUTE".into(), "3".into())],
        ..StackOptions::default()
    });
    for n in 0..3 {
        stack.create_case("u-9", &format!("problem {n}")).await;
    }
    let one_too_many = stack.new_case("u-9", &case_body("u-9", "one too many"));
    let response = expect_status(one_too_many, StatusCode::TOO_MANY_REQUESTS).await;
    let retry_after: u32 = response.headers()["Retry-After"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(error_of(response).await.error.code, "rate_limited");
    // Another reporter is not held back by the first one's limit.
    stack.create_case("u-10", "my own problem").await;
}

/// Sends a new case as `user_id` and returns the status it got.
async fn send_new(stack: &Stack, user_id: &str, n: usize) -> StatusCode {
    let body = case_body(user_id, &format!("problem number {n}"));
    stack.new_case(user_id, &body).answer().await.status()
}

#[tokio::test]
async fn one_noisy_reporter_does_not_lock_out_colleagues_behind_the_same_address() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![
            ("CASES_PER_REPORTER_PER_MINUTE".into(), "3".into()),
            ("CASES_PER_IP_PER_MINUTE".into(), "6".into()),
        ],
        ..StackOptions::default()
    });
    fresh_minute().await;
    let mut created = 0;
    for n in 0..12 {
        created += usize::from(send_new(&stack, "u-noisy", n).await == StatusCode::CREATED);
    }
    assert_eq!(created, 3, "the reporter's own limit holds");
    // Nine refused attempts did not count against the address: a colleague
    // gets the address's remaining three.
    for n in 0..3 {
        assert_eq!(
            send_new(&stack, "u-colleague", n).await,
            StatusCode::CREATED,
            "colleague's case {n}"
        );
    }
    // Now the address is full: a third colleague is refused by it.
    assert_eq!(
        send_new(&stack, "u-third", 0).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        send_new(&stack, "u-third", 1).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_long_status_filter_is_folded_or_refused_naming_the_field() {
    let stack = Stack::start();
    stack.create_case("u-1", "queued case").await;
    let folded = stack.queue("?status=queued,queued,queued").await;
    assert_eq!(folded.cases.len(), 1);
    let long = vec!["queued"; 300].join(",");
    let too_long = stack.as_specialist(Method::GET, &format!("/v1/queue?status={long}"));
    expect_refusal_naming(too_long, StatusCode::UNPROCESSABLE_ENTITY, "status").await;
}

#[tokio::test]
async fn a_chunked_body_is_refused_as_soon_as_it_passes_the_limit() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let stack = Stack::start();
    let url = stack.url("/v1/cases");
    let address = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    let user = "u-chunked";
    let head = format!(
        "POST /v1/cases HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nX-Helpline-User: {user}\r\nX-Helpline-User-Hash: {}\r\n\r\n",
        helpline_shared::identity::sign(&stack.identity_secret, user)
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    // 80 KB in chunks, no Content-Length, and the body never ends: a Worker
    // that read it whole before checking would never answer.
    let chunk = "x".repeat(8 * 1024);
    for _ in 0..10 {
        let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
        socket.write_all(framed.as_bytes()).await.unwrap();
    }
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(std::time::Duration::from_secs(30), socket.read(&mut answer))
        .await
        .expect("an answer before the body ends")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn bad_case_input_is_a_4xx_naming_the_field() {
    let stack = Stack::start();
    let post = |body: String| {
        stack
            .as_reporter("u-1001", Method::POST, "/v1/cases")
            .header("Content-Type", "application/json")
            .body(body)
    };

    let mut wrong_type = case_body("u-1001", "help");
    wrong_type["reporter"]["id"] = json!(42);
    let mut bad_impact = case_body("u-1001", "help");
    bad_impact["impact"] = json!("galactic");
    let mut bad_url = case_body("u-1001", "help");
    bad_url["context"] = json!({ "url": "javascript:alert(1)" });
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    // What is sent, the refusal, and its code and field where the test names them.
    let refusals = [
        (
            "a blank description",
            case_body("u-1001", " \n ").to_string(),
            unprocessable,
            Some("required"),
            Some("description"),
        ),
        (
            "a number for an id",
            wrong_type.to_string(),
            StatusCode::BAD_REQUEST,
            None,
            Some("reporter.id"),
        ),
        (
            "an unknown impact",
            bad_impact.to_string(),
            StatusCode::BAD_REQUEST,
            None,
            Some("impact"),
        ),
        (
            "a script URL",
            bad_url.to_string(),
            unprocessable,
            None,
            Some("context.url"),
        ),
        (
            "someone else's id",
            case_body("u-2002", "pretending").to_string(),
            unprocessable,
            None,
            Some("reporter.id"),
        ),
        (
            "no JSON",
            "{not json".into(),
            StatusCode::BAD_REQUEST,
            Some("invalid_json"),
            None,
        ),
        (
            "70 KB",
            case_body("u-1001", &"x".repeat(70 * 1024)).to_string(),
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("too_large"),
            None,
        ),
        (
            "a too long description",
            case_body("u-1001", &"y".repeat(9_000)).to_string(),
            unprocessable,
            Some("too_long"),
            Some("description"),
        ),
    ];
    for (what, body, status, code, field) in refusals {
        let refusal = expect_refusal(post(body), status).await;
        if let Some(code) = code {
            assert_eq!(refusal.error.code, code, "{what}");
        }
        if let Some(field) = field {
            assert_eq!(refusal.error.field.as_deref(), Some(field), "{what}");
        }
    }

    // Nothing refused was stored.
    assert!(stack.queue("").await.cases.is_empty());
}

#[tokio::test]
async fn health_unknown_routes_and_wrong_methods_answer_json() {
    let stack = Stack::start();
    let health: Value = expect_json(stack.anonymous(Method::GET, "/healthz"), StatusCode::OK).await;
    assert_eq!(health["database"], json!(true));

    let missing = stack.anonymous(Method::GET, "/v1/nothing-here");
    let missing = expect_refusal(missing, StatusCode::NOT_FOUND).await;
    assert_eq!(missing.error.code, "not_found");

    let wrong_method = stack.anonymous(Method::DELETE, "/v1/cases");
    let wrong_method = expect_status(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
    assert_eq!(wrong_method.headers()["allow"], "GET, POST");
    assert_eq!(
        error_of(wrong_method).await.error.code,
        "method_not_allowed"
    );
}
