//! `cargo xtask bench-sweep`: the SLA sweep over 100,000 open cases of which
//! 10,000 have lapsed, in local D1 — the first tick (which raises every owed
//! breach, escalates the urgent ones and records their notifications) and
//! the steady ticks after it (nothing owed): wall time per tick and the CPU
//! wrangler + workerd spent on it, less a trivial request's. Locally D1 runs
//! inside workerd, so that CPU includes the SQL.

use std::time::{Duration, Instant};

use helpline_shared::api::SweepReport;
use helpline_tests::bench::{group_cpu_seconds, median};
use helpline_tests::{Stack, StackOptions};
use reqwest::Method;

const CASES: u32 = 100_000;
const LAPSED_EVERY: u32 = 10;

/// Open cases made inside SQLite; every tenth one's first-response breach
/// fell due a minute ago, the others' come in an hour (warnings in half of
/// one). Their stored due times are what the Worker's intake would store.
fn open_cases_sql(now: i64) -> String {
    format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
INSERT INTO cases (title, description, platform, category, impact, urgency, priority, status,
    reporter_id, context, queue_rank, idempotency_key, request_fingerprint, created_ms,
    updated_ms, signature, sla_first_response_warning_ms, sla_first_response_breach_ms,
    sla_resolution_warning_ms, sla_resolution_breach_ms)
SELECT 'Open case ' || i, 'Something is wrong, case ' || i,
    'platform-' || (i % 12), 'category-' || (i % 9), 'individual', 'degraded',
    CASE WHEN i % 50 = 0 THEN 'P1' WHEN i % 10 = 0 THEN 'P2' ELSE 'P3' END,
    CASE i % 2 WHEN 0 THEN 'queued' ELSE 'in_progress' END,
    'user-' || (i % 5000), '{{}}',
    CASE WHEN i % {every} = 0 THEN {now} - 60000 ELSE {now} + 3600000 END,
    'bench-' || i, 'bench', {now} - 7200000, {now} - 7200000,
    'platform-' || (i % 12) || '|category:category-' || (i % 9),
    CASE WHEN i % {every} = 0 THEN {now} - 120000 ELSE {now} + 1800000 END,
    CASE WHEN i % {every} = 0 THEN {now} - 60000 ELSE {now} + 3600000 END,
    {now} + 36000000, {now} + 72000000
FROM n;",
        last = CASES - 1,
        every = LAPSED_EVERY,
    )
}

async fn tick(stack: &Stack) -> (SweepReport, f64, f64) {
    let group = stack.process_group();
    let cpu_before = group_cpu_seconds(group);
    let started = Instant::now();
    let report: SweepReport = stack
        .with_token(&stack.tokens.lead, Method::POST, "/v1/sla/sweep")
        .send()
        .await
        .expect("sweep")
        .json()
        .await
        .expect("sweep report");
    let wall = started.elapsed().as_secs_f64() * 1000.0;
    tokio::time::sleep(Duration::from_millis(200)).await;
    (
        report,
        wall,
        (group_cpu_seconds(group) - cpu_before) * 1000.0,
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let now = xtask::local_worker::now_millis();
    println!("Seeding {CASES} open cases, every {LAPSED_EVERY}th lapsed, into a fresh local D1 …");
    let seeding = Instant::now();
    let stack = Stack::start_with(StackOptions {
        seed_sql: Some(open_cases_sql(now)),
        // The production pace: past it the sweep's 10,000 notifications fold
        // into one digest a minute.
        vars: vec![("IM_MESSAGES_PER_MINUTE".into(), "20".into())],
        ..StackOptions::default()
    });
    println!(
        "  seeded and started in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let group = stack.process_group();
    let before = group_cpu_seconds(group);
    for _ in 0..20 {
        let _ = stack.http.get(stack.url("/healthz")).send().await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let baseline = (group_cpu_seconds(group) - before) * 1000.0 / 20.0;

    let (first, wall, cpu) = tick(&stack).await;
    let lapsed = (CASES / LAPSED_EVERY) as usize;
    assert_eq!(first.breaches, lapsed, "one tick raises every owed breach");
    println!(
        "\n  first tick:  {} breaches, {} warnings; wall {wall:.0} ms, CPU {:.0} ms",
        first.breaches,
        first.warnings,
        cpu - baseline
    );
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..5 {
        let (steady, wall, cpu) = tick(&stack).await;
        assert_eq!(steady, SweepReport::default(), "nothing owed twice");
        walls.push(wall);
        cpus.push(cpu - baseline);
    }
    println!(
        "  steady tick (nothing owed): wall p50 {:.0} ms, CPU p50 {:.0} ms",
        median(walls),
        median(cpus)
    );
    println!(
        "\n  CPU is wrangler + workerd CPU per tick less a /healthz request's ({baseline:.2} ms);\n  \
         locally it includes D1's SQL (D1 runs inside workerd)."
    );
}
