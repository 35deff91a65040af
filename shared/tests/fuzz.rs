//! Every decoder of outside input, fed what an attacker or a broken client
//! could send: none may panic. A Worker that panics answers 500 to everyone
//! on that isolate, so "returns an error" is the only acceptable failure.
//!
//! Cases per property come from `PROPTEST_CASES` (2,000 when unset, so CI runs
//! a few thousand per target); `cargo xtask fuzz` runs a million each.

use std::collections::BTreeMap;

use helpline_shared::api::{
    CreateCaseRequest, CreateSpecialistRequest, DeflectionRequest, EscalateRequest,
    FeedbackRequest, MessageRequest, ResolveIncidentRequest, SopArticleInput, StatusRequest,
    WriteReportRequest,
};
use helpline_shared::case::{
    parse_human_ref, request_fingerprint, validate_idempotency_key, validate_new_case,
};
use helpline_shared::conditional::etag_matches;
use helpline_shared::context::{validate_context, IssueContext};
use helpline_shared::identity::{secrets_match, verify};
use helpline_shared::json::decode;
use helpline_shared::malfunction::{incident_title, signature};
use helpline_shared::markdown::render;
use helpline_shared::notify::{CaseLine, Notification, NotificationKind};
use helpline_shared::priority::{priority_for, suggest_choices, Impact, Urgency};
use helpline_shared::queue::{parse_filter, QueueCursor};
use helpline_shared::report::{DayWindow, ReportFormat};
use helpline_shared::sop::authoring::validate_article;
use helpline_shared::sop::{plain_text, SopArticle, SopIndex};
use helpline_shared::specialist::bearer_token;
use helpline_shared::text;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::Value;

/// Cases per property: `PROPTEST_CASES`, else 2,000. (`Config::default()`
/// reads the variable too, but its own default is only 256.)
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    Config {
        cases,
        // The default looks for `src/` in this file's path, which an
        // integration test lacks: keep failure seeds beside this file, in
        // `fuzz.proptest-regressions`, to be committed when one appears.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// Field names the request and context types use, so that generated JSON
/// reaches past "unknown field" into every field's own decoding (A to Z).
const KEYS: &[&str] = &[
    "article_slug",
    "at",
    "attributes",
    "body",
    "body_markdown",
    "category",
    "comment",
    "context",
    "date",
    "description",
    "email",
    "failed_requests",
    "height",
    "id",
    "impact",
    "language",
    "level",
    "locale",
    "message",
    "method",
    "name",
    "platform",
    "platform_version",
    "platforms",
    "query",
    "rating",
    "reason",
    "recent_errors",
    "referrer",
    "reporter",
    "resolution",
    "role",
    "slug",
    "solved",
    "source",
    "status",
    "tags",
    "team",
    "time_zone",
    "title",
    "tz",
    "urgency",
    "url",
    "user_agent",
    "viewport",
    "width",
];

/// Strings that matter to these decoders: enum names, numbers, markup,
/// controls, CJK and anything else.
const WORDS: &[&str] = &[
    "team",
    "blocked",
    "organization",
    "queued",
    "resolved",
    "admin",
    "specialist",
    "P1",
    "en",
    "zh-CN",
    "https://a.example/x",
    "a@b.co",
    "-1",
    "18446744073709551616",
    "",
    " ",
    "\u{0}",
    "\u{202E}",
    "导出失败",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_owned),
        any::<String>(),
        "[a-z0-9 .@:/<>&-]{0,24}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text_value().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A body: generated JSON, the same cut short or with a byte changed, or any bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => json_value().prop_map(|v| v.to_string().into_bytes()),
        1 => (json_value(), any::<usize>()).prop_map(|(v, cut)| {
            let mut bytes = v.to_string().into_bytes();
            bytes.truncate(cut % (bytes.len() + 1));
            bytes
        }),
        1 => (json_value(), any::<usize>(), any::<u8>()).prop_map(|(v, at, byte)| {
            let mut bytes = v.to_string().into_bytes();
            let i = at % bytes.len();
            bytes[i] = byte;
            bytes
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

/// Decodes `bytes` as every request type; whatever decodes must also validate
/// (or be refused) without panicking.
fn each_request_type(bytes: &[u8]) {
    if let Ok(req) = decode::<CreateCaseRequest>(bytes) {
        let _ = validate_new_case(&req);
        let _ = request_fingerprint(&req);
    }
    if let Ok(article) = decode::<SopArticleInput>(bytes) {
        let _ = validate_article(&article, None);
        let _ = validate_article(&article, Some("path-slug"));
    }
    if let Ok(context) = decode::<IssueContext>(bytes) {
        check_context(&context);
    }
    let _ = decode::<MessageRequest>(bytes);
    let _ = decode::<StatusRequest>(bytes);
    let _ = decode::<EscalateRequest>(bytes);
    let _ = decode::<FeedbackRequest>(bytes);
    let _ = decode::<CreateSpecialistRequest>(bytes);
    let _ = decode::<DeflectionRequest>(bytes);
    let _ = decode::<ResolveIncidentRequest>(bytes);
    if let Ok(req) = decode::<WriteReportRequest>(bytes) {
        if let (Some(date), Some(tz)) = (&req.date, &req.tz) {
            let _ = DayWindow::parse(date, tz);
        }
    }
    // The queue consumer decodes its own messages back.
    let _ = serde_json::from_slice::<Notification>(bytes);
}

/// What the Worker and the widget do with captured context.
fn check_context(context: &IssueContext) {
    if let Ok(valid) = validate_context(context) {
        let items = valid.items();
        let mut fitted = valid.clone().fitted();
        if let Some(item) = items.first() {
            fitted.remove(&item.part);
        }
        let sig = signature("billing", Some("exports"), &valid);
        let _ = incident_title(&sig);
    }
}

/// A small real library.
fn library() -> Vec<SopArticle> {
    let a = |slug: &str, title: &str, body: &str, lang: &str| SopArticle {
        slug: slug.into(),
        title: title.into(),
        body_markdown: body.into(),
        tags: vec!["exports".into(), "报表".into()],
        category: "exports".into(),
        platforms: vec!["grafana".into()],
        language: lang.into(),
    };
    vec![
        a(
            "export-csv",
            "Exporting to CSV",
            "1. Click **Export**.\n2. Wait for the `csv` file.\n\nSee [help](/help).",
            "en",
        ),
        a(
            "zh-export",
            "导出报表失败",
            "1. 打开报表页面。\n2. 点击导出。",
            "zh-CN",
        ),
        a(
            "password",
            "Password reset",
            "Use the [login page](https://x.example). Passwords expire after 90 days.",
            "en",
        ),
    ]
}

fn index_bytes() -> Vec<u8> {
    SopIndex::build(&library()).to_bytes()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn request_bodies_decode_or_are_refused(bytes in body()) {
        each_request_type(&bytes);
    }

    #[test]
    fn captured_context_validates_or_is_refused(value in json_value()) {
        let wrapped = serde_json::json!({ "recent_errors": [value.clone()], "attributes": value.clone() });
        for candidate in [value, wrapped] {
            if let Ok(context) = serde_json::from_value::<IssueContext>(candidate) {
                check_context(&context);
            }
        }
    }

    #[test]
    fn any_captured_context_fields_validate_or_are_refused(
        url in proptest::option::of(text_value()),
        user_agent in proptest::option::of(text_value()),
        errors in proptest::collection::vec((text_value(), proptest::option::of(text_value())), 0..4),
        requests in proptest::collection::vec((text_value(), text_value(), any::<u16>()), 0..4),
        attributes in proptest::collection::btree_map(text_value(), text_value(), 0..4),
    ) {
        let value = serde_json::json!({
            "url": url,
            "user_agent": user_agent,
            "recent_errors": errors.iter().map(|(m, s)| serde_json::json!({"message": m, "source": s})).collect::<Vec<_>>(),
            "failed_requests": requests.iter().map(|(m, u, s)| serde_json::json!({"method": m, "url": u, "status": s})).collect::<Vec<_>>(),
            "attributes": attributes.into_iter().collect::<BTreeMap<_, _>>(),
        });
        let context: IssueContext = serde_json::from_value(value)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_context(&context);
    }

    #[test]
    fn queue_filters_parse_or_are_refused(
        params in proptest::collection::vec(
            (
                prop_oneof![
                    proptest::sample::select(&["platform", "priority", "status", "assignee", "limit", "after", "cursor"][..]).prop_map(str::to_owned),
                    "\\PC{0,6}",
                ],
                prop_oneof![text_value(), "[0-9.,a-z_-]{0,30}"],
            ),
            0..8,
        ),
        me in any::<i64>(),
    ) {
        let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let _ = parse_filter(pairs, me);
    }

    #[test]
    fn queue_cursors_decode_or_are_refused(value in prop_oneof![any::<String>(), "-?[0-9]{0,20}\\.-?[0-9]{0,20}"]) {
        if let Some(cursor) = QueueCursor::decode(&value) {
            prop_assert_eq!(QueueCursor::decode(&cursor.encode()), Some(cursor));
        }
    }

    #[test]
    fn headers_and_references_parse_or_are_refused(value in any::<String>(), other in any::<String>()) {
        let _ = etag_matches(&value, &other);
        let _ = etag_matches(&value, "\"3\"");
        let _ = bearer_token(&value);
        let _ = validate_idempotency_key(&value);
        let _ = parse_human_ref(&value);
        let _ = ReportFormat::choose(Some(&value), Some(&other));
        let _ = ReportFormat::choose(None, Some(&value));
        let _ = DayWindow::parse(&value, &other);
        let _ = DayWindow::parse("2026-11-26", &value);
    }

    #[test]
    fn identity_signatures_verify_or_are_refused(
        secret in any::<String>(),
        user in any::<String>(),
        signature in prop_oneof![any::<String>(), "[0-9a-fA-F ]{0,70}"],
    ) {
        prop_assert!(!verify(&secret, &user, &signature) || !secret.is_empty());
        let _ = secrets_match(&secret, &signature);
    }

    #[test]
    fn sop_queries_are_answered(query in prop_oneof![any::<String>(), "\\PC{0,40}", "[a-z 导出报表*\"-]{0,30}"]) {
        let index = SopIndex::build(&library());
        for hit in index.search(&query, 5) {
            prop_assert!(!hit.slug.is_empty());
        }
    }

    #[test]
    fn any_library_is_indexed_and_searched(
        docs in proptest::collection::vec((any::<String>(), any::<String>(), any::<String>()), 0..4),
        query in any::<String>(),
    ) {
        let articles: Vec<SopArticle> = docs.into_iter().enumerate().map(|(i, (title, body, tag))| SopArticle {
            slug: format!("a-{i}"),
            title,
            body_markdown: body,
            tags: vec![tag],
            category: "c".into(),
            platforms: vec![],
            language: "en".into(),
        }).collect();
        let index = SopIndex::build(&articles);
        let _ = index.search(&query, 5);
        prop_assert!(SopIndex::from_bytes(&index.to_bytes()).is_ok());
    }

    #[test]
    fn truncated_and_bit_flipped_indexes_are_refused_or_searchable(
        cut in any::<usize>(),
        flips in proptest::collection::vec((any::<usize>(), 0u8..8), 0..6),
        query in "[a-z 导出报表]{0,12}",
    ) {
        let mut bytes = index_bytes();
        for (at, bit) in flips {
            let i = at % bytes.len();
            bytes[i] ^= 1 << bit;
        }
        bytes.truncate(cut % (bytes.len() + 1));
        if let Ok(index) = SopIndex::from_bytes(&bytes) {
            let _ = index.search(&query, 5);
            let _ = index.search("export 报表 pass", 5);
        }
    }

    #[test]
    fn any_bytes_after_the_header_are_refused_or_searchable(tail in proptest::collection::vec(any::<u8>(), 0..256)) {
        // The magic and the version byte, then anything.
        let mut bytes = index_bytes()[..6].to_vec();
        bytes.extend(tail);
        if let Ok(index) = SopIndex::from_bytes(&bytes) {
            let _ = index.search("export 报表", 5);
        }
    }

    #[test]
    fn any_markdown_renders(markdown in prop_oneof![any::<String>(), "[\\[\\]()<>!*`#\\\\/:a-z \n]{0,80}"]) {
        let html = render(&markdown);
        prop_assert!(!html.contains("<script"));
        let _ = plain_text(&markdown);
    }

    #[test]
    fn any_free_text_is_cleaned_once_and_for_all(input in any::<String>(), multiline in any::<bool>()) {
        let once = text::clean(&input, multiline);
        prop_assert_eq!(text::clean(&once, multiline), once.clone());
        let _ = text::required("f", &input, 10, multiline);
        let _ = text::optional("f", Some(&input), 10);
        let _ = text::first_line(&input, 5);
        let _ = text::query_key(&input);
    }

    #[test]
    fn any_case_text_is_prioritised_and_notified(title in any::<String>(), detail in any::<String>()) {
        let _ = priority_for(Impact::Individual, Urgency::Degraded, &title);
        let _ = suggest_choices(&title);
        let line = CaseLine {
            id: 1,
            case_ref: "HL-1001".into(),
            priority: "P1".into(),
            platform: "billing".into(),
            title,
        };
        let n = Notification::about_case(NotificationKind::Page, line, &detail, vec!["@mei".into()], String::new());
        // Past the policy's mention, nothing a reporter typed is markup.
        let typed = "@mei ".len();
        prop_assert!(!n.slack_text()[typed..].contains('<'));
        prop_assert!(!n.lark_text()[typed..].contains('<'));
        let _ = n.webhook_body();
    }
}
