//! The queue, as the document says: pages and filters, the most urgent claimed
//! first, a claim released, the SLA sweep run by hand.

use reqwest::Method;
use serde_json::json;

use super::checker::*;

#[tokio::test]
async fn the_queue_pages_claims_releases_and_sweeps() {
    use Method as M;
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);
    let claim = || stack.with_token(&tokens.specialist, M::POST, "/v1/queue/claim");
    api.expect(204, "/v1/queue/claim", claim()).await;
    let case = api.created(&full_case()).await;

    // A second case, P3, to page the queue and to release.
    let second = api.created(&minimal_case()).await;

    // The queue: pages, filters, bad filters.
    let queue = |query: &str| stack.as_specialist(M::GET, &format!("/v1/queue{query}"));
    let page = api.expect(200, "/v1/queue", queue("?limit=1")).await;
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let last = api
        .expect(
            200,
            "/v1/queue",
            queue(&format!("?limit=1&cursor={cursor}")),
        )
        .await;
    assert_eq!(last.body["cases"][0]["id"], second);
    let filters = "?platform=ads-console&priority=P3&status=queued,in_progress&assignee=none";
    api.expect(200, "/v1/queue", queue(filters)).await;
    let bad_limit = api.expect(422, "/v1/queue", queue("?limit=0")).await;
    assert_eq!(bad_limit.field(), "limit");
    api.expect(401, "/v1/queue", stack.http.get(stack.url("/v1/queue")))
        .await;

    // The most urgent first: the P1 goes to whoever claims first.
    let first = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(first.body["id"], case);
    let reply = json!({ "body": "Looking into it now." });
    // Claim and release the second case.
    let release = |token: &str| stack.with_token(token, M::POST, &case_path(second, "release"));
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], second);
    api.expect(
        403,
        "/v1/cases/{id}/release",
        release(&tokens.other_specialist),
    )
    .await;
    api.expect(
        422,
        "/v1/cases/{id}/release",
        release(&tokens.specialist).header("If-Match", "v1"),
    )
    .await;
    let released = api
        .expect(200, "/v1/cases/{id}/release", release(&tokens.specialist))
        .await;
    assert_eq!(released.body["status"], "queued");
    let again = api
        .expect(409, "/v1/cases/{id}/release", release(&tokens.specialist))
        .await;
    assert_eq!(again.code(), "illegal_transition");
    api.expect(
        404,
        "/v1/cases/{id}/release",
        stack.as_specialist(M::POST, "/v1/cases/999999/release"),
    )
    .await;
    api.expect(
        401,
        "/v1/cases/{id}/release",
        stack.http.post(stack.url(&case_path(second, "release"))),
    )
    .await;
    api.expect(
        409,
        "/v1/cases/{id}/reply",
        stack
            .as_specialist(M::POST, &case_path(second, "reply"))
            .json(&reply),
    )
    .await;
    api.expect(
        401,
        "/v1/cases/{id}/note",
        stack
            .http
            .post(stack.url(&case_path(second, "note")))
            .json(&reply),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}/status",
        stack
            .as_specialist(M::POST, "/v1/cases/999999/status")
            .json(&json!({ "status": "resolved" })),
    )
    .await;

    // The SLA sweep, run by hand: leads only.
    let swept = api
        .expect(
            200,
            "/v1/sla/sweep",
            stack.with_token(&stack.tokens.lead, M::POST, "/v1/sla/sweep"),
        )
        .await;
    assert!(swept.body["warnings"].is_u64() && swept.body["breaches"].is_u64());
    api.expect(
        403,
        "/v1/sla/sweep",
        stack.as_specialist(M::POST, "/v1/sla/sweep"),
    )
    .await;
    api.expect(
        401,
        "/v1/sla/sweep",
        stack.http.post(stack.url("/v1/sla/sweep")),
    )
    .await;

    api.assert_every_operation_succeeded(&["queue"]);
}
