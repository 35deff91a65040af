//! `cargo xtask bench`: case intake and claim latency, and sustained intake
//! throughput, against local workerd — side by side with a bare Worker doing
//! one D1 INSERT per request, measured in the same run on the same machine.
//! Budgets (README, Benchmarks): p50 ≤ 10 ms, throughput ≥ 0.6× the bare Worker, no errors.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use helpline_shared::identity;
use helpline_tests::api::case_body;
use helpline_tests::{Stack, StackOptions};
use reqwest::{Client, RequestBuilder, StatusCode};
use xtask::local_worker::{self, LocalWorker, StartOptions, WorkerProject};

const SEQUENTIAL: usize = 300;
const WARM_UP: usize = 30;
const CONCURRENCY: usize = 16;
const SUSTAIN: Duration = Duration::from_secs(10);

/// p50 and p99 of `samples`, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

/// Sends `n` requests one after another; returns each one's latency.
async fn sequential(
    n: usize,
    expect: &[StatusCode],
    make: impl Fn(usize) -> RequestBuilder,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        let response = make(i).send().await.expect("request");
        let status = response.status();
        let _ = response.bytes().await;
        samples.push(started.elapsed());
        assert!(expect.contains(&status), "unexpected {status}");
    }
    samples
}

struct Sustained {
    requests: u64,
    errors: u64,
    per_second: f64,
}

/// Keeps `CONCURRENCY` requests in flight for `SUSTAIN`; counts answers.
async fn sustained(
    make: Arc<dyn Fn(u64) -> RequestBuilder + Send + Sync>,
    expect: StatusCode,
) -> Sustained {
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + SUSTAIN;
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (make, done, errors, next) =
                (make.clone(), done.clone(), errors.clone(), next.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    match make(i).send().await {
                        Ok(r) if r.status() == expect => {
                            let _ = r.bytes().await;
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("load worker");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let requests = done.load(Ordering::Relaxed);
    Sustained {
        requests,
        errors: errors.load(Ordering::Relaxed),
        per_second: requests as f64 / elapsed,
    }
}

fn create_request(client: &Client, base: &str, secret: &str, run: &str, i: u64) -> RequestBuilder {
    let user = format!("bench-user-{}", i % 200);
    client
        .post(format!("{base}/v1/cases"))
        .header("X-Helpline-User", &user)
        .header("X-Helpline-User-Hash", identity::sign(secret, &user))
        .header("Idempotency-Key", format!("{run}-{i}"))
        .json(&case_body(
            &user,
            &format!("Export to CSV times out after 30 s (bench {i})"),
        ))
}

async fn bare_baseline(client: &Client) -> Sustained {
    let state = tempfile::tempdir().expect("temp dir");
    let project = WorkerProject::bare_insert();
    local_worker::migrate(&project, state.path(), true).expect("bare migrations");
    let worker = LocalWorker::start(StartOptions {
        project,
        state: state.path().to_path_buf(),
        port: local_worker::free_port().expect("port"),
        vars: Vec::new(),
        show_output: false,
        front: None,
    })
    .expect("bare worker starts");
    let base = worker.base_url.clone();
    let body = case_body("bench-user", "Export to CSV times out after 30 s").to_string();
    let make = {
        let (client, base) = (client.clone(), base.clone());
        move |_: usize| client.post(format!("{base}/")).body(body.clone())
    };
    sequential(WARM_UP, &[StatusCode::CREATED], &make).await;
    let (p50, p99) = percentiles(sequential(SEQUENTIAL, &[StatusCode::CREATED], &make).await);
    println!("bare INSERT Worker   latency p50 {p50:6.2} ms   p99 {p99:6.2} ms");
    sustained(Arc::new(move |i| make(i as usize)), StatusCode::CREATED).await
}

#[tokio::main]
async fn main() {
    let client = Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    println!("Helpline benchmark: {SEQUENTIAL} sequential requests per latency figure, then {CONCURRENCY} in flight for {}s", SUSTAIN.as_secs());

    let bare = bare_baseline(&client).await;
    println!(
        "bare INSERT Worker   sustained {:7.1} req/s ({} requests, {} errors)",
        bare.per_second, bare.requests, bare.errors
    );

    let stack = Stack::start_with(StackOptions {
        vars: vec![
            ("CASES_PER_REPORTER_PER_MINUTE".into(), "1000000".into()),
            ("CASES_PER_IP_PER_MINUTE".into(), "1000000".into()),
        ],
        ..StackOptions::default()
    });
    let base = stack.url("");
    let secret = stack.identity_secret.clone();
    let create = {
        let (client, base, secret) = (client.clone(), base.clone(), secret.clone());
        move |i: usize| create_request(&client, &base, &secret, "seq", i as u64)
    };
    sequential(WARM_UP, &[StatusCode::CREATED], |i| create(i + 1_000_000)).await;
    let (create_p50, create_p99) =
        percentiles(sequential(SEQUENTIAL, &[StatusCode::CREATED], &create).await);
    println!("case intake          latency p50 {create_p50:6.2} ms   p99 {create_p99:6.2} ms");

    let token = stack.tokens.specialist.clone();
    let claim = |_: usize| {
        client
            .post(format!("{base}/v1/queue/claim"))
            .bearer_auth(&token)
    };
    let (claim_p50, claim_p99) =
        percentiles(sequential(SEQUENTIAL, &[StatusCode::OK], claim).await);
    println!("claim                latency p50 {claim_p50:6.2} ms   p99 {claim_p99:6.2} ms");

    let intake = sustained(
        Arc::new({
            let (client, base, secret) = (client.clone(), base.clone(), secret.clone());
            move |i| create_request(&client, &base, &secret, "load", i)
        }),
        StatusCode::CREATED,
    )
    .await;
    let ratio = intake.per_second / bare.per_second;
    println!(
        "case intake          sustained {:7.1} req/s ({} requests, {} errors) = {ratio:.2}x the bare Worker",
        intake.per_second, intake.requests, intake.errors
    );

    let verdict = |ok: bool| if ok { "ok" } else { "OVER BUDGET" };
    println!("\nbudgets: intake p50 ≤ 10 ms: {}; claim p50 ≤ 10 ms: {}; throughput ≥ 0.6x bare: {}; zero errors: {}",
        verdict(create_p50 <= 10.0),
        verdict(claim_p50 <= 10.0),
        verdict(ratio >= 0.6),
        verdict(intake.errors == 0 && bare.errors == 0),
    );
}
