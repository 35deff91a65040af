//! The SOP knowledge base through the API: versioned articles, publishing by
//! leads, safe rendering of hostile Markdown, the index the widget downloads
//! (ETag / 304), server-side search, deflections and the gaps they reveal.

use helpline_shared::api::{SopArticleView, SopGaps, SopSearchResults, SopVersionList};
use helpline_shared::sop::SopIndex;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};

use helpline_tests::api::{
    error_of, expect_json, expect_refusal, expect_refusal_naming, expect_status, Exchange,
};
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

/// `POST /v1/sop/articles` with `body` and `token`, not yet sent.
fn create(stack: &Stack, token: &str, body: &Value) -> RequestBuilder {
    stack
        .with_token(token, Method::POST, "/v1/sop/articles")
        .json(body)
}

/// Writes `body` as a new article with `token`: its first version.
async fn write(stack: &Stack, token: &str, body: &Value) -> SopArticleView {
    expect_json(create(stack, token, body), StatusCode::CREATED).await
}

/// Publishes the current version of `slug`, as a lead.
async fn publish(stack: &Stack, slug: &str) {
    let path = format!("/v1/sop/articles/{slug}/publish");
    let request = stack.with_token(&stack.tokens.lead, Method::POST, &path);
    expect_status(request, StatusCode::OK).await;
}

/// Writes `body` as a new article with `token` and publishes it.
async fn write_and_publish(stack: &Stack, token: &str, body: &Value) {
    write(stack, token, body).await;
    publish(stack, body["slug"].as_str().expect("a slug")).await;
}

/// `GET /v1/sop/index` as reporter `user`, not yet sent.
fn index_for(stack: &Stack, user: &str) -> RequestBuilder {
    stack.as_reporter(user, Method::GET, "/v1/sop/index")
}

#[tokio::test]
async fn drafts_stay_with_the_team_until_a_lead_publishes_them() {
    let stack = Stack::start();
    let specialist = &stack.tokens.specialist;
    let draft = write(
        &stack,
        specialist,
        &article(
            "csv-export-timeout",
            "CSV export times out",
            "1. Narrow the date range\n2. Retry",
        ),
    )
    .await;
    assert_eq!((draft.version, draft.published), (1, false));

    let path = "/v1/sop/articles/csv-export-timeout";
    // A reporter never sees a draft.
    let hidden = stack.as_reporter("u-1", Method::GET, path);
    expect_status(hidden, StatusCode::NOT_FOUND).await;

    let by_specialist = stack.with_token(specialist, Method::POST, &format!("{path}/publish"));
    expect_status(by_specialist, StatusCode::FORBIDDEN).await;
    let published_on_create = create(
        &stack,
        specialist,
        &json!({ "slug": "another-one", "title": "t", "body_markdown": "b", "category": "exports", "published": true }),
    );
    expect_status(published_on_create, StatusCode::FORBIDDEN).await;

    publish(&stack, "csv-export-timeout").await;
    let seen: SopArticleView = stack.read_as_reporter("u-1", path).await;
    assert!(seen.published && seen.body_html.contains("<ol>"));

    let duplicate = create(
        &stack,
        specialist,
        &article("csv-export-timeout", "again", "x"),
    );
    expect_status(duplicate, StatusCode::CONFLICT).await;
    let bad = create(&stack, specialist, &article("Bad Slug", "t", "b"));
    expect_refusal_naming(bad, StatusCode::UNPROCESSABLE_ENTITY, "slug").await;
}

#[tokio::test]
async fn each_edit_is_a_new_version_and_concurrent_edits_conflict() {
    let stack = Stack::start();
    let token = stack.tokens.specialist.clone();
    write(
        &stack,
        &token,
        &article("sso-loop", "SSO login loop", "1. Clear cookies"),
    )
    .await;
    let path = "/v1/sop/articles/sso-loop";
    let edit = |version: Option<i64>, body: &str| {
        let request = stack.with_token(&token, Method::PUT, path).json(&article(
            "sso-loop",
            "SSO login loop",
            body,
        ));
        match version {
            Some(version) => request.header("If-Match", format!("\"{version}\"")),
            None => request,
        }
    };
    let second: SopArticleView = expect_json(
        edit(Some(1), "1. Clear cookies\n2. Use a private window"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(second.version, 2);
    // Another specialist still editing version 1 is told, not overwritten.
    let stale = expect_refusal(
        edit(Some(1), "1. Something else entirely"),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(stale.error.code, "stale_version");
    let without_version = edit(None, "x");
    expect_refusal_naming(
        without_version,
        StatusCode::UNPROCESSABLE_ENTITY,
        "If-Match",
    )
    .await;

    let current: SopArticleView = stack.read_as_team(path).await;
    assert_eq!(
        current.body_markdown,
        "1. Clear cookies\n2. Use a private window"
    );
    let first: SopArticleView = stack.read_as_team(&format!("{path}?version=1")).await;
    assert_eq!(
        (first.version, first.body_markdown.as_str()),
        (1, "1. Clear cookies")
    );
    let versions: SopVersionList = stack.read_as_team(&format!("{path}/versions")).await;
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
    write_and_publish(
        &stack,
        &stack.tokens.specialist,
        &article(slug, "VPN setup", "1. Install the client"),
    )
    .await;
    let path = format!("/v1/sop/articles/{slug}");
    let edit = stack
        .as_specialist(Method::PUT, &path)
        .header("If-Match", "\"1\"")
        .json(&article(
            slug,
            "VPN setup",
            "1. Download the client from evil.example",
        ));
    let edited: SopArticleView = expect_json(edit, StatusCode::OK).await;
    assert_eq!(
        (edited.version, edited.published, edited.published_version),
        (2, false, Some(1)),
        "the edit is a draft; users still read version 1"
    );
    let seen: SopArticleView = stack.read_as_reporter("u-1", &path).await;
    assert_eq!(
        (seen.version, seen.body_markdown.as_str(), seen.published),
        (1, "1. Install the client", true)
    );
    let index = index_for(&stack, "u-1")
        .answer()
        .await
        .bytes()
        .await
        .unwrap();
    let index = SopIndex::from_bytes(&index).unwrap();
    assert!(
        index.search("evil", 3).is_empty(),
        "the widget's index holds the published words only"
    );

    publish(&stack, slug).await;
    let now_seen: SopArticleView = stack.read_as_reporter("u-2", &path).await;
    assert_eq!((now_seen.version, now_seen.published_version), (2, Some(2)));
    assert!(now_seen.body_markdown.contains("evil.example"));
}

#[tokio::test]
async fn hostile_markdown_cannot_run_code_anywhere() {
    let stack = Stack::start();
    let body = "1. <script>alert(1)</script>\n2. <img src=x onerror=alert(2)>\n3. [click](javascript:alert(3))\n4. [docs](https://wiki.example.com/a)\n\n<iframe src=\"https://evil.example.net\"></iframe>";
    let created = write(
        &stack,
        &stack.tokens.lead,
        &article("hostile-one", "Hostile", body),
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
    let lead = &stack.tokens.lead;
    let csv = article(
        "csv-export-timeout",
        "CSV export times out",
        "Narrow the date range, then retry the export.",
    );
    write_and_publish(&stack, lead, &csv).await;
    let zh = json!({ "slug": "zh-reset-password", "title": "重置密码", "body_markdown": "1. 打开登录页\n2. 点击忘记密码", "category": "access", "language": "zh-CN" });
    write_and_publish(&stack, lead, &zh).await;

    let first = expect_status(index_for(&stack, "u-1"), StatusCode::OK).await;
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

    let again = index_for(&stack, "u-1").header("If-None-Match", &etag);
    expect_status(again, StatusCode::NOT_MODIFIED).await;
    // Another reader without a copy gets the bytes built for the first one.
    let other = index_for(&stack, "u-2").answer().await;
    assert_eq!(other.headers()["X-Helpline-Index"], "cached");
    assert_eq!(
        SopIndex::from_bytes(&other.bytes().await.unwrap())
            .unwrap()
            .len(),
        2
    );

    let dashboard = article(
        "dashboard-mismatch",
        "Dashboard totals differ",
        "Check the time zone.",
    );
    write_and_publish(&stack, lead, &dashboard).await;
    // Publishing changes the index.
    let changed = index_for(&stack, "u-1").header("If-None-Match", &etag);
    let changed = expect_status(changed, StatusCode::OK).await;
    assert_ne!(changed.headers()["ETag"].to_str().unwrap(), etag);
    assert_eq!(
        changed.headers()["X-Helpline-Index"],
        "built",
        "a new set is built anew"
    );

    let search = stack
        .as_reporter("u-1", Method::GET, "/v1/sop/search?q=dashbord%20totals")
        .answer()
        .await;
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
    let empty = stack.as_reporter("u-1", Method::GET, "/v1/sop/search?q=");
    assert_eq!(error_of(empty).await.error.field.as_deref(), Some("q"));
    let anonymous = stack.anonymous(Method::GET, "/v1/sop/index");
    expect_status(anonymous, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn unanswered_questions_show_up_as_gaps() {
    let stack = Stack::start();
    let record = |query: &str, slug: Option<&str>, solved: bool| {
        stack
            .as_reporter("u-1", Method::POST, "/v1/deflections")
            .json(&json!({ "query": query, "article_slug": slug, "solved": solved, "platform": "ads-console" }))
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
        expect_status(record(query, slug, solved), StatusCode::CREATED).await;
    }
    let gaps: SopGaps = stack.read_as_team("/v1/sop/gaps").await;
    assert_eq!(gaps.gaps.len(), 2, "{gaps:?}");
    assert_eq!((gaps.gaps[0].unanswered, gaps.gaps[0].no_article), (3, 2));
    assert!(gaps.gaps[0].query.to_lowercase().contains("export"));
    assert!(
        gaps.gaps.iter().all(|g| !g.query.contains("password")),
        "solved questions are no gap"
    );

    let bad = record("", None, false);
    assert_eq!(error_of(bad).await.error.field.as_deref(), Some("query"));
    let reporter_reads_gaps = stack.as_reporter("u-1", Method::GET, "/v1/sop/gaps");
    expect_status(reporter_reads_gaps, StatusCode::UNAUTHORIZED).await;
}
