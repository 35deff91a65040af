//! `cargo xtask <command>`: the project's commands.
//!
//!   setup   install the tools the build and tests need (idempotent)
//!   build   build the widget, the site and the Worker; print sizes
//!   sizes   print the size report of what is built
//!   dev     build, migrate and seed local D1, run Helpline on 127.0.0.1
//!   test    every check: fmt, clippy, unit tests, builds, integration and browser tests
//!   bench   intake and claim latency and throughput against local workerd
//!   bench-sop  SOP search over 5,000 articles: native, wasm in headless Chromium, MiniSearch
//!   bench-report  the daily report over a day of 100,000 cases in local D1
//!   bench-sweep  the SLA sweep over 100,000 open cases, 10,000 of them lapsed
//!   bench-widget  widget sizes, and click-to-interactive in headless Chromium
//!   bench-console  the console with 1,000 open cases: render times, a change seen elsewhere
//!   screenshot  docs/console-case.png, the README's picture of the case workspace
//!   fuzz    every decoder of outside input in shared, a million cases each
//!   openapi write docs/openapi.json from the API's Rust types and route table

use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use xtask::cmd::{self, run, run_tests, Result, TestCount};
use xtask::local_worker::{self, LocalWorker, SeedSpecialist, StartOptions, WorkerProject};
use xtask::tools::{self, Needs};
use xtask::{lints, paths, site, sizes};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::ensure(Needs::BuildAndBrowser),
        Some("build") => tools::ensure(Needs::Build).and_then(|()| site::build_all()),
        Some("dev") => dev(),
        Some("test") => test(),
        Some("bench-sop") => bench_sop(),
        Some("fuzz") => fuzz(),
        Some("openapi") => openapi(),
        Some("sizes") => sizes::report(),
        other => match other.and_then(site_bench) {
            Some(result) => result,
            None => {
                eprintln!("usage: cargo xtask <setup|build|sizes|dev|test|bench|bench-sop|bench-report|bench-sweep|bench-widget|bench-console|screenshot|fuzz|openapi>");
                return ExitCode::from(2);
            }
        },
    };
    match result {
        Ok(()) => {
            eprintln!("\nxtask done in {:.0}s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("\nxtask failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// A secret for the local stack: from the environment variable `var`, else
/// the one kept in the dev state from an earlier run, else a new one.
fn dev_secret(var: &str, file: &str) -> Result<String> {
    if let Ok(value) = std::env::var(var) {
        if !value.trim().is_empty() {
            return Ok(value.trim().to_owned());
        }
    }
    let kept = paths::dev_state().join(file);
    if let Ok(value) = std::fs::read_to_string(&kept) {
        return Ok(value.trim().to_owned());
    }
    let value = local_worker::random_token()?;
    std::fs::create_dir_all(paths::dev_state()).map_err(|e| e.to_string())?;
    std::fs::write(&kept, &value).map_err(|e| e.to_string())?;
    Ok(value)
}

/// Writes the API document the code makes; the tests fail while the
/// committed one differs.
fn openapi() -> Result {
    let path = paths::root().join("docs/openapi.json");
    std::fs::write(&path, helpline_shared::openapi::document_text()).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn dev() -> Result {
    tools::ensure(Needs::Build)?;
    site::build_all()?;
    let state = paths::dev_state();
    cmd::step("Preparing the local D1 database");
    local_worker::migrate(&WorkerProject::helpline(), &state, false)?;
    let token = dev_secret("HELPLINE_DEV_TOKEN", "specialist-token")?;
    let identity_secret = dev_secret("HELPLINE_IDENTITY_SECRET", "identity-secret")?;
    let seed = local_worker::specialist_sql(
        &SeedSpecialist {
            name: "Demo Specialist",
            role: "admin",
            token: &token,
        },
        local_worker::now_millis(),
    );
    let articles = xtask::seed::articles()?;
    let seed = seed + &xtask::seed::articles_sql(&articles, local_worker::now_millis());
    local_worker::execute_sql(&WorkerProject::helpline(), &state, &seed, true)?;
    eprintln!(
        "    seeded {} SOP articles and the demo specialist",
        articles.len()
    );

    let port = std::env::var("HELPLINE_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8787);
    cmd::step(&format!("Starting Helpline on http://127.0.0.1:{port}"));
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Ctrl-C, and also a plain `kill` or a closed terminal (the "termination"
    // feature): whatever stops this command stops wrangler and workerd too.
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| format!("cannot catch Ctrl-C: {e}"))?;
    let mut worker = LocalWorker::start(StartOptions {
        project: WorkerProject::helpline(),
        state,
        port,
        vars: vec![
            ("IDENTITY_SECRET".into(), identity_secret.clone()),
            // The demo page cannot sign users (it has no server): allow
            // unsigned users here, and only here.
            ("DEMO_UNSIGNED_USERS".into(), "true".into()),
        ],
        show_output: true,
        front: None,
    })?;
    let base = worker.base_url.clone();
    eprintln!(
        "\n  Helpline is running.\n\n  \
         Demo platform page (click Help):  {base}/demo/\n  \
         Specialist console:               {base}/console/\n  \
         API base:                         {base}/v1\n  \
         Specialist token (admin):         {token}\n  \
         Identity secret (HMAC of user ids): {identity_secret}\n\n  \
         Try:  curl -H 'Authorization: Bearer {token}' {base}/v1/queue\n\n  \
         Ctrl-C stops everything.\n"
    );

    // `wrangler dev` does not fire cron triggers by itself: fire the minute's
    // tick (SLA sweep, daily report when due) the way production does.
    let mut last_tick = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        if worker.exited() {
            return Err("wrangler dev stopped".into());
        }
        if last_tick.elapsed() >= Duration::from_secs(60) {
            last_tick = Instant::now();
            if local_worker::http_status(port, "/__scheduled") != Some(200) {
                eprintln!("  (the minute's cron tick did not answer 200)");
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("\nStopping Helpline…");
    worker.stop();
    Ok(())
}

/// `cargo` with space-separated `args`, run at the workspace root.
fn cargo(args: &str) -> Command {
    let mut c = Command::new("cargo");
    c.args(args.split_whitespace()).current_dir(paths::root());
    c
}

/// The native crates `cargo xtask test` builds and tests, in one cargo run
/// each: their features resolve once, so no dependency is built twice.
/// The widget and the console are not among them: they are wasm apps whose
/// logic and words live in `shared` (and are tested there), linted in their
/// release build; natively they would only compile Leptos once more.
const NATIVE: &str = "-p helpline-shared -p helpline-sop-bench-wasm -p xtask -p helpline-tests";

fn test() -> Result {
    tools::ensure(Needs::BuildAndBrowser)?;
    cmd::step("Formatting (cargo fmt --check)");
    run(&mut cargo("fmt --all --check"))?;
    let mut count = TestCount::default();
    // The widget's release build (nightly), the Worker's and the native
    // crates' run side by side. Every crate is linted as it compiles
    // (`xtask::lints`): the Worker, the widget, the console and `shared` for
    // wasm in their release builds, everything else natively.
    let widget = site::aside(site::build_site_linted);
    let worker = site::aside(site::build_worker_linted);
    let targets = format!("--tests --bins --examples {NATIVE}");
    cmd::step("Building every native crate and its tests, linted (clippy -D warnings)");
    let native = run(lints::denying_warnings(&mut cargo(&format!(
        "test --no-run {targets}"
    ))));
    let built = native
        .and(site::joined(worker))
        .and(site::joined(widget))
        .and_then(|()| sizes::report());
    let tested = built.and_then(|()| {
        cmd::step("Unit, integration and browser tests (workerd + local D1 + headless Chromium)");
        run_tests(
            lints::denying_warnings(&mut cargo(&format!(
                "test --no-fail-fast {targets} -- --test-threads 4"
            ))),
            &mut count,
        )
    });
    // The plain closing line CI reads, over every test that ran.
    println!("\ntests: {} passed, {} failed", count.passed, count.failed);
    tested
}

/// The property tests in `shared/tests/fuzz.rs` at depth: a million cases per
/// decoder (`PROPTEST_CASES` overrides), in release so that it ends in hours,
/// not days. `cargo xtask test` runs the same tests at 2,000 cases.
fn fuzz() -> Result {
    let cases = std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "1000000".into());
    cmd::step(&format!("Fuzzing shared's decoders, {cases} cases each"));
    run(cargo("test --release -p helpline-shared --test fuzz").env("PROPTEST_CASES", cases))
}

/// The benchmarks that run against the built site and a local Worker (and
/// the README's screenshot, taken the same way): their command, the tools
/// they need, their driver in `tests/src/bin/` and what they do.
/// `report-bench` also reports D1's SQL time and wrangler + workerd CPU per
/// report; `sweep-bench` the first tick and the steady ones.
const SITE_BENCHES: [(&str, Needs, &str, &str); 6] = [
    (
        "bench",
        Needs::Build,
        "helpline-bench",
        "Benchmark: intake and claim, local workerd",
    ),
    (
        "bench-report",
        Needs::Build,
        "report-bench",
        "Benchmark: the report over 100,000 cases",
    ),
    (
        "bench-sweep",
        Needs::Build,
        "sweep-bench",
        "Benchmark: the SLA sweep, 100,000 open cases",
    ),
    (
        "bench-widget",
        Needs::BuildAndBrowser,
        "widget-bench",
        "Benchmark: widget, click to interactive",
    ),
    (
        "bench-console",
        Needs::BuildAndBrowser,
        "console-bench",
        "Benchmark: the console with 1,000 open cases",
    ),
    (
        "screenshot",
        Needs::BuildAndBrowser,
        "console-screenshot",
        "The README's screenshot of the case workspace",
    ),
];

fn site_bench(command: &str) -> Option<Result> {
    let (_, needs, driver, what) = SITE_BENCHES.iter().find(|bench| bench.0 == command)?;
    Some(tools::ensure(*needs).and_then(|()| {
        site::build_all()?;
        cmd::step(what);
        run(&mut cargo(&format!(
            "run --release -q -p helpline-tests --bin {driver}"
        )))
    }))
}

/// The SOP search benchmark: builds the wasm bench crate into
/// `target/bench-sop/pkg`, then runs the driver (`tests/src/bin/sop-bench.rs`),
/// which writes the corpus, keystrokes, index and page next to it, measures
/// natively, serves the folder on 127.0.0.1 and runs the page in headless
/// Chromium, side by side with MiniSearch.
fn bench_sop() -> Result {
    tools::ensure(Needs::BuildAndBrowser)?;
    let out = paths::root().join("target").join("bench-sop");
    cmd::step("Building the SOP search for the benchmark page (release wasm)");
    site::build_wasm_crate("helpline-sop-bench-wasm", &out.join("pkg"))?;
    cmd::step("Benchmark: SOP search over 5,000 articles, native, wasm in Chromium, MiniSearch");
    run(cargo("run --release -q -p helpline-tests --bin sop-bench --").arg(&out))
}
