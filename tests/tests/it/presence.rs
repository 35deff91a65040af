//! Who else has a case open (`POST /v1/cases/{id}/presence`): each
//! specialist's beat answers the others present on that case and whether they
//! are typing, never the caller; only specialists beat; a beat on no case is
//! a 404 and a body without `typing` a 400 naming it.

use helpline_shared::api::CasePresence;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{expect_json, expect_refusal_naming, expect_status};
use helpline_tests::Stack;

fn seen(presence: &CasePresence) -> Vec<(&str, bool)> {
    presence
        .present
        .iter()
        .map(|p| (p.name.as_str(), p.typing))
        .collect()
}

#[tokio::test]
async fn each_specialist_sees_who_else_has_the_case_open_and_who_types() {
    let stack = Stack::start();
    let tokens = &stack.tokens;
    let case = stack.create_case("u-1", "Reports page is blank").await;
    let elsewhere = stack.create_case("u-2", "Cannot upload a logo").await;
    let beat = |token: &str, id: i64, typing: bool| {
        let path = format!("/v1/cases/{id}/presence");
        let beat = stack
            .with_token(token, Method::POST, &path)
            .json(&json!({ "typing": typing }));
        expect_json::<CasePresence>(beat, StatusCode::OK)
    };

    let alone = beat(&tokens.specialist, case.id, false).await;
    assert_eq!(seen(&alone), [], "nobody else yet");
    let kim = beat(&tokens.other_specialist, case.id, true).await;
    assert_eq!(seen(&kim), [("Sam Specialist", false)], "never oneself");
    let sam = beat(&tokens.specialist, case.id, false).await;
    assert_eq!(seen(&sam), [("Kim Specialist", true)]);
    let lee = beat(&tokens.lead, case.id, false).await;
    assert_eq!(
        seen(&lee),
        [("Kim Specialist", true), ("Sam Specialist", false)],
        "those typing first"
    );
    let kim = beat(&tokens.other_specialist, case.id, false).await;
    assert_eq!(
        seen(&kim),
        [("Lee Lead", false), ("Sam Specialist", false)],
        "Kim stopped typing, and sees the others by name"
    );
    let apart = beat(&tokens.admin, elsewhere.id, true).await;
    assert_eq!(seen(&apart), [], "another case is apart");

    let path = format!("/v1/cases/{}/presence", case.id);
    let by_reporter = stack
        .as_reporter("u-1", Method::POST, &path)
        .json(&json!({ "typing": false }));
    expect_status(by_reporter, StatusCode::UNAUTHORIZED).await;
    let without_token = stack
        .anonymous(Method::POST, &path)
        .json(&json!({ "typing": false }));
    expect_status(without_token, StatusCode::UNAUTHORIZED).await;
    let no_case = stack
        .as_specialist(Method::POST, "/v1/cases/999999/presence")
        .json(&json!({ "typing": false }));
    expect_status(no_case, StatusCode::NOT_FOUND).await;
    let no_typing = stack.as_specialist(Method::POST, &path).json(&json!({}));
    expect_refusal_naming(no_typing, StatusCode::BAD_REQUEST, "typing").await;
    let by_get = stack.as_specialist(Method::GET, &path);
    expect_status(by_get, StatusCode::METHOD_NOT_ALLOWED).await;
}
