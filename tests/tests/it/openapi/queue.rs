//! The queue, as the document says: pages and filters, a case found by ref
//! and words, the most urgent claimed first, a claim released, the SLA sweep run by hand.

use reqwest::Method as M;
use serde_json::json;

use super::checker::*;

#[tokio::test]
async fn the_queue_pages_claims_releases_and_sweeps() {
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
    let tag = page.headers["etag"].to_str().expect("an ETag").to_owned();
    let unchanged = queue("?limit=1").header("If-None-Match", tag);
    api.expect(304, "/v1/queue", unchanged).await;
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let next_page = queue(&format!("?limit=1&cursor={cursor}"));
    let last = api.expect(200, "/v1/queue", next_page).await;
    assert_eq!(last.body["cases"][0]["id"], second);
    let filters = "?platform=ads-console&priority=P3&status=queued,in_progress&assignee=none";
    api.expect(200, "/v1/queue", queue(filters)).await;
    let bad_limit = api.expect(422, "/v1/queue", queue("?limit=0")).await;
    assert_eq!(bad_limit.field(), "limit");
    let anonymous = stack.anonymous(M::GET, "/v1/queue");
    api.expect(401, "/v1/queue", anonymous).await;

    // Finding a case: by ref, by words, page by page; a blank query named.
    let search = |query: &str| stack.as_specialist(M::GET, &format!("/v1/cases{query}"));
    let by_ref = format!(
        "?q={}",
        page.body["cases"][0]["ref"].as_str().expect("a ref")
    );
    api.expect(200, "/v1/cases", search(&by_ref)).await;
    api.expect(200, "/v1/cases", search("?q=exports")).await;
    let by_reporter = format!("?q={DANA}&limit=1");
    let first_page = api.expect(200, "/v1/cases", search(&by_reporter)).await;
    let cursor = first_page.body["next_cursor"]
        .as_str()
        .expect("a next page");
    let next_page = format!("?q={DANA}&cursor={cursor}");
    api.expect(200, "/v1/cases", search(&next_page)).await;
    let blank = api.expect(422, "/v1/cases", search("?q=%20")).await;
    assert_eq!(blank.field(), "q");
    let anonymous = stack.anonymous(M::GET, "/v1/cases?q=exports");
    api.expect(401, "/v1/cases", anonymous).await;

    // The most urgent first: the P1 goes to whoever claims first.
    let first = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(first.body["id"], case);
    let reply = json!({ "body": "Looking into it now." });
    // Claim and release the second case.
    let release = "/v1/cases/{id}/release";
    let release_path = case_path(second, "release");
    let release_as = |token: &str| stack.with_token(token, M::POST, &release_path);
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], second);
    api.expect(403, release, release_as(&tokens.other_specialist))
        .await;
    let garbled = release_as(&tokens.specialist).header("If-Match", "v1");
    api.expect(422, release, garbled).await;
    let released = api
        .expect(200, release, release_as(&tokens.specialist))
        .await;
    assert_eq!(released.body["status"], "queued");
    let again = api
        .expect(409, release, release_as(&tokens.specialist))
        .await;
    assert_eq!(again.code(), "illegal_transition");
    let missing = stack.as_specialist(M::POST, "/v1/cases/999999/release");
    api.expect(404, release, missing).await;
    api.expect(401, release, stack.anonymous(M::POST, &release_path))
        .await;
    // What a released case and nobody may do to it.
    let not_held = stack
        .as_specialist(M::POST, &case_path(second, "reply"))
        .json(&reply);
    api.expect(409, "/v1/cases/{id}/reply", not_held).await;
    let nobody = stack
        .anonymous(M::POST, &case_path(second, "note"))
        .json(&reply);
    api.expect(401, "/v1/cases/{id}/note", nobody).await;
    let missing = stack
        .as_specialist(M::POST, "/v1/cases/999999/status")
        .json(&json!({ "status": "resolved" }));
    api.expect(404, "/v1/cases/{id}/status", missing).await;

    // The SLA sweep, run by hand: leads only.
    let sweep = "/v1/sla/sweep";
    let by_lead = stack.with_token(&tokens.lead, M::POST, sweep);
    let swept = api.expect(200, sweep, by_lead).await;
    assert!(swept.body["warnings"].is_u64() && swept.body["breaches"].is_u64());
    api.expect(403, sweep, stack.as_specialist(M::POST, sweep))
        .await;
    api.expect(401, sweep, stack.anonymous(M::POST, sweep))
        .await;

    api.assert_every_operation_succeeded(&["queue"]);
}
