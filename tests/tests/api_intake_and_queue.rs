//! The walking skeleton's API against the real Worker in workerd with local D1:
//! a case goes in through `POST /v1/cases` and comes out of `GET /v1/queue`.

use helpline_shared::api::{CaseCreated, ErrorBody, Queue};
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::Stack;

fn case_body(description: &str) -> serde_json::Value {
    json!({
        "description": description,
        "platform": "ads-console",
        "reporter": { "id": "u-1001", "name": "Dana Wu", "email": "dana.wu@example.com" }
    })
}

async fn error_of(response: reqwest::Response) -> ErrorBody {
    response
        .json::<ErrorBody>()
        .await
        .expect("the one JSON error shape")
}

#[tokio::test]
async fn a_created_case_is_listed_in_the_queue_for_a_specialist() {
    let stack = Stack::start();
    let text =
        "Export CSV fails with 502\nsince 09:00, <b>all</b> campaigns; '; DROP TABLE cases; --";
    let response = stack
        .http
        .post(stack.url("/v1/cases"))
        .json(&case_body(text))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: CaseCreated = response.json().await.unwrap();
    assert!(created.reference.starts_with("HL-"), "{created:?}");
    assert_eq!(created.status, "queued");

    let queue: Queue = stack
        .as_specialist(Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue.specialist.role, "specialist");
    assert_eq!(queue.cases.len(), 1);
    let listed = &queue.cases[0];
    assert_eq!(listed.id, created.id);
    assert_eq!(listed.reference, created.reference);
    // HTML- and SQL-looking text is data: stored and returned verbatim.
    assert_eq!(listed.description, text);
    assert_eq!(listed.title, "Export CSV fails with 502");
    assert_eq!(listed.reporter_name.as_deref(), Some("Dana Wu"));
}

#[tokio::test]
async fn the_queue_lists_oldest_first() {
    let stack = Stack::start();
    let mut refs = Vec::new();
    for n in 0..3 {
        let created: CaseCreated = stack
            .http
            .post(stack.url("/v1/cases"))
            .json(&case_body(&format!("problem number {n}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        refs.push(created.reference);
    }
    let queue: Queue = stack
        .as_specialist(Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: Vec<_> = queue.cases.into_iter().map(|c| c.reference).collect();
    assert_eq!(listed, refs);
}

#[tokio::test]
async fn the_queue_refuses_a_missing_or_wrong_token() {
    let stack = Stack::start();
    let anonymous = stack.http.get(stack.url("/v1/queue")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(anonymous).await.error.code, "unauthorized");

    let wrong = stack
        .http
        .get(stack.url("/v1/queue"))
        .bearer_auth("hl_not-a-real-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let not_bearer = stack
        .http
        .get(stack.url("/v1/queue"))
        .header("Authorization", format!("Basic {}", stack.token))
        .send()
        .await
        .unwrap();
    assert_eq!(not_bearer.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_case_input_is_a_4xx_naming_the_field() {
    let stack = Stack::start();
    let post = |body: reqwest::Body| {
        stack
            .http
            .post(stack.url("/v1/cases"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };

    let empty = post(case_body(" \n ").to_string().into()).await.unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_of(empty).await;
    assert_eq!(body.error.field.as_deref(), Some("description"));
    assert_eq!(body.error.code, "required");

    let mut wrong_type = case_body("help");
    wrong_type["reporter"]["id"] = json!(42);
    let response = post(wrong_type.to_string().into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_of(response).await.error.field.as_deref(),
        Some("reporter.id")
    );

    let response = post("{not json".into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_of(response).await.error.code, "invalid_json");

    let huge = case_body(&"x".repeat(70 * 1024));
    let response = post(huge.to_string().into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_of(response).await.error.code, "too_large");

    let long = case_body(&"y".repeat(9_000));
    let response = post(long.to_string().into()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = error_of(response).await;
    assert_eq!(
        (body.error.code.as_str(), body.error.field.as_deref()),
        ("too_long", Some("description"))
    );

    // Nothing refused was stored.
    let queue: Queue = stack
        .as_specialist(Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(queue.cases.is_empty(), "{:?}", queue.cases);
}

#[tokio::test]
async fn health_unknown_routes_and_wrong_methods_answer_json() {
    let stack = Stack::start();
    let health = stack.http.get(stack.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let health: serde_json::Value = health.json().await.unwrap();
    assert_eq!(health["database"], json!(true));

    let missing = stack
        .http
        .get(stack.url("/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_of(missing).await.error.code, "not_found");

    let wrong_method = stack
        .http
        .delete(stack.url("/v1/cases"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        error_of(wrong_method).await.error.code,
        "method_not_allowed"
    );
}
