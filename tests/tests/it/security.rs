//! Who may see and do what: tokens, roles, signed reporter identities, and
//! hostile input treated as data.

use helpline_shared::api::{MyCases, SpecialistCreated, SpecialistList};
use helpline_shared::events::CaseEventKind;
use helpline_shared::identity;
use helpline_shared::lifecycle::CaseStatus;
use reqwest::{Method, StatusCode};
use serde_json::json;

use helpline_tests::api::{
    case_body, error_of, expect_json, expect_refusal, expect_refusal_naming, expect_status,
    Exchange,
};
use helpline_tests::{Stack, StackOptions};

#[tokio::test]
async fn specialist_routes_refuse_missing_wrong_and_revoked_tokens() {
    let stack = Stack::start();
    let anonymous = stack.anonymous(Method::GET, "/v1/queue");
    let refusal = expect_refusal(anonymous, StatusCode::UNAUTHORIZED).await;
    assert_eq!(refusal.error.code, "unauthorized");

    for (path, method) in [
        ("/v1/queue", Method::GET),
        ("/v1/queue/claim", Method::POST),
        ("/v1/cases/1/reply", Method::POST),
    ] {
        let wrong = stack.with_token("hl_not-a-real-token", method, path);
        expect_status(wrong, StatusCode::UNAUTHORIZED).await;
    }
    let not_bearer = stack.anonymous(Method::GET, "/v1/queue").header(
        "Authorization",
        format!("Basic {}", stack.tokens.specialist),
    );
    expect_status(not_bearer, StatusCode::UNAUTHORIZED).await;

    let hired = stack.hire("Temp", "specialist").await;
    let queue_as_hired = || stack.with_token(&hired.token, Method::GET, "/v1/queue");
    expect_status(queue_as_hired(), StatusCode::OK).await;
    stack.revoke(hired.specialist.id).await;
    expect_status(queue_as_hired(), StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn roles_are_checked_on_every_admin_route_and_case_action() {
    let stack = Stack::start();
    for token in [&stack.tokens.specialist, &stack.tokens.lead] {
        let hire = stack
            .with_token(token, Method::POST, "/v1/specialists")
            .json(&json!({ "name": "Mallory", "role": "admin" }));
        expect_status(hire, StatusCode::FORBIDDEN).await;
        let list = stack.with_token(token, Method::GET, "/v1/specialists");
        expect_status(list, StatusCode::FORBIDDEN).await;
    }
    // Only the holder (or a lead) works on a claimed case.
    let case = stack.claimed_case("u-1", "Access request stuck").await;
    for (token, body, status) in [
        (
            &stack.tokens.other_specialist,
            "mine now",
            StatusCode::FORBIDDEN,
        ),
        (&stack.tokens.lead, "covering for Sam", StatusCode::OK),
    ] {
        let reply = stack
            .act(token, case.id, "reply", json!({ "body": body }))
            .await;
        expect_status(reply, status).await;
    }
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
        .anonymous(Method::POST, "/v1/cases")
        .header("X-Helpline-User", "alice")
        .header(
            "X-Helpline-User-Hash",
            identity::sign("guessed-secret", "alice"),
        )
        .json(&case_body("alice", "forged"));
    let refusal = expect_refusal(forged, StatusCode::UNAUTHORIZED).await;
    assert_eq!(refusal.error.code, "unsigned_user");
    // No demo mode here: an unsigned reporter id is refused.
    let unsigned = stack
        .anonymous(Method::GET, "/v1/cases/mine")
        .header("X-Helpline-User", "alice");
    expect_status(unsigned, StatusCode::UNAUTHORIZED).await;

    let listed: MyCases = stack.read_as_reporter("alice", "/v1/cases/mine").await;
    assert_eq!(
        listed.cases.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![mine.id]
    );

    for path in [
        format!("/v1/cases/{}", mine.id),
        format!("/v1/cases/{}", mine.reference),
    ] {
        let other = stack.as_reporter("bob", Method::GET, &path);
        expect_status(other, StatusCode::NOT_FOUND).await;
    }
    let post_as_bob = stack.reporter_message("bob", mine.id, "let me in").await;
    expect_status(post_as_bob, StatusCode::NOT_FOUND).await;
    // A reporter cannot act as a specialist.
    let reply = stack
        .as_reporter(
            "alice",
            Method::POST,
            &format!("/v1/cases/{}/reply", mine.id),
        )
        .json(&json!({ "body": "resolving myself" }));
    expect_status(reply, StatusCode::UNAUTHORIZED).await;
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
    let huge_title = json!({
        "title": "t".repeat(10_000), "description": "d", "platform": "ads-console",
        "reporter": { "id": "u-odd" }
    });
    for (body, status, field) in [
        (
            odd_types,
            StatusCode::BAD_REQUEST,
            "context.attributes.plan",
        ),
        (huge_title, StatusCode::UNPROCESSABLE_ENTITY, "title"),
    ] {
        expect_refusal_naming(stack.new_case("u-odd", &body), status, field).await;
    }

    let bad_case_id = stack.as_specialist(Method::GET, "/v1/cases/1%20OR%201=1");
    expect_status(bad_case_id, StatusCode::NOT_FOUND).await;
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
        .json(&json!({ "name": "Mallory", "role": "admin" }));
    expect_status(with_an_admin, StatusCode::UNAUTHORIZED).await;
    // A desk whose only admin left: the bootstrap token may create one.
    let team = stack.with_token(&stack.tokens.admin, Method::GET, "/v1/specialists");
    let team: SpecialistList = expect_json(team, StatusCode::OK).await;
    let ada = team
        .specialists
        .iter()
        .find(|s| s.name == "Ada Admin")
        .unwrap();
    stack.revoke(ada.id).await;
    // The bootstrap token is not a specialist.
    expect_status(bootstrap(Method::GET, "/v1/queue"), StatusCode::FORBIDDEN).await;
    let first_admin = bootstrap(Method::POST, "/v1/specialists")
        .json(&json!({ "name": "First Admin", "role": "admin" }));
    let first_admin: SpecialistCreated = expect_json(first_admin, StatusCode::CREATED).await;
    assert!(first_admin.token.starts_with("hl_"));
    let works = stack.with_token(&first_admin.token, Method::GET, "/v1/queue");
    expect_status(works, StatusCode::OK).await;
    // Once an admin exists the bootstrap token has done its one job.
    expect_status(
        bootstrap(Method::GET, "/v1/queue"),
        StatusCode::UNAUTHORIZED,
    )
    .await;

    let preflight = |origin: &'static str| {
        stack
            .anonymous(Method::OPTIONS, "/v1/cases")
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "content-type, idempotency-key",
            )
    };
    let allowed = expect_status(preflight("https://ads.example.com"), StatusCode::NO_CONTENT).await;
    assert_eq!(
        allowed.headers()["Access-Control-Allow-Origin"],
        "https://ads.example.com"
    );
    assert!(allowed.headers()["Access-Control-Allow-Headers"]
        .to_str()
        .unwrap()
        .contains("Idempotency-Key"));
    let foreign = preflight("https://evil.example.net").answer().await;
    assert!(foreign
        .headers()
        .get("Access-Control-Allow-Origin")
        .is_none());
    let created = stack
        .new_case("u-cors", &case_body("u-cors", "from another platform"))
        .header("Origin", "https://crm.example.com");
    let created = expect_status(created, StatusCode::CREATED).await;
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
    let hired = stack.hire("Leaving Soon", "specialist").await;
    let token = hired.token.clone();
    let mut held = Vec::new();
    // Held in progress, waiting on a user, and escalated.
    for (n, then) in [
        None,
        Some(("status", json!({ "status": "waiting_on_user" }))),
        Some((
            "escalate",
            json!({ "team": "data", "level": 1, "reason": "replication lag" }),
        )),
    ]
    .into_iter()
    .enumerate()
    {
        let case = stack
            .create_case(&format!("u-{n}"), &format!("case {n}"))
            .await;
        assert_eq!(stack.claim_next(&token).await.id, case.id);
        if let Some((action, body)) = then {
            stack.act_ok(&token, case.id, action, body).await;
        }
        held.push(case.id);
    }
    stack.revoke(hired.specialist.id).await;
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
    let send = |token: &str, body: &serde_json::Value| {
        stack
            .anonymous(Method::POST, "/v1/cases")
            .header("X-Helpline-Token", token)
            .json(body)
    };
    let created: helpline_shared::api::CaseCreated =
        expect_json(send(&token, &body), StatusCode::CREATED).await;
    let case = stack.case_for_team(created.id).await;
    assert_eq!(
        case.reporter.name.as_deref(),
        Some("Dana Wu"),
        "the token's name stands"
    );
    assert_eq!(case.reporter.email.as_deref(), Some("dana.wu@example.com"));
    assert!(case.reporter.verified);
    let mine = stack
        .anonymous(Method::GET, "/v1/cases/mine")
        .header("X-Helpline-Token", &token);
    let mine: MyCases = expect_json(mine, StatusCode::OK).await;
    assert_eq!(mine.cases.len(), 1);

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
        let refused = send(&bad, &body).answer().await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(
            error_of(refused).await.error.code,
            "unsigned_user",
            "{what}"
        );
    }
    let someone_else =
        send(&token, &case_body("u-kim", "pretending")).header("X-Helpline-User", "u-kim");
    expect_status(someone_else, StatusCode::UNAUTHORIZED).await;
}
