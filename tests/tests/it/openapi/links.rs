//! Troubleshooting links, as the document says: templates kept by admins
//! (only `https`, the host written out), listed for every specialist, and one
//! case's links filled from it.

use reqwest::Method as M;
use serde_json::json;

use super::checker::*;

#[tokio::test]
async fn link_templates_are_kept_by_admins_and_filled_from_a_case() {
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);
    let links = "/v1/links";
    let admin = |method: M, path: &str| stack.with_token(&tokens.admin, method, path);

    // Kept by admins, checked.
    let user_record = json!({
        "platform": "ads-console",
        "label": "User in the ads admin",
        "template": "https://admin.ads.corp/users/{reporter_id}?from={from_ms}&to={to_ms}"
    });
    let kept = api
        .expect(201, links, admin(M::POST, links).json(&user_record))
        .await;
    let kept_id = kept.body["id"].as_i64().expect("an id");
    let logs =
        json!({ "platform": "*", "label": "Logs", "template": "https://logs.corp/?q={case_ref}" });
    api.expect(201, links, admin(M::POST, links).json(&logs))
        .await;
    for (template, why) in [
        ("http://admin.ads.corp/u/{reporter_id}", "not https"),
        ("https://{platform}.corp/u", "a placeholder in the host"),
        (
            "https://admin.ads.corp/u/{password}",
            "an unknown placeholder",
        ),
    ] {
        let bad = json!({ "platform": "ads-console", "label": "x", "template": template });
        let refused = api
            .expect(422, links, admin(M::POST, links).json(&bad))
            .await;
        assert_eq!(refused.field(), "template", "{why}");
    }
    let by_lead = stack.with_token(&tokens.lead, M::POST, links).json(&logs);
    api.expect(403, links, by_lead).await;
    api.expect(401, links, stack.anonymous(M::POST, links).json(&logs))
        .await;

    // Listed for every specialist.
    let listed = api
        .expect(200, links, stack.as_specialist(M::GET, links))
        .await;
    assert_eq!(
        listed.texts("templates", "label"),
        ["Logs", "User in the ads admin"],
        "by platform: * first"
    );

    // One case's links: its platform's, then everyone's, filled.
    let case = api.created(&full_case()).await;
    let case_links = "/v1/cases/{id}/links";
    let filled = api
        .expect(
            200,
            case_links,
            stack.as_specialist(M::GET, &case_path(case, "links")),
        )
        .await;
    let urls = filled.texts("links", "url");
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert!(urls[0].starts_with(&format!("https://admin.ads.corp/users/{DANA}?from=")));
    assert_eq!(urls[1], format!("https://logs.corp/?q=HL-{}", case + 1000));
    let as_reporter = stack.as_reporter(DANA, M::GET, &case_path(case, "links"));
    api.expect(401, case_links, as_reporter).await;
    let missing = stack.as_specialist(M::GET, &case_path(999_999, "links"));
    api.expect(404, case_links, missing).await;

    // Removed by admins.
    let remove = "/v1/links/{id}/remove";
    let remove_path = format!("/v1/links/{kept_id}/remove");
    api.expect(403, remove, stack.as_specialist(M::POST, &remove_path))
        .await;
    api.expect(204, remove, admin(M::POST, &remove_path)).await;
    api.expect(404, remove, admin(M::POST, &remove_path)).await;

    api.assert_every_operation_succeeded(&["links"]);
}
