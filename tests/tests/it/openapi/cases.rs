//! Cases, as the document says: health, intake (new, replayed, conflicting, unsigned,
//! malformed, oversized, invalid), what the reporter sees, one case worked from
//! claim to close, and what answers outside the operations.

use std::collections::BTreeSet;

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use serde_json::{json, Value};

use helpline_tests::api::case_body;

use super::checker::*;

#[tokio::test]
async fn cases_and_what_their_reporter_sees() {
    use Method as M;
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);

    // Health, and an empty queue: nothing to claim.
    let health = api
        .expect(200, "/healthz", stack.http.get(stack.url("/healthz")))
        .await;
    assert_eq!(health.body, json!({ "ok": true, "database": true }));
    let claim = || stack.with_token(&tokens.specialist, M::POST, "/v1/queue/claim");
    api.expect(204, "/v1/queue/claim", claim()).await;

    // Intake: new, replayed, conflicting, unsigned, malformed, oversized, invalid.
    let create = |user: &str, key: Option<&str>, body: &Value| new_case(&stack, user, key, body);
    let created = api
        .expect(201, "/v1/cases", create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(created.body["priority"], "P1");
    let case = created.body["id"].as_i64().expect("an id");
    let reference = created.body["ref"].as_str().expect("a ref").to_owned();
    let replayed = api
        .expect(200, "/v1/cases", create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(replayed.body, created.body);
    let mut changed = full_case();
    changed["description"] = json!("Something else entirely");
    let reused = api
        .expect(409, "/v1/cases", create(DANA, Some("oa-1"), &changed))
        .await;
    assert_eq!(reused.code(), "idempotency_conflict");
    let unsigned = stack.http.post(stack.url("/v1/cases")).json(&full_case());
    assert_eq!(
        api.expect(401, "/v1/cases", unsigned).await.code(),
        "unsigned_user"
    );
    let not_json = stack
        .as_reporter(DANA, M::POST, "/v1/cases")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"description\": ");
    assert_eq!(
        api.expect(400, "/v1/cases", not_json).await.code(),
        "invalid_json"
    );
    let mut wrong_type = case_body(DANA, "x");
    wrong_type["reporter"]["id"] = json!(7);
    let wrong_type = api
        .expect(400, "/v1/cases", create(DANA, None, &wrong_type))
        .await;
    assert_eq!(
        (wrong_type.code(), wrong_type.field()),
        ("invalid_body", "reporter.id")
    );
    let huge = case_body(DANA, &"x".repeat(70 * 1024));
    assert_eq!(
        api.expect(413, "/v1/cases", create(DANA, None, &huge))
            .await
            .code(),
        "too_large"
    );
    let blank = api
        .expect(
            422,
            "/v1/cases",
            create(DANA, None, &case_body(DANA, "   ")),
        )
        .await;
    assert_eq!((blank.code(), blank.field()), ("required", "description"));
    let someone_else = api
        .expect(422, "/v1/cases", create(DANA, None, &case_body(ERIK, "x")))
        .await;
    assert_eq!(someone_else.field(), "reporter.id");
    let bad_key = api
        .expect(
            422,
            "/v1/cases",
            create(DANA, Some("has space"), &full_case()),
        )
        .await;
    assert_eq!(bad_key.field(), "Idempotency-Key");
    // A second case, P3, to page the queue and to release.
    let second = api.created(&minimal_case()).await;

    // What the reporter sees.
    let mine = api
        .expect(
            200,
            "/v1/cases/mine",
            stack.as_reporter(DANA, M::GET, "/v1/cases/mine"),
        )
        .await;
    assert_eq!(mine.body["cases"].as_array().map(Vec::len), Some(2));
    let forged = stack
        .http
        .get(stack.url("/v1/cases/mine"))
        .header("X-Helpline-User", DANA)
        .header("X-Helpline-User-Hash", "00".repeat(32));
    assert_eq!(
        api.expect(401, "/v1/cases/mine", forged).await.code(),
        "unsigned_user"
    );
    let own = api
        .expect(
            200,
            "/v1/cases/{id}",
            stack.as_reporter(DANA, M::GET, &case_path(case, "")),
        )
        .await;
    assert!(
        own.body.get("sla").is_none(),
        "the team's internals stay with the team"
    );
    assert_eq!(
        own.headers["etag"].to_str().ok(),
        Some(format!("\"{}\"", own.body["version"]).as_str())
    );
    let by_ref = format!("/v1/cases/{reference}");
    api.expect(
        200,
        "/v1/cases/{id}",
        stack.as_reporter(DANA, M::GET, &by_ref),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_reporter(ERIK, M::GET, &case_path(case, "")),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_specialist(M::GET, "/v1/cases/999999"),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_specialist(M::GET, "/v1/cases/nope"),
    )
    .await;
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &case_path(case, ""));
    assert_eq!(
        api.expect(401, "/v1/cases/{id}", bad_token).await.code(),
        "unauthorized"
    );
    let nobody = stack.http.get(stack.url(&case_path(case, "")));
    assert_eq!(
        api.expect(401, "/v1/cases/{id}", nobody).await.code(),
        "unsigned_user"
    );

    // A specialist works the P1 case from claim to close.
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], case);
    assert!(claimed.body["sla"].is_object() && claimed.body["assignee"].is_object());
    let version = claimed.body["version"].to_string();
    let act = |token: &str, action: &str, body: Value| {
        stack
            .with_token(token, M::POST, &case_path(case, action))
            .json(&body)
    };
    let reply = json!({ "body": "Looking into it now." });
    let replied = api
        .expect(
            200,
            "/v1/cases/{id}/reply",
            act(&tokens.specialist, "reply", reply.clone())
                .header("If-Match", format!("\"{version}\"")),
        )
        .await;
    assert!(replied.body["sla"]["first_response_at"].is_string());
    let stale = act(&tokens.specialist, "reply", reply.clone())
        .header("If-Match", format!("\"{version}\""));
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/reply", stale).await.code(),
        "stale_version"
    );
    let garbled = act(&tokens.specialist, "reply", reply.clone()).header("If-Match", "yesterday");
    assert_eq!(
        api.expect(422, "/v1/cases/{id}/reply", garbled)
            .await
            .field(),
        "If-Match"
    );
    let not_holder = api
        .expect(
            403,
            "/v1/cases/{id}/reply",
            act(&tokens.other_specialist, "reply", reply.clone()),
        )
        .await;
    assert_eq!(not_holder.code(), "forbidden");
    let empty = api
        .expect(
            422,
            "/v1/cases/{id}/reply",
            act(&tokens.specialist, "reply", json!({ "body": "" })),
        )
        .await;
    assert_eq!(empty.field(), "body");
    let misnamed = act(&tokens.specialist, "reply", json!({ "text": "hi" }));
    assert_eq!(
        api.expect(400, "/v1/cases/{id}/reply", misnamed)
            .await
            .field(),
        "body"
    );
    let long = act(
        &tokens.specialist,
        "reply",
        json!({ "body": "x".repeat(70 * 1024) }),
    );
    api.expect(413, "/v1/cases/{id}/reply", long).await;
    let anonymous = stack
        .http
        .post(stack.url(&case_path(case, "reply")))
        .json(&reply);
    api.expect(401, "/v1/cases/{id}/reply", anonymous).await;
    let missing = stack
        .with_token(&tokens.specialist, M::POST, "/v1/cases/999999/reply")
        .json(&reply);
    api.expect(404, "/v1/cases/{id}/reply", missing).await;
    // Any specialist may leave a note.
    let noted = api
        .expect(
            200,
            "/v1/cases/{id}/note",
            act(
                &tokens.other_specialist,
                "note",
                json!({ "body": "Seen this before: CDN." }),
            ),
        )
        .await;
    assert!(noted.body["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["kind"] == "noted")));
    let waiting = act(
        &tokens.specialist,
        "status",
        json!({ "status": "waiting_on_user" }),
    );
    api.expect(200, "/v1/cases/{id}/status", waiting).await;
    let unknown_status = act(&tokens.specialist, "status", json!({ "status": "lost" }));
    api.expect(400, "/v1/cases/{id}/status", unknown_status)
        .await;
    let to_queue = act(&tokens.specialist, "status", json!({ "status": "queued" }));
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/status", to_queue)
            .await
            .code(),
        "illegal_transition"
    );

    // The reporter answers, which puts the case back in progress.
    let say = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "messages"))
            .json(&body)
    };
    let message = json!({ "body": "It still fails, screenshot attached." });
    let answered = api
        .expect(
            200,
            "/v1/cases/{id}/messages",
            say(DANA, case, message.clone()),
        )
        .await;
    assert_eq!(answered.body["status"], "in_progress");
    assert!(
        answered.body.get("assignee").is_none(),
        "reporters do not see the assignee"
    );
    api.expect(
        404,
        "/v1/cases/{id}/messages",
        say(ERIK, case, message.clone()),
    )
    .await;
    api.expect(
        422,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": " " })),
    )
    .await;
    api.expect(
        400,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": 1 })),
    )
    .await;
    api.expect(
        413,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": "x".repeat(70 * 1024) })),
    )
    .await;
    let unsigned = stack
        .http
        .post(stack.url(&case_path(case, "messages")))
        .json(&message);
    api.expect(401, "/v1/cases/{id}/messages", unsigned).await;
    let stale = say(DANA, case, message.clone()).header("If-Match", "\"1\"");
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/messages", stale)
            .await
            .code(),
        "stale_version"
    );

    // Escalated to a team and level of the policy, resolved, rated and so closed.
    let policy_path = "/v1/escalation/policy";
    let policy = api
        .expect(200, policy_path, stack.as_specialist(M::GET, policy_path))
        .await;
    let data = policy.body["teams"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|team| team["key"] == "data")
        .expect("the data team in the default policy");
    assert_eq!(data["levels"][1]["holder"], "Team lead");
    api.expect(
        401,
        policy_path,
        stack.as_reporter(DANA, M::GET, policy_path),
    )
    .await;
    let escalation = json!({ "team": "data", "level": 2, "reason": "502 from the export service" });
    let escalated = api
        .expect(
            200,
            "/v1/cases/{id}/escalate",
            act(&tokens.specialist, "escalate", escalation.clone()),
        )
        .await;
    let landed = &escalated.body["escalation"];
    assert_eq!(
        (&landed["level"], &landed["team_name"], &landed["holder"]),
        (&json!(2), &json!("Data"), &json!("Team lead"))
    );
    for (team, level, field) in [("data", 9, "level"), ("sales", 1, "team")] {
        let outside = act(
            &tokens.specialist,
            "escalate",
            json!({ "team": team, "level": level, "reason": "r" }),
        );
        assert_eq!(
            api.expect(422, "/v1/cases/{id}/escalate", outside)
                .await
                .field(),
            field
        );
    }
    api.expect(
        400,
        "/v1/cases/{id}/escalate",
        act(&tokens.specialist, "escalate", json!({ "team": "exports" })),
    )
    .await;
    api.expect(
        403,
        "/v1/cases/{id}/escalate",
        act(&tokens.other_specialist, "escalate", escalation),
    )
    .await;
    let resolved = act(
        &tokens.specialist,
        "status",
        json!({ "status": "resolved" }),
    );
    api.expect(200, "/v1/cases/{id}/status", resolved).await;
    let rate = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "feedback"))
            .json(&body)
    };
    let rating = json!({ "rating": 5, "comment": "Quick and clear, thanks!" });
    let closed = api
        .expect(
            200,
            "/v1/cases/{id}/feedback",
            rate(DANA, case, rating.clone()),
        )
        .await;
    assert_eq!(
        (
            closed.body["status"].as_str(),
            closed.body["rating"].as_u64()
        ),
        (Some("closed"), Some(5))
    );
    assert_eq!(
        api.expect(
            409,
            "/v1/cases/{id}/feedback",
            rate(DANA, case, rating.clone())
        )
        .await
        .code(),
        "conflict"
    );
    let after_close = api
        .expect(409, "/v1/cases/{id}/messages", say(DANA, case, message))
        .await;
    assert_eq!(after_close.code(), "illegal_transition");
    assert_eq!(
        api.expect(
            422,
            "/v1/cases/{id}/feedback",
            rate(DANA, second, json!({ "rating": 9 }))
        )
        .await
        .field(),
        "rating"
    );
    assert_eq!(
        api.expect(
            409,
            "/v1/cases/{id}/feedback",
            rate(DANA, second, json!({ "rating": 4 }))
        )
        .await
        .code(),
        "illegal_transition"
    );
    api.expect(
        400,
        "/v1/cases/{id}/feedback",
        rate(DANA, second, json!({ "rating": 300 })),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}/feedback",
        rate(ERIK, second, json!({ "rating": 4 })),
    )
    .await;
    let unsigned = stack
        .http
        .post(stack.url(&case_path(second, "feedback")))
        .json(&rating);
    api.expect(401, "/v1/cases/{id}/feedback", unsigned).await;
    api.expect(
        413,
        "/v1/cases/{id}/feedback",
        rate(
            DANA,
            second,
            json!({ "rating": 4, "comment": "x".repeat(70 * 1024) }),
        ),
    )
    .await;
    let whole = api
        .expect(
            200,
            "/v1/cases/{id}",
            stack.as_specialist(M::GET, &case_path(case, "")),
        )
        .await;
    let kinds: BTreeSet<&str> = whole.body["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.is_superset(&BTreeSet::from([
            "created",
            "claimed",
            "replied",
            "noted",
            "escalated",
            "feedback"
        ])),
        "{kinds:?}"
    );

    // With the P1 closed, the second case is next; released, it is queued again.
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], second);
    let release = stack.with_token(&tokens.specialist, M::POST, &case_path(second, "release"));
    let released = api.expect(200, "/v1/cases/{id}/release", release).await;
    assert_eq!(released.body["status"], "queued");

    // Outside the operations: a wrong method and an unknown path answer with
    // the documented error responses too.
    let doc = doc();
    for (method, path, status, response) in [
        (M::DELETE, "/v1/cases", 405, "MethodNotAllowed"),
        (M::GET, "/v1/queue/claim", 405, "MethodNotAllowed"),
        (
            M::DELETE,
            "/v1/sop/articles/sso-loop",
            405,
            "MethodNotAllowed",
        ),
        (M::PUT, "/v1/sop/index", 405, "MethodNotAllowed"),
        (M::GET, "/v1/nothing-here", 404, "NotFound"),
    ] {
        let answer = stack
            .as_specialist(method.clone(), path)
            .send()
            .await
            .expect("an answer");
        assert_eq!(answer.status().as_u16(), status, "{method} {path}");
        let headers = answer.headers().clone();
        let bytes = answer.bytes().await.expect("a body");
        let documented = &doc["components"]["responses"][response];
        check_response(
            &doc,
            documented,
            &headers,
            &bytes,
            &format!("{method} {path}"),
        );
    }

    api.assert_every_operation_succeeded(&["health", "reporter", "cases"]);
}
