//! Finding a case as a specialist remembers it: by its ref, by who reported
//! it, or by words from it (English by the start of each word and its other
//! forms, Chinese by its characters), open or resolved; page by page; only
//! for the team, and whatever is typed into the box is a query, never syntax.

use helpline_shared::api::FoundCases;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{expect_json, expect_refusal_naming, expect_status};
use helpline_tests::Stack;

/// `GET /v1/cases` with `params` as the seeded specialist: the answer.
async fn search(stack: &Stack, params: &[(&str, &str)]) -> FoundCases {
    let request = stack.as_specialist(Method::GET, "/v1/cases").query(params);
    expect_json(request, StatusCode::OK).await
}

/// The ids of the cases `q` finds, best first.
async fn found(stack: &Stack, q: &str) -> Vec<i64> {
    let page = search(stack, &[("q", q)]).await;
    page.cases.iter().map(|c| c.id).collect()
}

#[tokio::test]
async fn a_case_is_found_by_its_ref_its_reporter_and_its_words() {
    let stack = Stack::start();
    let li = |description: &str, title: &str| {
        json!({
            "title": title,
            "description": description,
            "platform": "ads-console",
            "reporter": { "id": "u-li", "name": "Li Wei", "email": "li.wei@acme.com" }
        })
    };
    // The oldest first, claimed and resolved before the others arrive.
    let export = stack
        .create_case_from(
            "u-li",
            li("It spins, then nothing.", "Export to CSV times out"),
        )
        .await;
    assert_eq!(
        stack.claim_next(&stack.tokens.specialist).await.id,
        export.id
    );
    stack
        .set_status(&stack.tokens.specialist, export.id, "resolved")
        .await;
    let budget = stack
        .create_case_from(
            "u-li",
            li(
                "The daily budget resets to zero after saving.",
                "Campaign budget will not save",
            ),
        )
        .await;
    let chinese = stack
        .create_case_from(
            "u-zhang",
            json!({
                "description": "广告预算无法保存，点击保存后没有反应",
                "platform": "ads-console",
                "reporter": { "id": "u-zhang", "name": "张伟" }
            }),
        )
        .await;

    // By ref, in whatever case it is typed.
    let by_ref = found(&stack, &budget.reference.to_lowercase()).await;
    assert_eq!(by_ref.first(), Some(&budget.id));
    // By words: the start of one, other forms of them; resolved cases too.
    assert_eq!(found(&stack, "budg").await, vec![budget.id]);
    assert_eq!(found(&stack, "saving budgets").await, vec![budget.id]);
    assert_eq!(found(&stack, "exported csv").await, vec![export.id]);
    assert!(
        found(&stack, "budget export").await.is_empty(),
        "every word"
    );
    // Chinese, by its characters, without spaces to cut at.
    assert_eq!(found(&stack, "预算").await, vec![chinese.id]);
    assert_eq!(found(&stack, "保存").await, vec![chinese.id]);
    assert!(
        found(&stack, "预存").await.is_empty(),
        "not two far-apart characters"
    );
    // By the reporter: their email, their name, their id (newest first).
    let mut by_email = found(&stack, "li.wei@acme.com").await;
    by_email.sort();
    assert_eq!(by_email, vec![export.id, budget.id]);
    assert_eq!(found(&stack, "张伟").await, vec![chinese.id]);
    assert_eq!(found(&stack, "u-li").await, vec![budget.id, export.id]);

    // Page by page.
    let first = search(&stack, &[("q", "u-li"), ("limit", "1")]).await;
    assert_eq!(first.cases[0].id, budget.id);
    let cursor = first.next_cursor.expect("a second page");
    let second = search(
        &stack,
        &[("q", "u-li"), ("limit", "1"), ("cursor", &cursor)],
    )
    .await;
    assert_eq!(second.cases[0].id, export.id);
    assert_eq!(second.next_cursor, None, "the last page");
}

#[tokio::test]
async fn searching_is_for_the_team_and_any_text_is_only_words() {
    let stack = Stack::start();
    let case = stack.create_case("u-1", "Report NEAR the end fails").await;

    // Not for reporters, not for anyone unsigned.
    let as_reporter = stack
        .as_reporter("u-1", Method::GET, "/v1/cases")
        .query(&[("q", "report")]);
    expect_status(as_reporter, StatusCode::UNAUTHORIZED).await;
    let anonymous = stack
        .anonymous(Method::GET, "/v1/cases")
        .query(&[("q", "report")]);
    expect_status(anonymous, StatusCode::UNAUTHORIZED).await;

    // A query the field can name.
    for params in [vec![], vec![("q", "   ")], vec![("q", &*"x".repeat(501))]] {
        let request = stack.as_specialist(Method::GET, "/v1/cases").query(&params);
        expect_refusal_naming(request, StatusCode::UNPROCESSABLE_ENTITY, "q").await;
    }
    let deep = stack
        .as_specialist(Method::GET, "/v1/cases")
        .query(&[("q", "report"), ("cursor", "1000")]);
    expect_refusal_naming(deep, StatusCode::UNPROCESSABLE_ENTITY, "cursor").await;

    // FTS5's own syntax, quotes and SQL are words or nothing, never an error.
    for q in [
        "\"",
        "*",
        "NEAR(report fails)",
        "report OR",
        "-report",
        "report^",
        "fails:x",
        "'; DROP TABLE cases; --",
        "(((",
        "AND",
    ] {
        search(&stack, &[("q", q)]).await;
    }
    assert_eq!(found(&stack, "NEAR(report fails)").await, vec![case.id]);
    assert_eq!(found(&stack, "\"report\"").await, vec![case.id]);
}
