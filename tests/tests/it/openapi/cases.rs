//! Cases, as the document says: health, intake (new, replayed, conflicting, unsigned,
//! malformed, oversized, invalid), what the reporter sees, one case worked from
//! claim to close, and what answers outside the operations.

use std::collections::BTreeSet;

use reqwest::header::CONTENT_TYPE;
use reqwest::Method as M;
use serde_json::{json, Value};

use helpline_tests::api::case_body;

use super::checker::*;

#[tokio::test]
async fn cases_and_what_their_reporter_sees() {
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);

    // Health, and an empty queue: nothing to claim.
    let healthz = stack.anonymous(M::GET, "/healthz");
    let health = api.expect(200, "/healthz", healthz).await;
    assert_eq!(health.body, json!({ "ok": true, "database": true }));
    let claim = || stack.with_token(&tokens.specialist, M::POST, "/v1/queue/claim");
    api.expect(204, "/v1/queue/claim", claim()).await;

    // Intake: new, replayed, conflicting, unsigned, malformed, oversized, invalid.
    let cases = "/v1/cases";
    let create = |user: &str, key: Option<&str>, body: &Value| new_case(&stack, user, key, body);
    let created = api
        .expect(201, cases, create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(created.body["priority"], "P1");
    let case = created.body["id"].as_i64().expect("an id");
    let reference = created.body["ref"].as_str().expect("a ref").to_owned();
    let replayed = api
        .expect(200, cases, create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(replayed.body, created.body);
    let mut changed = full_case();
    changed["description"] = json!("Something else entirely");
    let reused = api
        .expect(409, cases, create(DANA, Some("oa-1"), &changed))
        .await;
    assert_eq!(reused.code(), "idempotency_conflict");
    let unsigned = stack.anonymous(M::POST, cases).json(&full_case());
    assert_eq!(
        api.expect(401, cases, unsigned).await.code(),
        "unsigned_user"
    );
    let not_json = stack
        .as_reporter(DANA, M::POST, cases)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"description\": ");
    assert_eq!(
        api.expect(400, cases, not_json).await.code(),
        "invalid_json"
    );
    let mut wrong_type = case_body(DANA, "x");
    wrong_type["reporter"]["id"] = json!(7);
    let wrong_type = api
        .expect(400, cases, create(DANA, None, &wrong_type))
        .await;
    assert_eq!(
        (wrong_type.code(), wrong_type.field()),
        ("invalid_body", "reporter.id")
    );
    let huge = create(DANA, None, &case_body(DANA, &"x".repeat(70 * 1024)));
    assert_eq!(api.expect(413, cases, huge).await.code(), "too_large");
    let blank = create(DANA, None, &case_body(DANA, "   "));
    let blank = api.expect(422, cases, blank).await;
    assert_eq!((blank.code(), blank.field()), ("required", "description"));
    let someone_else = create(DANA, None, &case_body(ERIK, "x"));
    assert_eq!(
        api.expect(422, cases, someone_else).await.field(),
        "reporter.id"
    );
    let bad_key = create(DANA, Some("has space"), &full_case());
    assert_eq!(
        api.expect(422, cases, bad_key).await.field(),
        "Idempotency-Key"
    );
    // A second case, P3, to page the queue and to release.
    let second = api.created(&minimal_case()).await;

    // What the reporter sees.
    let mine = "/v1/cases/mine";
    let listed = api
        .expect(200, mine, stack.as_reporter(DANA, M::GET, mine))
        .await;
    assert_eq!(listed.body["cases"].as_array().map(Vec::len), Some(2));
    let forged = stack
        .anonymous(M::GET, mine)
        .header("X-Helpline-User", DANA)
        .header("X-Helpline-User-Hash", "00".repeat(32));
    assert_eq!(api.expect(401, mine, forged).await.code(), "unsigned_user");
    let one = "/v1/cases/{id}";
    let path = case_path(case, "");
    let own = api
        .expect(200, one, stack.as_reporter(DANA, M::GET, &path))
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
    api.expect(200, one, stack.as_reporter(DANA, M::GET, &by_ref))
        .await;
    // Another reporter's case, and none at all, are not found.
    for not_found in [
        stack.as_reporter(ERIK, M::GET, &path),
        stack.as_specialist(M::GET, "/v1/cases/999999"),
        stack.as_specialist(M::GET, "/v1/cases/nope"),
    ] {
        api.expect(404, one, not_found).await;
    }
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &path);
    assert_eq!(api.expect(401, one, bad_token).await.code(), "unauthorized");
    let nobody = stack.anonymous(M::GET, &path);
    assert_eq!(api.expect(401, one, nobody).await.code(), "unsigned_user");

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
    let reply_op = "/v1/cases/{id}/reply";
    let reply = json!({ "body": "Looking into it now." });
    let at_version = act(&tokens.specialist, "reply", reply.clone())
        .header("If-Match", format!("\"{version}\""));
    let replied = api.expect(200, reply_op, at_version).await;
    assert!(replied.body["sla"]["first_response_at"].is_string());
    let stale = act(&tokens.specialist, "reply", reply.clone())
        .header("If-Match", format!("\"{version}\""));
    assert_eq!(
        api.expect(409, reply_op, stale).await.code(),
        "stale_version"
    );
    let garbled = act(&tokens.specialist, "reply", reply.clone()).header("If-Match", "yesterday");
    assert_eq!(api.expect(422, reply_op, garbled).await.field(), "If-Match");
    let not_holder = act(&tokens.other_specialist, "reply", reply.clone());
    assert_eq!(
        api.expect(403, reply_op, not_holder).await.code(),
        "forbidden"
    );
    let empty = act(&tokens.specialist, "reply", json!({ "body": "" }));
    assert_eq!(api.expect(422, reply_op, empty).await.field(), "body");
    let misnamed = act(&tokens.specialist, "reply", json!({ "text": "hi" }));
    assert_eq!(api.expect(400, reply_op, misnamed).await.field(), "body");
    let long = act(
        &tokens.specialist,
        "reply",
        json!({ "body": "x".repeat(70 * 1024) }),
    );
    api.expect(413, reply_op, long).await;
    let anonymous = stack
        .anonymous(M::POST, &case_path(case, "reply"))
        .json(&reply);
    api.expect(401, reply_op, anonymous).await;
    let missing = stack
        .with_token(&tokens.specialist, M::POST, "/v1/cases/999999/reply")
        .json(&reply);
    api.expect(404, reply_op, missing).await;
    // Who else has the case open: the holder sees a colleague typing.
    let presence_op = "/v1/cases/{id}/presence";
    let beat = |token: &str, typing: bool| act(token, "presence", json!({ "typing": typing }));
    api.expect(200, presence_op, beat(&tokens.other_specialist, true))
        .await;
    let seen = api
        .expect(200, presence_op, beat(&tokens.specialist, false))
        .await;
    assert_eq!(seen.body["present"][0]["typing"], true, "{}", seen.body);
    let untyped = act(&tokens.specialist, "presence", json!({}));
    assert_eq!(
        api.expect(400, presence_op, untyped).await.field(),
        "typing"
    );
    // Any specialist may leave a note.
    let note = json!({ "body": "Seen this before: CDN." });
    let noted = act(&tokens.other_specialist, "note", note);
    let noted = api.expect(200, "/v1/cases/{id}/note", noted).await;
    assert!(noted.body["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["kind"] == "noted")));
    let status = "/v1/cases/{id}/status";
    let set_status = |to: &str| act(&tokens.specialist, "status", json!({ "status": to }));
    api.expect(200, status, set_status("waiting_on_user")).await;
    api.expect(400, status, set_status("lost")).await;
    let to_queue = api.expect(409, status, set_status("queued")).await;
    assert_eq!(to_queue.code(), "illegal_transition");

    // The reporter answers, which puts the case back in progress.
    let messages = "/v1/cases/{id}/messages";
    let say = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "messages"))
            .json(&body)
    };
    let message = json!({ "body": "It still fails, screenshot attached." });
    let answered = api
        .expect(200, messages, say(DANA, case, message.clone()))
        .await;
    assert_eq!(answered.body["status"], "in_progress");
    assert!(
        answered.body.get("assignee").is_none(),
        "reporters do not see the assignee"
    );
    // Not Erik's case; blank, not text, too long.
    for (status, user, body) in [
        (404, ERIK, message.clone()),
        (422, DANA, json!({ "body": " " })),
        (400, DANA, json!({ "body": 1 })),
        (413, DANA, json!({ "body": "x".repeat(70 * 1024) })),
    ] {
        api.expect(status, messages, say(user, case, body)).await;
    }
    let unsigned = stack
        .anonymous(M::POST, &case_path(case, "messages"))
        .json(&message);
    api.expect(401, messages, unsigned).await;
    let stale = say(DANA, case, message.clone()).header("If-Match", "\"1\"");
    let stale = api.expect(409, messages, stale).await;
    assert_eq!(stale.code(), "stale_version");

    // Escalated to a team and level of the policy, resolved, rated and so closed.
    let policy = "/v1/escalation/policy";
    let teams = stack.as_specialist(M::GET, policy);
    let teams = api.expect(200, policy, teams).await;
    let data = teams
        .items("teams")
        .find(|team| team["key"] == "data")
        .expect("the data team in the default policy");
    assert_eq!(data["levels"][1]["holder"], "Team lead");
    let as_reporter = stack.as_reporter(DANA, M::GET, policy);
    api.expect(401, policy, as_reporter).await;
    let escalate = "/v1/cases/{id}/escalate";
    let escalation = json!({ "team": "data", "level": 2, "reason": "502 from the export service" });
    let escalating = act(&tokens.specialist, "escalate", escalation.clone());
    let escalated = api.expect(200, escalate, escalating).await;
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
        assert_eq!(api.expect(422, escalate, outside).await.field(), field);
    }
    let incomplete = act(&tokens.specialist, "escalate", json!({ "team": "exports" }));
    api.expect(400, escalate, incomplete).await;
    let not_holder = act(&tokens.other_specialist, "escalate", escalation);
    api.expect(403, escalate, not_holder).await;

    // Handed to the lead with a note, and back by the lead.
    let assign = "/v1/cases/{id}/assign";
    let holder = escalated.body["assignee"]["id"].clone();
    let team = stack.as_specialist(M::GET, "/v1/team");
    let team = api.expect(200, "/v1/team", team).await;
    let lead = team
        .items("specialists")
        .find(|s| s["role"] == "lead")
        .map(|s| s["id"].clone())
        .expect("a lead on the team");
    let to_lead = json!({ "specialist_id": lead, "note": "Over to you while I am out" });
    let handed = api
        .expect(200, assign, act(&tokens.specialist, "assign", to_lead))
        .await;
    assert_eq!(handed.body["assignee"]["id"], lead);
    let nobody = act(&tokens.lead, "assign", json!({ "specialist_id": 999_999 }));
    assert_eq!(
        api.expect(422, assign, nobody).await.field(),
        "specialist_id"
    );
    let back = act(&tokens.lead, "assign", json!({ "specialist_id": holder }));
    api.expect(200, assign, back).await;
    api.expect(200, status, set_status("resolved")).await;
    let feedback = "/v1/cases/{id}/feedback";
    let rate = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "feedback"))
            .json(&body)
    };
    let rating = json!({ "rating": 5, "comment": "Quick and clear, thanks!" });
    let closed = api
        .expect(200, feedback, rate(DANA, case, rating.clone()))
        .await;
    assert_eq!(
        (
            closed.body["status"].as_str(),
            closed.body["rating"].as_u64()
        ),
        (Some("closed"), Some(5))
    );
    let again = rate(DANA, case, rating.clone());
    assert_eq!(api.expect(409, feedback, again).await.code(), "conflict");
    let after_close = api.expect(409, messages, say(DANA, case, message)).await;
    assert_eq!(after_close.code(), "illegal_transition");
    let out_of_range = rate(DANA, second, json!({ "rating": 9 }));
    assert_eq!(
        api.expect(422, feedback, out_of_range).await.field(),
        "rating"
    );
    let still_open = rate(DANA, second, json!({ "rating": 4 }));
    assert_eq!(
        api.expect(409, feedback, still_open).await.code(),
        "illegal_transition"
    );
    // Not a rating at all, and not Erik's case.
    for (status, user, body) in [
        (400, DANA, json!({ "rating": 300 })),
        (404, ERIK, json!({ "rating": 4 })),
    ] {
        api.expect(status, feedback, rate(user, second, body)).await;
    }
    let unsigned = stack
        .anonymous(M::POST, &case_path(second, "feedback"))
        .json(&rating);
    api.expect(401, feedback, unsigned).await;
    let long = rate(
        DANA,
        second,
        json!({ "rating": 4, "comment": "x".repeat(70 * 1024) }),
    );
    api.expect(413, feedback, long).await;
    let whole = api
        .expect(200, one, stack.as_specialist(M::GET, &path))
        .await;
    let kinds: BTreeSet<&str> = whole.texts("events", "kind").into_iter().collect();
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

    // The end of a shift: the second case claimed again and handed to the
    // lead in one request; a request naming no case names its field.
    api.expect(200, "/v1/queue/claim", claim()).await;
    let end_shift = |body: Value| {
        stack
            .with_token(&tokens.specialist, M::POST, "/v1/shift/end")
            .json(&body)
    };
    let shift = json!({ "cases": [{ "case_id": second, "to": lead }], "note": "Night shift next" });
    let ended = api.expect(200, "/v1/shift/end", end_shift(shift)).await;
    assert_eq!(ended.texts("outcomes", "outcome"), ["handed_over"]);
    let empty = end_shift(json!({ "cases": [] }));
    assert_eq!(
        api.expect(422, "/v1/shift/end", empty).await.field(),
        "cases"
    );

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
