//! `cargo xtask bench-report`: the daily report over a day of 100,000 cases in
//! local D1 — wall time per form (JSON, Markdown, HTML), the SQL time D1
//! reports (`Server-Timing`), and the CPU time wrangler + workerd spent per
//! report, read from /proc, less what a trivial request costs. Locally D1 runs
//! inside workerd, so that CPU includes the SQL; on Cloudflare it does not,
//! and the Worker's own share is roughly CPU minus SQL time.

use std::time::{Duration, Instant};

use helpline_shared::report::DailyReport;
use helpline_tests::bench::{group_cpu_seconds, median};
use helpline_tests::{Stack, StackOptions};
use reqwest::Method;

const CASES: u32 = 100_000;
/// 2026-11-25T00:00:00Z, the benchmark's day.
const DAY_START_MS: i64 = 1_795_564_800_000;
const DAY: &str = "2026-11-25";
const RUNS: usize = 5;

/// One day of cases spread evenly over 24 hours, with the events a busy day
/// has: breaches, escalations, reopenings, ratings, self-serve answers and a
/// few incidents. Generated inside SQLite, so seeding takes seconds.
fn day_sql() -> String {
    let spacing = 86_400_000 / i64::from(CASES);
    format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
INSERT INTO cases (title, description, platform, category, impact, urgency, priority, status,
    reporter_id, context, queue_rank, idempotency_key, request_fingerprint, created_ms,
    updated_ms, first_response_ms, resolved_ms, sla_alerts, rating, signature)
SELECT 'Generated case ' || i, 'Something is wrong, case ' || i,
    'platform-' || (i % 12), 'category-' || (i % 9), 'individual', 'degraded',
    CASE WHEN i % 50 = 0 THEN 'P1' WHEN i % 10 = 0 THEN 'P2' WHEN i % 3 = 0 THEN 'P4' ELSE 'P3' END,
    CASE i % 4 WHEN 0 THEN 'queued' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'resolved' ELSE 'closed' END,
    'user-' || (i % 5000), '{{}}', 0, 'bench-' || i, 'bench',
    {start} + i * {spacing}, {start} + i * {spacing},
    CASE WHEN i % 4 = 0 THEN NULL ELSE {start} + i * {spacing} + (i % 97) * 60000 END,
    CASE WHEN i % 4 >= 2 THEN {start} + i * {spacing} + 600000 + (i % 300) * 60000 END,
    (CASE WHEN i % 20 = 0 THEN 2 ELSE 0 END) | (CASE WHEN i % 33 = 0 THEN 8 ELSE 0 END),
    CASE WHEN i % 4 = 3 THEN 1 + i % 5 END,
    'platform-' || (i % 12) || '|category:category-' || (i % 9)
FROM n;
INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, 'sla_breached', 0, 'system', 'first response target missed', created_ms + 900000
    FROM cases WHERE (sla_alerts & 2) != 0;
INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, 'escalated', 0, 'specialist', 'data (level 1): generated', created_ms + 3600000
    FROM cases WHERE id % 40 = 0;
INSERT INTO case_events (case_id, kind, public, actor_kind, at_ms)
    SELECT id, 'reopened', 1, 'reporter', created_ms + 7200000 FROM cases WHERE id % 200 = 0;
INSERT INTO case_events (case_id, kind, public, actor_kind, body, at_ms)
    SELECT id, 'feedback', 1, 'reporter', rating || '/5', resolved_ms + 60000
    FROM cases WHERE rating IS NOT NULL;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29999)
INSERT INTO deflections (query, query_key, article_slug, solved, reporter_id, platform, at_ms)
    SELECT 'query ' || (i % 40), 'query ' || (i % 40), NULL, i % 3 != 0, 'user-' || i,
        'platform-' || (i % 12), {start} + i * 2880 FROM n;
INSERT INTO incidents (signature, platform, title, status, opened_ms)
    VALUES ('platform-1|category:category-1', 'platform-1', 'platform-1: category-1 problems',
        'resolved', {start} + 3600000),
    ('platform-2|category:category-2', 'platform-2', 'platform-2: category-2 problems',
        'open', {start} + 7200000);
INSERT INTO incident_cases (incident_id, case_id)
    SELECT 1, id FROM cases WHERE signature = 'platform-1|category:category-1' AND id < 2000;
",
        last = CASES - 1,
        start = DAY_START_MS,
    )
}

struct Measured {
    wall_ms: Vec<f64>,
    sql_ms: Vec<f64>,
    cpu_ms_per_request: f64,
    bytes: usize,
}

async fn measure(stack: &Stack, path: &str, runs: usize) -> Measured {
    let group = stack.process_group();
    let (mut wall_ms, mut sql_ms, mut bytes) = (Vec::new(), Vec::new(), 0);
    let cpu_before = group_cpu_seconds(group);
    for _ in 0..runs {
        let started = Instant::now();
        let response = stack
            .as_specialist(Method::GET, path)
            .send()
            .await
            .expect("request");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        let timing = response
            .headers()
            .get("server-timing")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split("dur=").nth(1))
            .and_then(|v| v.parse::<f64>().ok());
        bytes = response.bytes().await.expect("body").len();
        wall_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        sql_ms.extend(timing);
    }
    // Let the processes' counters settle before reading them again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let cpu_ms_per_request = (group_cpu_seconds(group) - cpu_before) * 1000.0 / runs as f64;
    Measured {
        wall_ms,
        sql_ms,
        cpu_ms_per_request,
        bytes,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("Seeding {CASES} cases for {DAY} into a fresh local D1 …");
    let seeding = Instant::now();
    let stack = Stack::start_with(StackOptions {
        seed_sql: Some(day_sql()),
        ..StackOptions::default()
    });
    println!(
        "  seeded and started in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let json_path = format!("/v1/reports/daily?date={DAY}&tz=UTC");
    let report: DailyReport = stack
        .as_specialist(Method::GET, &json_path)
        .send()
        .await
        .expect("report")
        .json()
        .await
        .expect("report JSON");
    assert_eq!(
        report.totals.received,
        i64::from(CASES),
        "the day holds every case"
    );
    println!(
        "  report: {} received, {} resolved, {} breaches, {} key tickets, {} incidents",
        report.totals.received,
        report.totals.resolved,
        report.totals.breaches,
        report.key_tickets.len(),
        report.incidents.len()
    );

    let baseline = measure(&stack, "/healthz", 50).await;
    println!(
        "\n  baseline GET /healthz: wall p50 {:.1} ms, CPU {:.2} ms/request",
        median(baseline.wall_ms.clone()),
        baseline.cpu_ms_per_request
    );
    println!(
        "\n  {:<10} {:>12} {:>12} {:>12} {:>16} {:>10}",
        "form", "wall p50", "wall max", "D1 SQL p50", "CPU/report", "size"
    );
    for (form, query) in [
        ("json", ""),
        ("markdown", "&format=markdown"),
        ("html", "&format=html"),
    ] {
        let m = measure(&stack, &format!("{json_path}{query}"), RUNS).await;
        let max = m.wall_ms.iter().cloned().fold(0.0, f64::max);
        println!(
            "  {:<10} {:>9.0} ms {:>9.0} ms {:>9.0} ms {:>13.0} ms {:>7.1} KB",
            form,
            median(m.wall_ms),
            max,
            median(m.sql_ms),
            m.cpu_ms_per_request - baseline.cpu_ms_per_request,
            m.bytes as f64 / 1024.0
        );
    }
    println!(
        "\n  CPU/report is wrangler + workerd CPU per report less the /healthz baseline;\n  \
         locally it includes D1's SQL (D1 runs inside workerd). On Cloudflare the SQL\n  \
         runs in D1, so the Worker's own CPU is about CPU/report minus D1 SQL."
    );
}
