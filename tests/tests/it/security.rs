//! Who may see and do what: tokens, roles, signed reporter identities, and
//! hostile input treated as data.

use helpline_shared::api::{MyCases, SpecialistCreated, SpecialistList};
use helpline_shared::events::CaseEventKind;
use helpline_shared::identity;
use helpline_shared::lifecycle::CaseStatus;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{case_body, error_of, expect_json};
use helpline_tests::{Stack, StackOptions};

#[tokio::test]
async fn specialist_routes_refuse_missing_wrong_and_revoked_tokens() {
    let stack = Stack::start();
    let anonymous = stack.http.get(stack.url("/v1/queue")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(anonymous).await.error.code, "unauthorized");

    for (path, method) in [
        ("/v1/queue", Method::GET),
        ("/v1/queue/claim", Method::POST),
        ("/v1/cases/1/reply", Method::POST),
    ] {
        let wrong = stack
            .with_token("hl_not-a-real-token", method, path)
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let not_bearer = stack
        .http
        .get(stack.url("/v1/queue"))
        .header(
            "Authorization",
            format!("Basic {}", stack.tokens.specialist),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(not_bearer.status(), StatusCode::UNAUTHORIZED);

    let hired = stack.hire("Temp", "specialist").await;
    let works = stack
        .with_token(&hired.token, Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap();
    assert_eq!(works.status(), StatusCode::OK);
    let revoke = stack
        .with_token(
            &stack.tokens.admin,
            Method::POST,
            &format!("/v1/specialists/{}/revoke", hired.specialist.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let revoked = stack
        .with_token(&hired.token, Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn roles_are_checked_on_every_admin_route_and_case_action() {
    let stack = Stack::start();
    for token in [&stack.tokens.specialist, &stack.tokens.lead] {
        let hire = stack
            .with_token(token, Method::POST, "/v1/specialists")
            .json(&json!({ "name": "Mallory", "role": "admin" }))
            .send()
            .await
            .unwrap();
        assert_eq!(hire.status(), StatusCode::FORBIDDEN);
        let list = stack
            .with_token(token, Method::GET, "/v1/specialists")
            .send()
            .await
            .unwrap();
        assert_eq!(list.status(), StatusCode::FORBIDDEN);
    }
    // Only the holder (or a lead) works on a claimed case.
    let case = stack.create_case("u-1", "Access request stuck").await;
    stack.claim(&stack.tokens.specialist).await.unwrap();
    let intruder = stack
        .act(
            &stack.tokens.other_specialist,
            case.id,
            "reply",
            json!({ "body": "mine now" }),
        )
        .await;
    assert_eq!(intruder.status(), StatusCode::FORBIDDEN);
    let lead = stack
        .act(
            &stack.tokens.lead,
            case.id,
            "reply",
            json!({ "body": "covering for Sam" }),
        )
        .await;
    assert_eq!(lead.status(), StatusCode::OK);
    // A stored token digest, not the token, is what the database holds.
    let tokens_in_view = stack.case_for_team(case.id).await;
    assert!(!serde_json::to_string(&tokens_in_view)
        .unwrap()
        .contains(&stack.tokens.specialist));
}

#[tokio::test]
async fn reporters_need_a_valid_signature_and_see_only_their_own_cases() {
    let stack = Stack::start();
    let mine = stack.create_case("alice", "My export is empty").await;
    stack.create_case("bob", "Bob's problem").await;

    let forged = stack
        .http
        .post(stack.url("/v1/cases"))
        .header("X-Helpline-User", "alice")
        .header(
            "X-Helpline-User-Hash",
            identity::sign("guessed-secret", "alice"),
        )
        .json(&case_body("alice", "forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(forged).await.error.code, "unsigned_user");
    let unsigned = stack
        .http
        .get(stack.url("/v1/cases/mine"))
        .header("X-Helpline-User", "alice")
        .send()
        .await
        .unwrap();
    assert_eq!(
        unsigned.status(),
        StatusCode::UNAUTHORIZED,
        "no demo mode here"
    );

    let listed: MyCases = expect_json(
        stack
            .as_reporter("alice", Method::GET, "/v1/cases/mine")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        listed.cases.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![mine.id]
    );

    for path in [
        format!("/v1/cases/{}", mine.id),
        format!("/v1/cases/{}", mine.reference),
    ] {
        let other = stack
            .as_reporter("bob", Method::GET, &path)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let post_as_bob = stack.reporter_message("bob", mine.id, "let me in").await;
    assert_eq!(post_as_bob.status(), StatusCode::NOT_FOUND);
    // A reporter cannot act as a specialist.
    let reply = stack
        .as_reporter(
            "alice",
            Method::POST,
            &format!("/v1/cases/{}/reply", mine.id),
        )
        .json(&json!({ "body": "resolving myself" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn hostile_input_is_stored_and_returned_verbatim_as_data() {
    let stack = Stack::start();
    let hostile = [
        "<img src=x onerror=alert(1)>",
        "'); DELETE FROM cases; --",
        "\" OR 1=1 --",
        "🔥 数据丢失？ <script>fetch('//evil')</script>",
    ];
    for (n, text) in hostile.iter().enumerate() {
        let user = format!("u-h{n}");
        let created = stack.create_case(&user, text).await;
        let seen = stack.case_for_reporter(&user, created.id).await;
        assert_eq!(seen.description, *text);
    }
    assert!(stack.claim(&stack.tokens.specialist).await.is_some());

    let mut odd_types = case_body("u-odd", "help");
    odd_types["context"] = json!({ "attributes": { "plan": ["not", "a", "string"] } });
    let response = stack
        .as_reporter("u-odd", Method::POST, "/v1/cases")
        .json(&odd_types)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        error_of(response).await.error.field.as_deref(),
        Some("context.attributes.plan")
    );

    let huge_title = json!({
        "title": "t".repeat(10_000), "description": "d", "platform": "ads-console",
        "reporter": { "id": "u-odd" }
    });
    let response = stack
        .as_reporter("u-odd", Method::POST, "/v1/cases")
        .json(&huge_title)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(response).await.error.field.as_deref(),
        Some("title")
    );

    let bad_case_id = stack
        .as_specialist(Method::GET, "/v1/cases/1%20OR%201=1")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_case_id.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_bootstrap_token_only_creates_specialists_and_cors_follows_the_allow_list() {
    let stack = Stack::start_with(StackOptions {
        vars: vec![
            (
                "ADMIN_BOOTSTRAP_TOKEN".into(),
                "bootstrap-secret-0123456789".into(),
            ),
            (
                "ALLOWED_ORIGINS".into(),
                "https://ads.example.com, https://crm.example.com".into(),
            ),
        ],
        ..StackOptions::default()
    });
    let bootstrap =
        |method: Method, path: &str| stack.with_token("bootstrap-secret-0123456789", method, path);
    // The seeded team has an admin: the bootstrap token opens nothing.
    let with_an_admin = bootstrap(Method::POST, "/v1/specialists")
        .json(&json!({ "name": "Mallory", "role": "admin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(with_an_admin.status(), StatusCode::UNAUTHORIZED);
    // A desk whose only admin left: the bootstrap token may create one.
    let team: SpecialistList = expect_json(
        stack
            .with_token(&stack.tokens.admin, Method::GET, "/v1/specialists")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let ada = team
        .specialists
        .iter()
        .find(|s| s.name == "Ada Admin")
        .unwrap();
    let left = stack
        .with_token(
            &stack.tokens.admin,
            Method::POST,
            &format!("/v1/specialists/{}/revoke", ada.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), StatusCode::OK);
    let not_a_specialist = bootstrap(Method::GET, "/v1/queue").send().await.unwrap();
    assert_eq!(
        not_a_specialist.status(),
        StatusCode::FORBIDDEN,
        "bootstrap is not a specialist"
    );
    let first_admin: SpecialistCreated = expect_json(
        stack
            .with_token(
                "bootstrap-secret-0123456789",
                Method::POST,
                "/v1/specialists",
            )
            .json(&json!({ "name": "First Admin", "role": "admin" }))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert!(first_admin.token.starts_with("hl_"));
    let works = stack
        .with_token(&first_admin.token, Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap();
    assert_eq!(works.status(), StatusCode::OK);
    let bootstrap_queue = stack
        .with_token("bootstrap-secret-0123456789", Method::GET, "/v1/queue")
        .send()
        .await
        .unwrap();
    assert_eq!(
        bootstrap_queue.status(),
        StatusCode::UNAUTHORIZED,
        "once an admin exists the bootstrap token has done its one job"
    );

    let preflight = |origin: &'static str| {
        stack
            .http
            .request(Method::OPTIONS, stack.url("/v1/cases"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "content-type, idempotency-key",
            )
            .send()
    };
    let allowed = preflight("https://ads.example.com").await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        allowed.headers()["Access-Control-Allow-Origin"],
        "https://ads.example.com"
    );
    assert!(allowed.headers()["Access-Control-Allow-Headers"]
        .to_str()
        .unwrap()
        .contains("Idempotency-Key"));
    let foreign = preflight("https://evil.example.net").await.unwrap();
    assert!(foreign
        .headers()
        .get("Access-Control-Allow-Origin")
        .is_none());
    let created = stack
        .as_reporter("u-cors", Method::POST, "/v1/cases")
        .header("Origin", "https://crm.example.com")
        .json(&case_body("u-cors", "from another platform"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        created.headers()["Access-Control-Allow-Origin"],
        "https://crm.example.com"
    );
}

/// Once revoking a specialist released only their in-progress cases; the ones
/// waiting on a user or escalated stayed with nobody able to work them.
#[tokio::test]
async fn revoking_a_specialist_returns_every_case_they_held_to_the_queue() {
    let stack = Stack::start();
    let admin = &stack.tokens.admin;
    let hired = stack.hire("Leaving Soon", "specialist").await;
    let token = hired.token.clone();
    let mut held = Vec::new();
    for (n, then) in ["in_progress", "waiting_on_user", "escalated"]
        .iter()
        .enumerate()
    {
        let case = stack
            .create_case(&format!("u-{n}"), &format!("case {n}"))
            .await;
        assert_eq!(stack.claim(&token).await.unwrap().id, case.id);
        match *then {
            "waiting_on_user" => {
                stack
                    .act_ok(
                        &token,
                        case.id,
                        "status",
                        json!({ "status": "waiting_on_user" }),
                    )
                    .await;
            }
            "escalated" => {
                stack
                    .act_ok(
                        &token,
                        case.id,
                        "escalate",
                        json!({ "team": "data", "level": 1, "reason": "replication lag" }),
                    )
                    .await;
            }
            _ => {}
        }
        held.push(case.id);
    }
    let revoke = stack
        .with_token(
            admin,
            Method::POST,
            &format!("/v1/specialists/{}/revoke", hired.specialist.id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    for id in held {
        let case = stack.case_for_team(id).await;
        assert_eq!(case.status, CaseStatus::Queued, "case {id}");
        assert!(case.assignee.is_none(), "case {id}");
        assert!(
            case.events.iter().any(|e| e.kind == CaseEventKind::Released
                && e.body
                    .as_deref()
                    .unwrap_or_default()
                    .contains("Leaving Soon")),
            "case {id}: {:#?}",
            case.events
        );
    }
    // Anyone on shift can take them now.
    assert!(stack.claim(&stack.tokens.specialist).await.is_some());
}

/// Once only the reporter's id was signed: anyone signed in could put a
/// colleague's name and email on a case. A host's identity token now signs
/// them too, and names that only the widget sent are marked unverified.
#[tokio::test]
async fn a_signed_identity_token_vouches_for_name_and_email() {
    use helpline_shared::identity::{sign_token, ReporterClaims};
    let stack = Stack::start();
    let in_ten_minutes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 600;
    let claims = |exp: i64| ReporterClaims {
        sub: "u-dana".into(),
        name: Some("Dana Wu".into()),
        email: Some("dana.wu@example.com".into()),
        exp,
    };
    let token = sign_token(&stack.identity_secret, &claims(in_ten_minutes));
    let mut body = case_body("u-dana", "Export fails");
    body["reporter"]["name"] = json!("The CEO");
    body["reporter"]["email"] = json!("ceo@example.com");
    let send = |token: String, body: serde_json::Value| {
        stack
            .http
            .post(stack.url("/v1/cases"))
            .header("X-Helpline-Token", token)
            .json(&body)
            .send()
    };
    let created: helpline_shared::api::CaseCreated = expect_json(
        send(token.clone(), body.clone()).await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let case = stack.case_for_team(created.id).await;
    assert_eq!(
        case.reporter.name.as_deref(),
        Some("Dana Wu"),
        "the token's name stands"
    );
    assert_eq!(case.reporter.email.as_deref(), Some("dana.wu@example.com"));
    assert!(case.reporter.verified);
    let mine = stack
        .http
        .get(stack.url("/v1/cases/mine"))
        .header("X-Helpline-Token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_json::<MyCases>(mine, StatusCode::OK)
            .await
            .cases
            .len(),
        1
    );

    // Only the id signed (the HMAC of existing hosts): kept, but unverified.
    let hmac = stack
        .create_case_from("u-kim", case_body("u-kim", "Slow page"))
        .await;
    let unverified = stack.case_for_team(hmac.id).await;
    assert_eq!(unverified.reporter.name.as_deref(), Some("Dana Wu"));
    assert!(!unverified.reporter.verified);

    for (what, bad) in [
        (
            "expired",
            sign_token(&stack.identity_secret, &claims(in_ten_minutes - 1_200)),
        ),
        (
            "signed by another secret",
            sign_token("not-the-secret", &claims(in_ten_minutes)),
        ),
        ("not a token", "abc.def.ghi".to_string()),
    ] {
        let refused = send(bad, body.clone()).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(
            error_of(refused).await.error.code,
            "unsigned_user",
            "{what}"
        );
    }
    let someone_else = stack
        .http
        .post(stack.url("/v1/cases"))
        .header("X-Helpline-Token", &token)
        .header("X-Helpline-User", "u-kim")
        .json(&case_body("u-kim", "pretending"))
        .send()
        .await
        .unwrap();
    assert_eq!(someone_else.status(), StatusCode::UNAUTHORIZED);
}
