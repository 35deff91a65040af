//! The SOP knowledge base, as the document says: drafts, publishing by leads,
//! versions, the index and its ETag, search, deflections and gaps.

use reqwest::header::CONTENT_TYPE;
use reqwest::Method as M;
use serde_json::{json, Value};

use helpline_shared::sop::SopIndex;

use super::checker::*;

#[tokio::test]
async fn the_sop_knowledge_base_from_draft_to_deflection() {
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);

    // The SOP knowledge base. Before anything is published the index is empty.
    let index = "/v1/sop/index";
    let first = api
        .expect(200, index, stack.as_reporter(DANA, M::GET, index))
        .await;
    let empty = SopIndex::from_bytes(&first.bytes).expect("the index decodes");
    assert!(empty.search("export", 8).is_empty());
    let first_etag = first.etag().to_owned();

    // Specialists write articles; publishing needs a lead.
    let articles = "/v1/sop/articles";
    let write = |token: &str, body: &Value| stack.with_token(token, M::POST, articles).json(body);
    let article = |slug: &str| format!("/v1/sop/articles/{slug}");
    // Every field of SopArticleInput.
    let full_article = json!({
        "slug": "csv-export-timeout",
        "title": "CSV export times out",
        "body_markdown": "1. Narrow the **date range**\n2. Retry the [export](https://ads.example.com/help)",
        "tags": ["exports", "导出"],
        "category": "exports",
        "platforms": ["ads-console"],
        "language": "en",
        "published": false
    });
    let specialist = &tokens.specialist;
    let draft = write(specialist, &full_article);
    let draft = api.expect(201, articles, draft).await;
    assert_eq!(
        (
            &draft.body["version"],
            &draft.body["published"],
            draft.etag()
        ),
        (&json!(1), &json!(false), "\"1\"")
    );
    assert!(draft.body["body_html"]
        .as_str()
        .is_some_and(|h| h.contains("<ol>")));
    // Only what is required: the defaults come back.
    let minimal_article = json!({
        "slug": "share-dashboard",
        "title": "Share a dashboard",
        "body_markdown": "Open the dashboard and use **Share**.",
        "category": "dashboards"
    });
    let minimal = write(specialist, &minimal_article);
    let minimal = api.expect(201, articles, minimal).await;
    assert_eq!(
        (
            &minimal.body["tags"],
            &minimal.body["platforms"],
            &minimal.body["language"]
        ),
        (&json!([]), &json!([]), &json!("en"))
    );
    let mfa_article = json!({
        "slug": "reset-mfa",
        "title": "重置 MFA 设备",
        "body_markdown": "1. 核实身份\n2. 重置 MFA device",
        "tags": ["mfa"],
        "category": "sso-and-mfa",
        "language": "zh-CN",
        "published": true
    });
    let live = api
        .expect(201, articles, write(&tokens.lead, &mfa_article))
        .await;
    assert_eq!(live.body["published"], true);
    let mut publish_at_once = minimal_article.clone();
    publish_at_once["slug"] = json!("publish-at-once");
    publish_at_once["published"] = json!(true);
    assert_eq!(
        api.expect(403, articles, write(specialist, &publish_at_once))
            .await
            .code(),
        "forbidden"
    );
    assert_eq!(
        api.expect(409, articles, write(specialist, &minimal_article))
            .await
            .code(),
        "conflict"
    );
    type Spoil = fn(&mut Value);
    let spoilt: [(&str, Spoil); 9] = [
        ("slug", |a| a["slug"] = json!("Bad Slug")),
        ("slug", |a| a["slug"] = json!("ab")),
        ("slug", |a| {
            if let Some(a) = a.as_object_mut() {
                a.remove("slug");
            }
        }),
        ("title", |a| a["title"] = json!("  ")),
        ("body_markdown", |a| {
            a["body_markdown"] = json!("x".repeat(50_001))
        }),
        ("category", |a| a["category"] = json!("Access & SSO")),
        ("tags", |a| a["tags"] = json!(vec!["t"; 21])),
        ("platforms", |a| a["platforms"] = json!(["Ads Console"])),
        ("language", |a| a["language"] = json!("english")),
    ];
    for (field, spoil) in spoilt {
        let mut bad = full_article.clone();
        bad["slug"] = json!("never-written");
        spoil(&mut bad);
        let refused = api.expect(422, articles, write(specialist, &bad)).await;
        assert_eq!(refused.field(), field, "{bad}");
    }
    let mut wrong_type = full_article.clone();
    wrong_type["tags"] = json!("exports");
    assert_eq!(
        api.expect(400, articles, write(specialist, &wrong_type))
            .await
            .code(),
        "invalid_body"
    );
    let mut huge = full_article.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(413, articles, write(specialist, &huge)).await;
    let anonymous = stack.anonymous(M::POST, articles).json(&full_article);
    api.expect(401, articles, anonymous).await;

    // The team's list has drafts too; reporters have no list.
    let list = api
        .expect(200, articles, stack.as_specialist(M::GET, articles))
        .await;
    let slugs = list.texts("articles", "slug");
    assert_eq!(
        slugs,
        ["csv-export-timeout", "reset-mfa", "share-dashboard"]
    );
    let as_reporter = api
        .expect(401, articles, stack.as_reporter(DANA, M::GET, articles))
        .await;
    assert_eq!(as_reporter.code(), "unauthorized");

    // Reading one: reporters only what is published, and only its current version.
    let one = "/v1/sop/articles/{slug}";
    let read = |who: &str, path: &str| stack.as_reporter(who, M::GET, path);
    let (csv, mfa, missing) = (
        article("csv-export-timeout"),
        article("reset-mfa"),
        article("no-such-article"),
    );
    api.expect(404, one, read(DANA, &csv)).await;
    let seen = api.expect(200, one, read(DANA, &mfa)).await;
    assert_eq!(
        (seen.body["language"].as_str(), seen.etag()),
        (Some("zh-CN"), "\"1\"")
    );
    let first_version = read(DANA, &format!("{mfa}?version=1"));
    api.expect(404, one, first_version).await;
    let not_a_version = read(DANA, &format!("{mfa}?version=first"));
    assert_eq!(api.expect(422, one, not_a_version).await.field(), "version");
    let anonymous = stack.anonymous(M::GET, &mfa);
    assert_eq!(
        api.expect(401, one, anonymous).await.code(),
        "unsigned_user"
    );
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &mfa);
    assert_eq!(api.expect(401, one, bad_token).await.code(), "unauthorized");
    let team_view = api
        .expect(200, one, stack.as_specialist(M::GET, &csv))
        .await;
    assert_eq!(team_view.body, draft.body);
    api.expect(404, one, stack.as_specialist(M::GET, &missing))
        .await;

    // Editing: If-Match names the version edited; the path's slug wins.
    let edit = |token: &str, path: &str, if_match: Option<&str>, body: &Value| {
        let request = stack.with_token(token, M::PUT, path).json(body);
        match if_match {
            Some(version) => request.header("If-Match", version),
            None => request,
        }
    };
    let mut edited = full_article.clone();
    if let Some(fields) = edited.as_object_mut() {
        fields.remove("slug");
    }
    edited["body_markdown"] = json!("1. Narrow the date range\n2. Export per campaign");
    let by_kim = edit(&tokens.other_specialist, &csv, Some("\"1\""), &edited);
    let second = api.expect(200, one, by_kim).await;
    assert_eq!(
        (&second.body["version"], second.etag()),
        (&json!(2), "\"2\"")
    );
    assert_eq!(second.body["updated_by"], "Kim Specialist");
    let stale = edit(specialist, &csv, Some("\"1\""), &edited);
    assert_eq!(api.expect(409, one, stale).await.code(), "stale_version");
    for if_match in [None, Some("yesterday")] {
        let unversioned = edit(specialist, &csv, if_match, &edited);
        assert_eq!(api.expect(422, one, unversioned).await.field(), "If-Match");
    }
    let mut bad_language = edited.clone();
    bad_language["language"] = json!("EN");
    let refused = edit(specialist, &csv, Some("2"), &bad_language);
    assert_eq!(api.expect(422, one, refused).await.field(), "language");
    let of_missing = edit(specialist, &missing, Some("1"), &edited);
    api.expect(404, one, of_missing).await;
    let not_json = stack
        .as_specialist(M::PUT, &csv)
        .header("If-Match", "2")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"title\": ");
    assert_eq!(api.expect(400, one, not_json).await.code(), "invalid_json");
    let mut huge = edited.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(413, one, edit(specialist, &csv, Some("2"), &huge))
        .await;
    let anonymous = stack
        .anonymous(M::PUT, &csv)
        .header("If-Match", "2")
        .json(&edited);
    api.expect(401, one, anonymous).await;

    // Versions: the list, and an older one to read.
    let versions = "/v1/sop/articles/{slug}/versions";
    let history = stack.as_specialist(M::GET, &format!("{csv}/versions"));
    let history = api.expect(200, versions, history).await;
    let numbers: Vec<_> = history.items("versions").map(|v| &v["version"]).collect();
    assert_eq!(numbers, [&json!(2), &json!(1)]);
    let of_missing = stack.as_specialist(M::GET, &format!("{missing}/versions"));
    api.expect(404, versions, of_missing).await;
    let as_reporter = read(DANA, &format!("{csv}/versions"));
    api.expect(401, versions, as_reporter).await;
    let older = stack.as_specialist(M::GET, &format!("{csv}?version=1"));
    let older = api.expect(200, one, older).await;
    assert_eq!(
        (&older.body["body_markdown"], older.etag()),
        (&full_article["body_markdown"], "\"1\"")
    );
    let never = stack.as_specialist(M::GET, &format!("{csv}?version=9"));
    api.expect(404, one, never).await;

    // Publishing and unpublishing: leads only.
    let publish = "/v1/sop/articles/{slug}/publish";
    let unpublish = "/v1/sop/articles/{slug}/unpublish";
    let act_on = |token: &str, slug: &str, action: &str| {
        stack.with_token(token, M::POST, &format!("{}/{action}", article(slug)))
    };
    let by_specialist = act_on(specialist, "csv-export-timeout", "publish");
    assert_eq!(
        api.expect(403, publish, by_specialist).await.code(),
        "forbidden"
    );
    let by_lead = act_on(&tokens.lead, "csv-export-timeout", "publish");
    let published = api.expect(200, publish, by_lead).await;
    assert_eq!(
        (&published.body["published"], &published.body["version"]),
        (&json!(true), &json!(2))
    );
    let nobody =
        |slug: &str, action: &str| stack.anonymous(M::POST, &format!("{}/{action}", article(slug)));
    for (status, request) in [
        (404, act_on(&tokens.lead, "no-such-article", "publish")),
        (401, nobody("share-dashboard", "publish")),
    ] {
        api.expect(status, publish, request).await;
    }
    let by_specialist = act_on(specialist, "reset-mfa", "unpublish");
    api.expect(403, unpublish, by_specialist).await;
    let by_admin = act_on(&tokens.admin, "reset-mfa", "unpublish");
    let withdrawn = api.expect(200, unpublish, by_admin).await;
    assert_eq!(withdrawn.body["published"], false);
    api.expect(404, one, read(DANA, &mfa)).await;
    for (status, request) in [
        (404, act_on(&tokens.lead, "no-such-article", "unpublish")),
        (401, nobody("reset-mfa", "unpublish")),
    ] {
        api.expect(status, unpublish, request).await;
    }
    api.expect(200, one, read(DANA, &csv)).await;

    // The index now holds the published article; unchanged, it is a 304.
    let index_for = |who: &str| stack.as_reporter(who, M::GET, index);
    let current = api.expect(200, index, index_for(ERIK)).await;
    assert_ne!(current.etag(), first_etag);
    let decoded = SopIndex::from_bytes(&current.bytes).expect("the index decodes");
    let hits = decoded.search("exprot", 8);
    assert_eq!(
        hits.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(),
        ["csv-export-timeout"]
    );
    let etag = current.etag().to_owned();
    let held = index_for(ERIK).header("If-None-Match", &etag);
    let unchanged = api.expect(304, index, held).await;
    assert_eq!(
        (unchanged.etag(), unchanged.bytes.len()),
        (etag.as_str(), 0)
    );
    // A stale tag gets the new index; a weakened or listed current tag is
    // still current (If-None-Match compares weakly).
    let changed = index_for(ERIK).header("If-None-Match", first_etag.clone());
    api.expect(200, index, changed).await;
    for held in [format!("W/{etag}"), format!("{first_etag}, {etag}")] {
        let still = index_for(ERIK).header("If-None-Match", held);
        api.expect(304, index, still).await;
    }
    api.expect(200, index, stack.as_specialist(M::GET, index))
        .await;
    api.expect(401, index, stack.anonymous(M::GET, index)).await;

    // Server-side search: the same engine, published articles only.
    let search = "/v1/sop/search";
    let found = stack.as_reporter(DANA, M::GET, "/v1/sop/search?q=csv%20exprot");
    let found = api.expect(200, search, found).await;
    assert_eq!(found.body["query"], "csv exprot");
    assert_eq!(found.body["hits"][0]["slug"], "csv-export-timeout");
    let drafts = stack.as_specialist(M::GET, "/v1/sop/search?q=dashboard");
    let drafts = api.expect(200, search, drafts).await;
    assert_eq!(drafts.body["hits"], json!([]));
    for (query, code) in [
        ("?q=%20%20", "required"),
        ("", "required"),
        (&*format!("?q={}", "x".repeat(501)), "too_long"),
    ] {
        let refused = stack.as_reporter(DANA, M::GET, &format!("{search}{query}"));
        let refused = api.expect(422, search, refused).await;
        assert_eq!((refused.code(), refused.field()), (code, "q"));
    }
    let anonymous = stack.anonymous(M::GET, "/v1/sop/search?q=csv");
    api.expect(401, search, anonymous).await;

    // Deflections: what the answers did for reporters; the unsolved ones are gaps.
    let deflections = "/v1/deflections";
    let deflect =
        |user: &str, body: Value| stack.as_reporter(user, M::POST, deflections).json(&body);
    let solved = json!({
        "query": "csv export timeout",
        "article_slug": "csv-export-timeout",
        "solved": true,
        "platform": "ads-console"
    });
    let recorded = api
        .expect(201, deflections, deflect(DANA, solved.clone()))
        .await;
    assert!(recorded.body["id"].as_i64().is_some_and(|id| id > 0));
    // Unsolved twice, once with no article: a gap.
    for (user, unsolved) in [
        (
            DANA,
            json!({ "query": "Share a dashboard", "solved": false }),
        ),
        (
            ERIK,
            json!({ "query": "share a  DASHBOARD", "article_slug": "share-dashboard", "solved": false }),
        ),
    ] {
        api.expect(201, deflections, deflect(user, unsolved)).await;
    }
    for (field, bad) in [
        ("query", json!({ "query": " ", "solved": false })),
        (
            "article_slug",
            json!({ "query": "q", "article_slug": "Bad Slug", "solved": false }),
        ),
        (
            "platform",
            json!({ "query": "q", "platform": "Ads Console", "solved": true }),
        ),
    ] {
        let refused = api.expect(422, deflections, deflect(DANA, bad)).await;
        assert_eq!(refused.field(), field);
    }
    let no_outcome = deflect(DANA, json!({ "query": "csv" }));
    assert_eq!(
        api.expect(400, deflections, no_outcome).await.code(),
        "invalid_body"
    );
    let huge = deflect(
        DANA,
        json!({ "query": "x".repeat(70 * 1024), "solved": false }),
    );
    api.expect(413, deflections, huge).await;
    let by_specialist = stack.as_specialist(M::POST, deflections).json(&solved);
    let by_specialist = api.expect(401, deflections, by_specialist).await;
    assert_eq!(by_specialist.code(), "unsigned_user");

    // Gaps: one query (case and spacing aside), asked twice, once with no article.
    let gaps = "/v1/sop/gaps";
    let listed = api
        .expect(200, gaps, stack.as_specialist(M::GET, gaps))
        .await;
    let gap = &listed.body["gaps"];
    assert_eq!(gap.as_array().map(Vec::len), Some(1), "{gap}");
    assert_eq!(
        (&gap[0]["unanswered"], &gap[0]["no_article"]),
        (&json!(2), &json!(1))
    );
    api.expect(401, gaps, stack.as_reporter(DANA, M::GET, gaps))
        .await;

    api.assert_every_operation_succeeded(&["sop"]);
}
