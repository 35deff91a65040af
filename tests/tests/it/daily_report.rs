//! The daily report over a fixture day of known cases: the same figures in
//! JSON, Markdown and HTML; the HTML renders in headless Chromium with its
//! charts and no script; a lead can write it and send it to the channel. And
//! the rest of the cron tick's upkeep: the retention purge.

use std::time::Duration;

use helpline_shared::api::CaseView;
use helpline_shared::events::CaseEventKind;
use helpline_shared::report::{zone, DailyReport, DayWindow};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use helpline_tests::api::{
    count_events, expect_json, expect_refusal_naming, expect_status, sla_policy, Exchange,
};
use helpline_tests::{Browser, Stack, StackOptions};

fn case(user: &str, platform: &str, description: &str) -> Value {
    json!({ "description": description, "platform": platform, "reporter": { "id": user } })
}

async fn send(stack: &Stack, user: &str, platform: &str, description: &str) -> i64 {
    stack
        .create_case_from(user, case(user, platform, description))
        .await
        .id
}

async fn rate(stack: &Stack, user: &str, id: i64, rating: u8) {
    let rated = stack.feedback(user, id, json!({ "rating": rating })).await;
    expect_json::<CaseView>(rated, StatusCode::OK).await;
}

/// Claims the next case, which must be `id`, answers it and, if asked, resolves it.
async fn work(stack: &Stack, id: i64, resolve: bool) {
    let token = stack.tokens.specialist.clone();
    assert_eq!(stack.claim_next(&token).await.id, id);
    stack.reply(&token, id, "On it").await;
    if resolve {
        stack.set_status(&token, id, "resolved").await;
    }
}

fn report_url(query: &str) -> String {
    format!("/v1/reports/daily?{query}")
}

#[tokio::test]
async fn a_fixture_day_gives_known_figures_in_all_three_forms() {
    let policy = sla_policy(6_000, 600_000);
    let vars = [("SLA_POLICY", policy), ("SLA_WARN_AT", "0.99".into())];
    let (stack, receiver) = Stack::with_channel(200, vars).await;

    // The day: a P1 answered and resolved (rated 5), a P2 answered and
    // escalated, two P3s nobody answers in time (breached), one of which is
    // then resolved (rated 4); three self-serve answers, two of which solved it.
    let p1 = send(
        &stack,
        "u-1",
        "ads-console",
        "Outage: nothing loads for all users",
    )
    .await;
    let p2 = send(&stack, "u-2", "billing", "I am locked out of billing").await;
    let slow = send(&stack, "u-3", "billing", "The invoice total looks wrong").await;
    let open = send(&stack, "u-4", "crm", "Contact import is slow").await;
    work(&stack, p1, true).await;
    rate(&stack, "u-1", p1, 5).await;
    work(&stack, p2, false).await;
    let specialist = &stack.tokens.specialist;
    stack
        .escalate(specialist, p2, "access", 1, "SSO group missing")
        .await;
    tokio::time::sleep(Duration::from_millis(6_500)).await;
    assert_eq!(stack.sweep().await.breaches, 2);
    work(&stack, slow, true).await;
    rate(&stack, "u-3", slow, 4).await;
    for (query, solved) in [
        ("reset password", true),
        ("export csv", true),
        ("refund status", false),
    ] {
        let recorded = stack
            .as_reporter("u-9", Method::POST, "/v1/deflections")
            .json(&json!({ "query": query, "solved": solved, "platform": "billing" }));
        expect_status(recorded, StatusCode::CREATED).await;
    }

    // JSON.
    let report: DailyReport = stack.read_as_team(&report_url("")).await;
    let t = &report.totals;
    assert_eq!(
        (
            t.received,
            t.resolved,
            t.backlog,
            t.escalated,
            t.reopened,
            t.breaches
        ),
        (4, 2, 2, 1, 0, 2)
    );
    assert_eq!(report.per_hour.len(), 24);
    assert_eq!(report.per_hour.iter().sum::<i64>(), 4);
    let tally = |list: &[helpline_shared::report::Tally]| {
        list.iter()
            .map(|t| (t.key.clone(), t.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tally(&report.by_platform),
        vec![
            ("billing".into(), 2),
            ("ads-console".into(), 1),
            ("crm".into(), 1)
        ]
    );
    assert_eq!(
        tally(&report.by_priority),
        vec![("P1".into(), 1), ("P2".into(), 1), ("P3".into(), 2)]
    );
    let p3 = report.sla.iter().find(|s| s.priority == "P3").unwrap();
    assert_eq!(
        (p3.cases, p3.first_response_breached, p3.compliance),
        (2, 2, Some(0.0))
    );
    let p1_sla = report.sla.iter().find(|s| s.priority == "P1").unwrap();
    assert_eq!(p1_sla.compliance, Some(1.0));
    let mut breached: Vec<i64> = report.breaches.iter().map(|b| b.case_id).collect();
    breached.sort();
    assert_eq!(breached, vec![slow, open]);
    let reasons = |id: i64| {
        report
            .key_tickets
            .iter()
            .find(|k| k.case_id == id)
            .map(|k| k.reasons.clone())
            .unwrap_or_default()
    };
    assert_eq!(reasons(p1), vec!["p1"]);
    assert_eq!(reasons(p2), vec!["p2", "escalated", "oldest_open"]);
    assert_eq!(reasons(slow), vec!["breached"]);
    assert_eq!(reasons(open), vec!["breached", "oldest_open"]);
    assert!(report.response_times.first_response_p50_minutes.is_some());
    assert!(report.response_times.resolution_p90_minutes.is_some());
    assert_eq!((report.csat.ratings, report.csat.average), (2, Some(4.5)));
    assert_eq!(report.csat.distribution, [0, 0, 0, 1, 1]);
    let serve = &report.self_serve;
    assert_eq!((serve.solved, serve.not_solved), (2, 1));
    assert_eq!(serve.deflection_rate, Some(2.0 / 6.0));
    assert_eq!(tally(&serve.top_gaps), vec![("refund status".into(), 1)]);

    // Markdown: the same figures, to paste into IM.
    let markdown = stack
        .as_specialist(Method::GET, &report_url("format=markdown"))
        .answer()
        .await;
    assert!(markdown.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let markdown = markdown.text().await.unwrap();
    for expected in [
        format!("# Helpline daily report — {} (UTC)", report.date),
        "| Received | 4 |".into(),
        "| Resolved | 2 |".into(),
        "| Backlog | 2 |".into(),
        "| SLA breaches | 2 |".into(),
        "| P3 | 2 | 2 | 0 | 0% |".into(),
        "| Average | 4.5 |".into(),
        "| Deflection rate | 33% |".into(),
        "| refund status | 1 |".into(),
        format!("HL-{}", slow + 1000),
    ] {
        assert!(
            markdown.contains(&expected),
            "{expected:?} missing in:\n{markdown}"
        );
    }

    // HTML, chosen by Accept: a page with charts, no script, under a strict CSP.
    let html = stack
        .as_specialist(Method::GET, &report_url(""))
        .header("Accept", "text/html");
    let html = expect_status(html, StatusCode::OK).await;
    let csp = html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    let html = html.text().await.unwrap();
    let browser = Browser::start().await;
    let page = format!("data:text/html;charset=utf-8;base64,{}", base64(&html));
    browser.client.goto(&page).await.unwrap();
    let seen = browser
        .client
        .execute(
            "const charts = [...document.querySelectorAll('svg.chart')];
             return {
               charts: charts.map(c => c.dataset.chart),
               drawn: charts.every(c => c.getBoundingClientRect().width > 0),
               hourBars: document.querySelector('svg[data-chart=per-hour]').querySelectorAll('rect').length,
               scripts: document.scripts.length,
               heading: document.querySelector('h1').textContent,
               text: document.body.innerText,
             };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        seen["charts"],
        json!(["per-hour", "platform", "category", "priority", "sla"])
    );
    assert_eq!(seen["drawn"], true);
    assert_eq!(seen["hourBars"], 24);
    assert_eq!(seen["scripts"], 0);
    assert!(seen["heading"].as_str().unwrap().contains(&report.date));
    assert!(seen["text"]
        .as_str()
        .unwrap()
        .contains(&format!("HL-{}", open + 1000)));

    // A lead writes it now: it goes to the channel as Markdown.
    let written = stack
        .with_token(&stack.tokens.lead, Method::POST, "/v1/reports/daily")
        .json(&json!({ "tz": "UTC" }));
    let written: DailyReport = expect_json(written, StatusCode::OK).await;
    assert_eq!(written.totals, report.totals);
    let sent = receiver.exactly("daily_report", 1).await;
    assert!(sent[0]["text"]
        .as_str()
        .unwrap()
        .contains("| Received | 4 |"));
}

#[tokio::test]
async fn the_cron_tick_sweeps_and_writes_yesterdays_report_once() {
    let (stack, receiver) = Stack::with_channel(
        200,
        [
            ("SLA_POLICY", sla_policy(2_000, 600_000)),
            ("REPORT_HOUR", "0".into()),
            ("REPORT_TIME_ZONE", "UTC".into()),
        ],
    )
    .await;
    let late = send(&stack, "u-1", "crm", "Contact import is slow").await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;

    // What production's cron trigger does every minute, fired as wrangler
    // dev fires it; twice, as two minutes would.
    for _ in 0..2 {
        stack.tick().await;
    }
    let swept = stack.case_for_team(late).await;
    assert_eq!(
        count_events(&swept, CaseEventKind::SlaBreached),
        1,
        "the tick ran the SLA sweep, once per breach"
    );

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let yesterday = DayWindow::containing(now, zone("UTC").unwrap())
        .previous()
        .date_text();
    let sent = receiver.exactly("daily_report", 1).await;
    let text = sent[0]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("Helpline daily report — {yesterday} (UTC)")),
        "{text}"
    );
}

#[tokio::test]
async fn report_parameters_are_checked_and_reports_need_a_token() {
    let stack = Stack::start();
    for (query, field) in [
        ("date=2026-13-40", "date"),
        ("tz=Mars/Olympus", "tz"),
        ("format=pdf", "format"),
    ] {
        let refused = stack.as_specialist(Method::GET, &report_url(query));
        expect_refusal_naming(refused, StatusCode::UNPROCESSABLE_ENTITY, field).await;
    }
    // A day in a zone with a clock change has 23 hours, all empty.
    let spring: DailyReport = stack
        .read_as_team("/v1/reports/daily?date=2026-03-29&tz=Europe/Berlin")
        .await;
    assert_eq!(spring.per_hour, vec![0; 23]);
    assert_eq!(spring.totals.received, 0);
    let anonymous = stack.anonymous(Method::GET, "/v1/reports/daily");
    expect_status(anonymous, StatusCode::UNAUTHORIZED).await;
    let by_specialist = stack
        .as_specialist(Method::POST, "/v1/reports/daily")
        .json(&json!({}));
    expect_status(by_specialist, StatusCode::FORBIDDEN).await;
}

/// Standard base64, for a data: URL (the page is tiny; no crate needed).
fn base64(text: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bookkeeping tables stop growing: the cron tick purges what is past its
/// window (`helpline_shared::retention`) and keeps what is within it.
#[tokio::test]
async fn the_cron_tick_purges_bookkeeping_past_its_window() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 86_400_000;
    let old_and_new = |table: &str, columns: &str, old: &str, new: &str| {
        format!("INSERT INTO {table} ({columns}) VALUES {old}, {new};\n")
    };
    let seed = [
        old_and_new(
            "rate_limits",
            "bucket, window_ms, count",
            &format!("('cases:reporter:gone', {}, 3)", now - 10 * 60_000),
            &format!("('cases:reporter:here', {now}, 1)"),
        ),
        old_and_new(
            "deflections",
            "query, query_key, solved, reporter_id, at_ms",
            &format!("('old', 'old', 1, 'u-1', {})", now - 200 * day),
            &format!("('new', 'new', 1, 'u-1', {})", now - day),
        ),
        old_and_new(
            "dead_notifications",
            "message_id, body, failed_ms",
            &format!("('m-old', '{{}}', {})", now - 40 * day),
            &format!("('m-new', '{{}}', {})", now - day),
        ),
    ]
    .concat();
    let stack = Stack::start_with(StackOptions {
        seed_sql: Some(seed),
        ..StackOptions::default()
    });
    // The cron tick itself counts the channel's messages in rate_limits (it
    // sends the daily report): only the seeded intake counters are looked at.
    let seeded = [
        "rate_limits WHERE bucket LIKE 'cases:%'",
        "deflections",
        "dead_notifications",
    ];
    for rows in seeded {
        assert_eq!(stack.count_rows(rows), 2, "{rows} before");
    }
    stack.tick().await;
    for rows in seeded {
        assert_eq!(
            stack.count_rows(rows),
            1,
            "{rows}: the old row went, the new one stayed"
        );
    }
    assert_eq!(
        stack.count_rows("rate_limits WHERE bucket = 'cases:reporter:here'"),
        1
    );
}
