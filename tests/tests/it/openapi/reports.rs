//! The daily report and the dead letters, as the document says: the report in
//! JSON, Markdown or HTML, written and sent by leads; the P1's page the
//! channel refused, kept for the leads.

use std::time::{Duration, Instant};

use reqwest::header::ACCEPT;
use reqwest::Method as M;
use serde_json::{json, Value};

use super::checker::*;

#[tokio::test]
async fn the_daily_report_and_the_dead_letters() {
    let (stack, channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);
    let case = api.created(&full_case()).await;

    // The daily report: JSON, Markdown or HTML; `format` wins over `Accept`.
    let daily = "/v1/reports/daily";
    let report = |query: &str| stack.as_specialist(M::GET, &format!("{daily}{query}"));
    let today = api.expect(200, daily, report("")).await;
    assert_eq!(
        (
            today.body["time_zone"].as_str(),
            today.body["per_hour"].as_array().map(Vec::len)
        ),
        (Some("UTC"), Some(24))
    );
    let shanghai = api
        .expect(200, daily, report("?date=2026-11-25&tz=Asia/Shanghai"))
        .await;
    assert_eq!(
        (&shanghai.body["from"], &shanghai.body["to"]),
        (
            &json!("2026-11-24T16:00:00.000Z"),
            &json!("2026-11-25T16:00:00.000Z")
        )
    );
    for (query, accept, content_type) in [
        ("?format=markdown", None, "text/markdown; charset=utf-8"),
        (
            "?format=md",
            Some("text/html"),
            "text/markdown; charset=utf-8",
        ),
        ("", Some("text/markdown"), "text/markdown; charset=utf-8"),
        ("?format=html", None, "text/html; charset=utf-8"),
        ("", Some("text/html"), "text/html; charset=utf-8"),
        ("?format=json", Some("text/html"), "application/json"),
    ] {
        let request = match accept {
            Some(accept) => report(query).header(ACCEPT, accept),
            None => report(query),
        };
        let form = api.expect(200, daily, request).await;
        let header = |name: &str| {
            form.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        assert!(
            header("content-type").starts_with(content_type),
            "{query} {accept:?}: {}",
            header("content-type")
        );
        if content_type.starts_with("text/html") {
            let csp = header("content-security-policy");
            assert!(
                csp.contains("default-src 'none'") && !csp.contains("script-src"),
                "{csp}"
            );
        }
    }
    for (query, field) in [
        ("?date=2026-13-40", "date"),
        ("?tz=Mars/Olympus", "tz"),
        ("?format=pdf", "format"),
    ] {
        assert_eq!(api.expect(422, daily, report(query)).await.field(), field);
    }
    api.expect(401, daily, stack.anonymous(M::GET, daily)).await;
    // Written now and sent to the channel: leads only.
    let write = |token: &str, body: Value| stack.with_token(token, M::POST, daily).json(&body);
    let written = api
        .expect(
            200,
            daily,
            write(
                &tokens.lead,
                json!({ "date": "2026-11-25", "tz": "Asia/Shanghai" }),
            ),
        )
        .await;
    assert_eq!(written.body["totals"], shanghai.body["totals"]);
    api.expect(200, daily, write(&tokens.admin, json!({})))
        .await;
    assert_eq!(
        api.expect(403, daily, write(&tokens.specialist, json!({})))
            .await
            .code(),
        "forbidden"
    );
    for (body, field) in [
        (json!({ "date": "yesterday" }), "date"),
        (json!({ "tz": "Mars/Olympus" }), "tz"),
    ] {
        assert_eq!(
            api.expect(422, daily, write(&tokens.lead, body))
                .await
                .field(),
            field
        );
    }
    api.expect(400, daily, write(&tokens.lead, json!({ "date": 20261125 })))
        .await;
    api.expect(401, daily, stack.anonymous(M::POST, daily).json(&json!({})))
        .await;

    // Dead letters: the channel refused everything, so after the queue's
    // retries the first notification (the P1's page) is kept for the leads.
    let dead = "/v1/notifications/dead";
    assert_eq!(
        api.expect(403, dead, stack.as_specialist(M::GET, dead))
            .await
            .code(),
        "forbidden"
    );
    api.expect(401, dead, stack.anonymous(M::GET, dead)).await;
    let waiting = Instant::now();
    let page = loop {
        let kept = api
            .expect(200, dead, stack.with_token(&tokens.lead, M::GET, dead))
            .await;
        let page = kept
            .items("notifications")
            .find(|n| n["notification"]["kind"] == "page")
            .cloned();
        if let Some(page) = page {
            break page;
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(90),
            "no dead letter yet: {}",
            kept.body
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    assert_eq!(page["notification"]["case"]["id"], case);
    assert!(!channel.received().is_empty(), "the channel was tried");

    api.assert_every_operation_succeeded(&["reports", "notifications"]);
}
