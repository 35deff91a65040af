//! The SOP knowledge base through the API: versioned articles, publishing by
//! leads, safe rendering of hostile Markdown, the index the widget downloads
//! (ETag / 304), server-side search, deflections and the gaps they reveal.

use helpline_shared::api::{SopArticleView, SopGaps, SopSearchResults, SopVersionList};
use helpline_shared::sop::SopIndex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use helpline_tests::api::{error_of, expect_json};
use helpline_tests::Stack;

/// The insides of every tag in `html` (`a href="…"`, `/li`).
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
        .collect()
}

fn article(slug: &str, title: &str, body: &str) -> Value {
    json!({
        "slug": slug, "title": title, "body_markdown": body,
        "tags": ["exports"], "category": "exports", "platforms": ["ads-console"], "language": "en"
    })
}

async fn create(stack: &Stack, token: &str, body: &Value) -> reqwest::Response {
    stack
        .with_token(token, Method::POST, "/v1/sop/articles")
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn publish(stack: &Stack, slug: &str) {
    let response = stack
        .with_token(
            &stack.tokens.lead,
            Method::POST,
            &format!("/v1/sop/articles/{slug}/publish"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn drafts_stay_with_the_team_until_a_lead_publishes_them() {
    let stack = Stack::start();
    let draft: SopArticleView = expect_json(
        create(
            &stack,
            &stack.tokens.specialist,
            &article(
                "csv-export-timeout",
                "CSV export times out",
                "1. Narrow the date range\n2. Retry",
            ),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((draft.version, draft.published), (1, false));

    let path = "/v1/sop/articles/csv-export-timeout";
    let hidden = stack
        .as_reporter("u-1", Method::GET, path)
        .send()
        .await
        .unwrap();
    assert_eq!(
        hidden.status(),
        StatusCode::NOT_FOUND,
        "a reporter never sees a draft"
    );

    let by_specialist = stack
        .with_token(
            &stack.tokens.specialist,
            Method::POST,
            &format!("{path}/publish"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(by_specialist.status(), StatusCode::FORBIDDEN);
    let published_on_create = create(
        &stack,
        &stack.tokens.specialist,
        &json!({ "slug": "another-one", "title": "t", "body_markdown": "b", "category": "exports", "published": true }),
    )
    .await;
    assert_eq!(published_on_create.status(), StatusCode::FORBIDDEN);

    publish(&stack, "csv-export-timeout").await;
    let seen: SopArticleView = expect_json(
        stack
            .as_reporter("u-1", Method::GET, path)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(seen.published && seen.body_html.contains("<ol>"));

    let duplicate = create(
        &stack,
        &stack.tokens.specialist,
        &article("csv-export-timeout", "again", "x"),
    )
    .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let bad = create(
        &stack,
        &stack.tokens.specialist,
        &article("Bad Slug", "t", "b"),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_of(bad).await.error.field.as_deref(), Some("slug"));
}

#[tokio::test]
async fn each_edit_is_a_new_version_and_concurrent_edits_conflict() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    create(
        &stack,
        &token,
        &article("sso-loop", "SSO login loop", "1. Clear cookies"),
    )
    .await;
    let path = "/v1/sop/articles/sso-loop";
    let edit = |version: i64, body: &'static str| {
        stack
            .with_token(&token, Method::PUT, path)
            .header("If-Match", format!("\"{version}\""))
            .json(&article("sso-loop", "SSO login loop", body))
            .send()
    };
    let second: SopArticleView = expect_json(
        edit(1, "1. Clear cookies\n2. Use a private window")
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(second.version, 2);
    // Another specialist still editing version 1 is told, not overwritten.
    let stale = edit(1, "1. Something else entirely").await.unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(error_of(stale).await.error.code, "stale_version");
    let without_version = stack
        .with_token(&token, Method::PUT, path)
        .json(&article("sso-loop", "SSO login loop", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(without_version.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(without_version).await.error.field.as_deref(),
        Some("If-Match")
    );

    let current: SopArticleView = expect_json(
        stack.as_specialist(Method::GET, path).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        current.body_markdown,
        "1. Clear cookies\n2. Use a private window"
    );
    let first: SopArticleView = expect_json(
        stack
            .as_specialist(Method::GET, &format!("{path}?version=1"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (first.version, first.body_markdown.as_str()),
        (1, "1. Clear cookies")
    );
    let versions: SopVersionList = expect_json(
        stack
            .as_specialist(Method::GET, &format!("{path}/versions"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        versions
            .versions
            .iter()
            .map(|v| v.version)
            .collect::<Vec<_>>(),
        vec![2, 1]
    );
}

/// Once a specialist's edit of a published article was what users read at
/// once. Now it waits as a draft version until a lead publishes it.
#[tokio::test]
async fn an_edit_of_a_published_article_waits_for_a_lead() {
    let stack = Stack::start();
    let slug = "vpn-setup";
    create(
        &stack,
        &stack.tokens.specialist,
        &article(slug, "VPN setup", "1. Install the client"),
    )
    .await;
    publish(&stack, slug).await;
    let path = format!("/v1/sop/articles/{slug}");
    let edited: SopArticleView = expect_json(
        stack
            .as_specialist(Method::PUT, &path)
            .header("If-Match", "\"1\"")
            .json(&article(
                slug,
                "VPN setup",
                "1. Download the client from evil.example",
            ))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (edited.version, edited.published, edited.published_version),
        (2, false, Some(1)),
        "the edit is a draft; users still read version 1"
    );
    let read = |user: &'static str| {
        let request = stack.as_reporter(user, Method::GET, &path);
        async move {
            let view: SopArticleView =
                expect_json(request.send().await.unwrap(), StatusCode::OK).await;
            view
        }
    };
    let seen = read("u-1").await;
    assert_eq!(
        (seen.version, seen.body_markdown.as_str(), seen.published),
        (1, "1. Install the client", true)
    );
    let index = SopIndex::from_bytes(
        &stack
            .as_reporter("u-1", Method::GET, "/v1/sop/index")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        index.search("evil", 3).is_empty(),
        "the widget's index holds the published words only"
    );

    publish(&stack, slug).await;
    let now_seen = read("u-2").await;
    assert_eq!((now_seen.version, now_seen.published_version), (2, Some(2)));
    assert!(now_seen.body_markdown.contains("evil.example"));
}

#[tokio::test]
async fn hostile_markdown_cannot_run_code_anywhere() {
    let stack = Stack::start();
    let body = "1. <script>alert(1)</script>\n2. <img src=x onerror=alert(2)>\n3. [click](javascript:alert(3))\n4. [docs](https://wiki.example.com/a)\n\n<iframe src=\"https://evil.example.net\"></iframe>";
    let created: SopArticleView = expect_json(
        create(
            &stack,
            &stack.tokens.lead,
            &article("hostile-one", "Hostile", body),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let html = created.body_html.to_lowercase();
    // Every tag in the output is a harmless one, with no event handler and no
    // script URL; what the attack wrote is there only as escaped text.
    for tag in tags(&html) {
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        assert!(
            ["ol", "li", "a", "p", "code", "strong", "em"].contains(&name),
            "<{tag}> in {html}"
        );
        assert!(
            !tag.contains(" on") && !tag.contains("javascript:"),
            "<{tag}> in {html}"
        );
    }
    assert!(
        html.contains("&lt;script&gt;"),
        "raw HTML is shown as text: {html}"
    );
    assert!(html.contains("href=\"https://wiki.example.com/a\" target=\"_blank\" rel=\"noopener noreferrer nofollow\""));
    assert_eq!(created.body_markdown, body, "the source is kept as written");
}

#[tokio::test]
async fn the_index_is_cached_by_etag_and_finds_what_is_published() {
    let stack = Stack::start();
    create(
        &stack,
        &stack.tokens.lead,
        &article(
            "csv-export-timeout",
            "CSV export times out",
            "Narrow the date range, then retry the export.",
        ),
    )
    .await;
    publish(&stack, "csv-export-timeout").await;
    let zh = json!({ "slug": "zh-reset-password", "title": "重置密码", "body_markdown": "1. 打开登录页\n2. 点击忘记密码", "category": "access", "language": "zh-CN" });
    create(&stack, &stack.tokens.lead, &zh).await;
    publish(&stack, "zh-reset-password").await;

    let first = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/index")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["ETag"].to_str().unwrap().to_owned();
    assert_eq!(first.headers()["X-Helpline-Index"], "built");
    let index = SopIndex::from_bytes(&first.bytes().await.unwrap()).expect("a valid index");
    assert_eq!(index.len(), 2);
    assert_eq!(
        index.search("csv exp", 3)[0].slug,
        "csv-export-timeout",
        "type-ahead on the widget side"
    );
    assert_eq!(index.search("忘记密码", 3)[0].slug, "zh-reset-password");

    let again = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/index")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // Another reader without a copy gets the bytes built for the first one.
    let other = stack
        .as_reporter("u-2", Method::GET, "/v1/sop/index")
        .send()
        .await
        .unwrap();
    assert_eq!(other.headers()["X-Helpline-Index"], "cached");
    assert_eq!(
        SopIndex::from_bytes(&other.bytes().await.unwrap())
            .unwrap()
            .len(),
        2
    );

    create(
        &stack,
        &stack.tokens.lead,
        &article(
            "dashboard-mismatch",
            "Dashboard totals differ",
            "Check the time zone.",
        ),
    )
    .await;
    publish(&stack, "dashboard-mismatch").await;
    let changed = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/index")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        changed.status(),
        StatusCode::OK,
        "publishing changes the index"
    );
    assert_ne!(changed.headers()["ETag"].to_str().unwrap(), etag);
    assert_eq!(
        changed.headers()["X-Helpline-Index"],
        "built",
        "a new set is built anew"
    );

    let search = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/search?q=dashbord%20totals")
        .send()
        .await
        .unwrap();
    assert_eq!(
        search.headers()["X-Helpline-Index"],
        "cached",
        "a search decodes the index built for the widget, it does not rebuild it"
    );
    let results: SopSearchResults = expect_json(search, StatusCode::OK).await;
    assert_eq!(
        results.hits[0].slug, "dashboard-mismatch",
        "a typo still finds it"
    );
    assert!(results.hits[0].title_segments.iter().any(|s| s.highlighted));
    let empty = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/search?q=")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(empty).await.error.field.as_deref(), Some("q"));
    let anonymous = stack
        .http
        .get(stack.url("/v1/sop/index"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unanswered_questions_show_up_as_gaps() {
    let stack = Stack::start();
    let record = |query: &'static str, slug: Option<&'static str>, solved: bool| {
        stack
            .as_reporter("u-1", Method::POST, "/v1/deflections")
            .json(&json!({ "query": query, "article_slug": slug, "solved": solved, "platform": "ads-console" }))
            .send()
    };
    for (query, slug, solved) in [
        ("How do I export invoices?", None, false),
        ("how do i export  INVOICES?", None, false),
        (
            "How do I export invoices?",
            Some("csv-export-timeout"),
            false,
        ),
        ("reset my password", Some("zh-reset-password"), true),
        ("Billing currency wrong", None, false),
    ] {
        assert_eq!(
            record(query, slug, solved).await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    let gaps: SopGaps = expect_json(
        stack
            .as_specialist(Method::GET, "/v1/sop/gaps")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(gaps.gaps.len(), 2, "{gaps:?}");
    assert_eq!((gaps.gaps[0].unanswered, gaps.gaps[0].no_article), (3, 2));
    assert!(gaps.gaps[0].query.to_lowercase().contains("export"));
    assert!(
        gaps.gaps.iter().all(|g| !g.query.contains("password")),
        "solved questions are no gap"
    );

    let bad = record("", None, false).await.unwrap();
    assert_eq!(error_of(bad).await.error.field.as_deref(), Some("query"));
    let reporter_reads_gaps = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/gaps")
        .send()
        .await
        .unwrap();
    assert_eq!(reporter_reads_gaps.status(), StatusCode::UNAUTHORIZED);
}
