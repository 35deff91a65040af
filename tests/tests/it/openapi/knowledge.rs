//! The SOP knowledge base, as the document says: drafts, publishing by leads,
//! versions, the index and its ETag, search, deflections and gaps.

use reqwest::header::CONTENT_TYPE;
use reqwest::Method;
use serde_json::{json, Value};

use helpline_shared::sop::SopIndex;

use super::checker::*;

#[tokio::test]
async fn the_sop_knowledge_base_from_draft_to_deflection() {
    use Method as M;
    let (stack, _channel) = conformance_stack().await;
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);

    // The SOP knowledge base. Before anything is published the index is empty.
    let first = api
        .expect(
            200,
            "/v1/sop/index",
            stack.as_reporter(DANA, M::GET, "/v1/sop/index"),
        )
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
    let draft = api
        .expect(201, articles, write(&tokens.specialist, &full_article))
        .await;
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
    let minimal = api
        .expect(201, articles, write(&tokens.specialist, &minimal_article))
        .await;
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
        api.expect(403, articles, write(&tokens.specialist, &publish_at_once))
            .await
            .code(),
        "forbidden"
    );
    assert_eq!(
        api.expect(409, articles, write(&tokens.specialist, &minimal_article))
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
        let refused = api
            .expect(422, articles, write(&tokens.specialist, &bad))
            .await;
        assert_eq!(refused.field(), field, "{bad}");
    }
    let mut wrong_type = full_article.clone();
    wrong_type["tags"] = json!("exports");
    assert_eq!(
        api.expect(400, articles, write(&tokens.specialist, &wrong_type))
            .await
            .code(),
        "invalid_body"
    );
    let mut huge = full_article.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(413, articles, write(&tokens.specialist, &huge))
        .await;
    api.expect(
        401,
        articles,
        stack.http.post(stack.url(articles)).json(&full_article),
    )
    .await;

    // The team's list has drafts too; reporters have no list.
    let list = api
        .expect(200, articles, stack.as_specialist(M::GET, articles))
        .await;
    let slugs: Vec<_> = list.body["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["slug"].as_str())
        .collect();
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
    api.expect(404, one, read(DANA, &article("csv-export-timeout")))
        .await;
    let seen = api
        .expect(200, one, read(DANA, &article("reset-mfa")))
        .await;
    assert_eq!(
        (seen.body["language"].as_str(), seen.etag()),
        (Some("zh-CN"), "\"1\"")
    );
    api.expect(
        404,
        one,
        read(DANA, &format!("{}?version=1", article("reset-mfa"))),
    )
    .await;
    assert_eq!(
        api.expect(
            422,
            one,
            read(DANA, &format!("{}?version=first", article("reset-mfa")))
        )
        .await
        .field(),
        "version"
    );
    assert_eq!(
        api.expect(401, one, stack.http.get(stack.url(&article("reset-mfa"))))
            .await
            .code(),
        "unsigned_user"
    );
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &article("reset-mfa"));
    assert_eq!(api.expect(401, one, bad_token).await.code(), "unauthorized");
    let team_view = api
        .expect(
            200,
            one,
            stack.as_specialist(M::GET, &article("csv-export-timeout")),
        )
        .await;
    assert_eq!(team_view.body, draft.body);
    api.expect(
        404,
        one,
        stack.as_specialist(M::GET, &article("no-such-article")),
    )
    .await;

    // Editing: If-Match names the version edited; the path's slug wins.
    let edit = |token: &str, slug: &str, if_match: Option<&str>, body: &Value| {
        let request = stack.with_token(token, M::PUT, &article(slug)).json(body);
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
    let second = api
        .expect(
            200,
            one,
            edit(
                &tokens.other_specialist,
                "csv-export-timeout",
                Some("\"1\""),
                &edited,
            ),
        )
        .await;
    assert_eq!(
        (&second.body["version"], second.etag()),
        (&json!(2), "\"2\"")
    );
    assert_eq!(second.body["updated_by"], "Kim Specialist");
    let stale = edit(
        &tokens.specialist,
        "csv-export-timeout",
        Some("\"1\""),
        &edited,
    );
    assert_eq!(api.expect(409, one, stale).await.code(), "stale_version");
    for if_match in [None, Some("yesterday")] {
        let unversioned = edit(&tokens.specialist, "csv-export-timeout", if_match, &edited);
        assert_eq!(api.expect(422, one, unversioned).await.field(), "If-Match");
    }
    let mut bad_language = edited.clone();
    bad_language["language"] = json!("EN");
    let refused = edit(
        &tokens.specialist,
        "csv-export-timeout",
        Some("2"),
        &bad_language,
    );
    assert_eq!(api.expect(422, one, refused).await.field(), "language");
    api.expect(
        404,
        one,
        edit(&tokens.specialist, "no-such-article", Some("1"), &edited),
    )
    .await;
    let not_json = stack
        .as_specialist(M::PUT, &article("csv-export-timeout"))
        .header("If-Match", "2")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"title\": ");
    assert_eq!(api.expect(400, one, not_json).await.code(), "invalid_json");
    let mut huge = edited.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(
        413,
        one,
        edit(&tokens.specialist, "csv-export-timeout", Some("2"), &huge),
    )
    .await;
    let anonymous = stack
        .http
        .put(stack.url(&article("csv-export-timeout")))
        .header("If-Match", "2")
        .json(&edited);
    api.expect(401, one, anonymous).await;

    // Versions: the list, and an older one to read.
    let versions = "/v1/sop/articles/{slug}/versions";
    let history = api
        .expect(
            200,
            versions,
            stack.as_specialist(
                M::GET,
                &format!("{}/versions", article("csv-export-timeout")),
            ),
        )
        .await;
    let numbers: Vec<_> = history.body["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| &v["version"])
        .collect();
    assert_eq!(numbers, [&json!(2), &json!(1)]);
    api.expect(
        404,
        versions,
        stack.as_specialist(M::GET, &format!("{}/versions", article("no-such-article"))),
    )
    .await;
    api.expect(
        401,
        versions,
        read(DANA, &format!("{}/versions", article("csv-export-timeout"))),
    )
    .await;
    let older = api
        .expect(
            200,
            one,
            stack.as_specialist(
                M::GET,
                &format!("{}?version=1", article("csv-export-timeout")),
            ),
        )
        .await;
    assert_eq!(
        (&older.body["body_markdown"], older.etag()),
        (&full_article["body_markdown"], "\"1\"")
    );
    api.expect(
        404,
        one,
        stack.as_specialist(
            M::GET,
            &format!("{}?version=9", article("csv-export-timeout")),
        ),
    )
    .await;

    // Publishing and unpublishing: leads only.
    let publish = "/v1/sop/articles/{slug}/publish";
    let unpublish = "/v1/sop/articles/{slug}/unpublish";
    let act_on = |token: &str, slug: &str, action: &str| {
        stack.with_token(token, M::POST, &format!("{}/{action}", article(slug)))
    };
    assert_eq!(
        api.expect(
            403,
            publish,
            act_on(&tokens.specialist, "csv-export-timeout", "publish")
        )
        .await
        .code(),
        "forbidden"
    );
    let published = api
        .expect(
            200,
            publish,
            act_on(&tokens.lead, "csv-export-timeout", "publish"),
        )
        .await;
    assert_eq!(
        (&published.body["published"], &published.body["version"]),
        (&json!(true), &json!(2))
    );
    api.expect(
        404,
        publish,
        act_on(&tokens.lead, "no-such-article", "publish"),
    )
    .await;
    api.expect(
        401,
        publish,
        stack
            .http
            .post(stack.url(&format!("{}/publish", article("share-dashboard")))),
    )
    .await;
    api.expect(
        403,
        unpublish,
        act_on(&tokens.specialist, "reset-mfa", "unpublish"),
    )
    .await;
    let withdrawn = api
        .expect(
            200,
            unpublish,
            act_on(&tokens.admin, "reset-mfa", "unpublish"),
        )
        .await;
    assert_eq!(withdrawn.body["published"], false);
    api.expect(404, one, read(DANA, &article("reset-mfa")))
        .await;
    api.expect(
        404,
        unpublish,
        act_on(&tokens.lead, "no-such-article", "unpublish"),
    )
    .await;
    api.expect(
        401,
        unpublish,
        stack
            .http
            .post(stack.url(&format!("{}/unpublish", article("reset-mfa")))),
    )
    .await;
    api.expect(200, one, read(DANA, &article("csv-export-timeout")))
        .await;

    // The index now holds the published article; unchanged, it is a 304.
    let current = api
        .expect(
            200,
            "/v1/sop/index",
            stack.as_reporter(ERIK, M::GET, "/v1/sop/index"),
        )
        .await;
    assert_ne!(current.etag(), first_etag);
    let decoded = SopIndex::from_bytes(&current.bytes).expect("the index decodes");
    let hits = decoded.search("exprot", 8);
    assert_eq!(
        hits.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(),
        ["csv-export-timeout"]
    );
    let etag = current.etag().to_owned();
    let unchanged = api
        .expect(
            304,
            "/v1/sop/index",
            stack
                .as_reporter(ERIK, M::GET, "/v1/sop/index")
                .header("If-None-Match", &etag),
        )
        .await;
    assert_eq!(
        (unchanged.etag(), unchanged.bytes.len()),
        (etag.as_str(), 0)
    );
    // A stale tag gets the new index; a weakened or listed current tag is
    // still current (If-None-Match compares weakly).
    let changed = stack
        .as_reporter(ERIK, M::GET, "/v1/sop/index")
        .header("If-None-Match", first_etag.clone());
    api.expect(200, "/v1/sop/index", changed).await;
    for held in [format!("W/{etag}"), format!("{first_etag}, {etag}")] {
        let still = stack
            .as_reporter(ERIK, M::GET, "/v1/sop/index")
            .header("If-None-Match", held);
        api.expect(304, "/v1/sop/index", still).await;
    }
    api.expect(
        200,
        "/v1/sop/index",
        stack.as_specialist(M::GET, "/v1/sop/index"),
    )
    .await;
    api.expect(
        401,
        "/v1/sop/index",
        stack.http.get(stack.url("/v1/sop/index")),
    )
    .await;

    // Server-side search: the same engine, published articles only.
    let found = api
        .expect(
            200,
            "/v1/sop/search",
            stack.as_reporter(DANA, M::GET, "/v1/sop/search?q=csv%20exprot"),
        )
        .await;
    assert_eq!(found.body["query"], "csv exprot");
    assert_eq!(found.body["hits"][0]["slug"], "csv-export-timeout");
    let drafts = api
        .expect(
            200,
            "/v1/sop/search",
            stack.as_specialist(M::GET, "/v1/sop/search?q=dashboard"),
        )
        .await;
    assert_eq!(drafts.body["hits"], json!([]));
    for (query, code) in [
        ("?q=%20%20", "required"),
        ("", "required"),
        (&*format!("?q={}", "x".repeat(501)), "too_long"),
    ] {
        let refused = api
            .expect(
                422,
                "/v1/sop/search",
                stack.as_reporter(DANA, M::GET, &format!("/v1/sop/search{query}")),
            )
            .await;
        assert_eq!((refused.code(), refused.field()), (code, "q"));
    }
    api.expect(
        401,
        "/v1/sop/search",
        stack.http.get(stack.url("/v1/sop/search?q=csv")),
    )
    .await;

    // Deflections: what the answers did for reporters; the unsolved ones are gaps.
    let deflect = |user: &str, body: Value| {
        stack
            .as_reporter(user, M::POST, "/v1/deflections")
            .json(&body)
    };
    let solved = json!({
        "query": "csv export timeout",
        "article_slug": "csv-export-timeout",
        "solved": true,
        "platform": "ads-console"
    });
    let recorded = api
        .expect(201, "/v1/deflections", deflect(DANA, solved.clone()))
        .await;
    assert!(recorded.body["id"].as_i64().is_some_and(|id| id > 0));
    api.expect(
        201,
        "/v1/deflections",
        deflect(
            DANA,
            json!({ "query": "Share a dashboard", "solved": false }),
        ),
    )
    .await;
    api.expect(
        201,
        "/v1/deflections",
        deflect(
            ERIK,
            json!({ "query": "share a  DASHBOARD", "article_slug": "share-dashboard", "solved": false }),
        ),
    )
    .await;
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
        let refused = api.expect(422, "/v1/deflections", deflect(DANA, bad)).await;
        assert_eq!(refused.field(), field);
    }
    let no_outcome = api
        .expect(
            400,
            "/v1/deflections",
            deflect(DANA, json!({ "query": "csv" })),
        )
        .await;
    assert_eq!(no_outcome.code(), "invalid_body");
    api.expect(
        413,
        "/v1/deflections",
        deflect(
            DANA,
            json!({ "query": "x".repeat(70 * 1024), "solved": false }),
        ),
    )
    .await;
    let by_specialist = stack
        .as_specialist(M::POST, "/v1/deflections")
        .json(&solved);
    assert_eq!(
        api.expect(401, "/v1/deflections", by_specialist)
            .await
            .code(),
        "unsigned_user"
    );

    // Gaps: one query (case and spacing aside), asked twice, once with no article.
    let gaps = api
        .expect(
            200,
            "/v1/sop/gaps",
            stack.as_specialist(M::GET, "/v1/sop/gaps"),
        )
        .await;
    let gap = &gaps.body["gaps"];
    assert_eq!(gap.as_array().map(Vec::len), Some(1), "{gap}");
    assert_eq!(
        (&gap[0]["unanswered"], &gap[0]["no_article"]),
        (&json!(2), &json!(1))
    );
    api.expect(
        401,
        "/v1/sop/gaps",
        stack.as_reporter(DANA, M::GET, "/v1/sop/gaps"),
    )
    .await;

    api.assert_every_operation_succeeded(&["sop"]);
}
