//! Incidents, as the document says: two look-alike cases open one; it is listed,
//! read, answered in one reply and resolved once.

use reqwest::Method as M;
use serde_json::{json, Value};

use super::checker::*;

#[tokio::test]
async fn incidents_open_are_answered_and_resolved() {
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);
    let create = |user: &str, key: Option<&str>, body: &Value| new_case(&stack, user, key, body);

    // Incidents: two look-alike cases (one platform and category) open one.
    let look_alike = |user: &str| {
        json!({
            "description": "Invoices do not load",
            "platform": "billing",
            "category": "invoices",
            "reporter": { "id": user }
        })
    };
    for user in [DANA, ERIK] {
        api.expect(201, "/v1/cases", create(user, None, &look_alike(user)))
            .await;
    }
    let incidents = "/v1/incidents";
    let list = |query: &str| stack.as_specialist(M::GET, &format!("{incidents}{query}"));
    let open = api.expect(200, incidents, list("?status=open")).await;
    let listed = &open.body["incidents"];
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(
        (&listed[0]["signature"], &listed[0]["cases"]),
        (&json!("billing|category:invoices"), &json!(2))
    );
    let incident = listed[0]["id"].as_i64().expect("an id");
    api.expect(200, incidents, list("")).await;
    let bad_status = api.expect(422, incidents, list("?status=maybe")).await;
    assert_eq!(bad_status.field(), "status");
    let as_reporter = stack.as_reporter(DANA, M::GET, incidents);
    assert_eq!(
        api.expect(401, incidents, as_reporter).await.code(),
        "unauthorized"
    );
    let one_incident = "/v1/incidents/{id}";
    let read = |id: &str| stack.as_specialist(M::GET, &format!("{incidents}/{id}"));
    let id = incident.to_string();
    let detail = api.expect(200, one_incident, read(&id)).await;
    assert_eq!(detail.body["cases"].as_array().map(Vec::len), Some(2));
    for missing in ["999999", "abc"] {
        api.expect(404, one_incident, read(missing)).await;
    }
    let anonymous = stack.anonymous(M::GET, &format!("{incidents}/{id}"));
    api.expect(401, one_incident, anonymous).await;

    // One reply to all its cases, by any specialist; then resolved, once.
    let on_incident = |token: &str, id: &str, action: &str, body: Value| {
        stack
            .with_token(token, M::POST, &format!("{incidents}/{id}/{action}"))
            .json(&body)
    };
    let reply_all = "/v1/incidents/{id}/reply";
    let to_all = json!({ "body": "Invoices are failing for everyone; we are on it." });
    let by_other = on_incident(&tokens.other_specialist, &id, "reply", to_all.clone());
    let answered = api.expect(200, reply_all, by_other).await;
    assert_eq!(answered.body, json!({ "replied": 2, "skipped": 0 }));
    let blank = on_incident(&tokens.specialist, &id, "reply", json!({ "body": "  " }));
    assert_eq!(api.expect(422, reply_all, blank).await.field(), "body");
    let misnamed = on_incident(&tokens.specialist, &id, "reply", json!({ "text": "hi" }));
    api.expect(400, reply_all, misnamed).await;
    let elsewhere = on_incident(&tokens.specialist, "999999", "reply", to_all.clone());
    api.expect(404, reply_all, elsewhere).await;
    let nobody = |action: &str, body: &Value| {
        stack
            .anonymous(M::POST, &format!("{incidents}/{id}/{action}"))
            .json(body)
    };
    api.expect(401, reply_all, nobody("reply", &to_all)).await;
    let resolve = "/v1/incidents/{id}/resolve";
    let resolution = json!({ "resolution": "Invoice service restarted" });
    let resolving = on_incident(&tokens.specialist, &id, "resolve", resolution);
    let resolved = api.expect(200, resolve, resolving).await;
    assert_eq!(
        (&resolved.body["status"], &resolved.body["resolved_by"]),
        (&json!("resolved"), &json!("Sam Specialist"))
    );
    let again = on_incident(
        &tokens.specialist,
        &id,
        "resolve",
        json!({ "resolution": null }),
    );
    assert_eq!(api.expect(409, resolve, again).await.code(), "conflict");
    let long = on_incident(
        &tokens.specialist,
        &id,
        "resolve",
        json!({ "resolution": "x".repeat(2001) }),
    );
    assert_eq!(api.expect(422, resolve, long).await.field(), "resolution");
    let elsewhere = on_incident(&tokens.specialist, "999999", "resolve", json!({}));
    api.expect(404, resolve, elsewhere).await;
    api.expect(401, resolve, nobody("resolve", &json!({})))
        .await;
    let closed = api.expect(200, incidents, list("?status=resolved")).await;
    assert_eq!(closed.body["incidents"][0]["id"], incident);

    api.assert_every_operation_succeeded(&["incidents"]);
}
