//! Managing specialists, as the document says: admins only, and a revoked token
//! is no token.

use reqwest::Method;
use serde_json::json;

use super::checker::*;

#[tokio::test]
async fn specialists_are_managed_by_admins_only() {
    use Method as M;
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);

    // Managing specialists: admins only.
    let admin = |method: Method, path: &str| stack.with_token(&tokens.admin, method, path);
    let listed = api
        .expect(200, "/v1/specialists", admin(M::GET, "/v1/specialists"))
        .await;
    assert_eq!(listed.body["specialists"].as_array().map(Vec::len), Some(4));
    api.expect(
        403,
        "/v1/specialists",
        stack.with_token(&tokens.lead, M::GET, "/v1/specialists"),
    )
    .await;
    api.expect(
        401,
        "/v1/specialists",
        stack.http.get(stack.url("/v1/specialists")),
    )
    .await;
    let hire = json!({ "name": "Nia New", "role": "lead" });
    let hired = api
        .expect(
            201,
            "/v1/specialists",
            admin(M::POST, "/v1/specialists").json(&hire),
        )
        .await;
    let hired_id = hired.body["specialist"]["id"].as_i64().expect("an id");
    let hired_token = hired.body["token"].as_str().expect("a token").to_owned();
    let nameless = admin(M::POST, "/v1/specialists").json(&json!({ "name": " ", "role": "lead" }));
    assert_eq!(
        api.expect(422, "/v1/specialists", nameless).await.field(),
        "name"
    );
    let no_such_role =
        admin(M::POST, "/v1/specialists").json(&json!({ "name": "Bo", "role": "boss" }));
    assert_eq!(
        api.expect(400, "/v1/specialists", no_such_role)
            .await
            .field(),
        "role"
    );
    let by_specialist = stack.as_specialist(M::POST, "/v1/specialists").json(&hire);
    api.expect(403, "/v1/specialists", by_specialist).await;
    let revoke_path = format!("/v1/specialists/{hired_id}/revoke");
    api.expect(
        403,
        "/v1/specialists/{id}/revoke",
        stack.as_specialist(M::POST, &revoke_path),
    )
    .await;
    let revoked = api
        .expect(
            200,
            "/v1/specialists/{id}/revoke",
            admin(M::POST, &revoke_path),
        )
        .await;
    assert_eq!(revoked.body, hired.body["specialist"]);
    api.expect(
        404,
        "/v1/specialists/{id}/revoke",
        admin(M::POST, &revoke_path),
    )
    .await;
    api.expect(
        404,
        "/v1/specialists/{id}/revoke",
        admin(M::POST, "/v1/specialists/abc/revoke"),
    )
    .await;
    api.expect(
        401,
        "/v1/specialists/{id}/revoke",
        stack.http.post(stack.url(&revoke_path)),
    )
    .await;
    // A revoked token is no token: 401 with WWW-Authenticate.
    let revoked_token = stack.with_token(&hired_token, M::POST, "/v1/queue/claim");
    let refused = api.expect(401, "/v1/queue/claim", revoked_token).await;
    assert!(refused.headers.contains_key("www-authenticate"));
    assert_eq!(refused.status, 401);

    api.assert_every_operation_succeeded(&["specialists"]);
}
