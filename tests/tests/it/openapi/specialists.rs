//! Managing specialists, as the document says: admins only, and a revoked token
//! is no token.

use reqwest::Method as M;
use serde_json::json;

use super::checker::*;

#[tokio::test]
async fn specialists_are_managed_by_admins_only() {
    let (stack, _channel) = conformance_stack().await;
    let mut api = Api::new(&stack);

    // Managing specialists: admins only.
    let team = "/v1/specialists";
    let admin = |method: M, path: &str| stack.with_token(&stack.tokens.admin, method, path);
    let listed = api.expect(200, team, admin(M::GET, team)).await;
    assert_eq!(listed.body["specialists"].as_array().map(Vec::len), Some(4));
    let by_lead = stack.with_token(&stack.tokens.lead, M::GET, team);
    api.expect(403, team, by_lead).await;
    api.expect(401, team, stack.anonymous(M::GET, team)).await;
    let hire = json!({ "name": "Nia New", "role": "lead" });
    let hired = api
        .expect(201, team, admin(M::POST, team).json(&hire))
        .await;
    let hired_id = hired.body["specialist"]["id"].as_i64().expect("an id");
    let hired_token = hired.body["token"].as_str().expect("a token").to_owned();
    let nameless = admin(M::POST, team).json(&json!({ "name": " ", "role": "lead" }));
    assert_eq!(api.expect(422, team, nameless).await.field(), "name");
    let no_such_role = admin(M::POST, team).json(&json!({ "name": "Bo", "role": "boss" }));
    assert_eq!(api.expect(400, team, no_such_role).await.field(), "role");
    let by_specialist = stack.as_specialist(M::POST, team).json(&hire);
    api.expect(403, team, by_specialist).await;

    // Who is on the team, for every specialist (to hand a case to).
    let colleagues = "/v1/team";
    let listed = api
        .expect(200, colleagues, stack.as_specialist(M::GET, colleagues))
        .await;
    assert_eq!(listed.body["specialists"].as_array().map(Vec::len), Some(5));
    let anonymous = stack.anonymous(M::GET, colleagues);
    api.expect(401, colleagues, anonymous).await;

    let revoke = "/v1/specialists/{id}/revoke";
    let revoke_path = format!("/v1/specialists/{hired_id}/revoke");
    let by_specialist = stack.as_specialist(M::POST, &revoke_path);
    api.expect(403, revoke, by_specialist).await;
    let revoked = api.expect(200, revoke, admin(M::POST, &revoke_path)).await;
    assert_eq!(revoked.body, hired.body["specialist"]);
    // Revoked already, and no specialist at all.
    for path in [revoke_path.as_str(), "/v1/specialists/abc/revoke"] {
        api.expect(404, revoke, admin(M::POST, path)).await;
    }
    let anonymous = stack.anonymous(M::POST, &revoke_path);
    api.expect(401, revoke, anonymous).await;
    // A revoked token is no token: 401 with WWW-Authenticate.
    let revoked_token = stack.with_token(&hired_token, M::POST, "/v1/queue/claim");
    let refused = api.expect(401, "/v1/queue/claim", revoked_token).await;
    assert!(refused.headers.contains_key("www-authenticate"));
    assert_eq!(refused.status, 401);

    api.assert_every_operation_succeeded(&["specialists"]);
}
