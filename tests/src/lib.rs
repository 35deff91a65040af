//! What every integration test starts: a [`Stack`] (the Worker in workerd
//! through `wrangler dev`, with a fresh local D1 and a specialist token) and,
//! for browser tests, a [`Browser`] (headless Chromium through chromedriver).
//! Both listen on free loopback ports and stop when dropped, even when the test
//! fails. Requires `cargo xtask build` to have run (`cargo xtask test` does).

use std::net::{Ipv4Addr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod api;
pub mod bench;
pub mod console;
pub mod host_page;
pub mod loopback;
pub mod page;
pub mod webhook;
pub mod widget;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;
use xtask::local_worker::{self, LocalWorker, SeedSpecialist, StartOptions, WorkerProject};
use xtask::{paths, site, tools};

/// The specialists every stack is seeded with, one per role (and a second
/// plain specialist, to show what a non-holder may not do).
#[derive(Clone)]
pub struct Tokens {
    pub specialist: String,
    pub other_specialist: String,
    pub lead: String,
    pub admin: String,
}

/// How to start a stack.
pub struct StackOptions {
    /// Accept unsigned reporter ids, as the local demo does.
    pub demo_unsigned_users: bool,
    /// Extra Worker vars (e.g. a short claim lease, low rate limits).
    pub vars: Vec<(String, String)>,
    /// SQL run on the fresh database before the Worker starts (benchmarks).
    pub seed_sql: Option<String>,
    /// A Worker in front of Helpline in the same `wrangler dev`
    /// (`tests/fixtures/<name>`): it answers the stack's URL and hands on
    /// what it does not handle itself.
    pub front: Option<&'static str>,
}

impl Default for StackOptions {
    fn default() -> Self {
        StackOptions {
            demo_unsigned_users: false,
            vars: vec![
                // Tests send bursts that a person never would.
                ("CASES_PER_REPORTER_PER_MINUTE".into(), "1000".into()),
                ("CASES_PER_IP_PER_MINUTE".into(), "10000".into()),
                ("IM_MESSAGES_PER_MINUTE".into(), "1000".into()),
            ],
            seed_sql: None,
            front: None,
        }
    }
}

/// A database migrated and seeded with one specialist per role, made once per
/// test run: applying the migrations costs seconds of node for every stack,
/// a copy of the result milliseconds.
struct SeededDatabase {
    dir: TempDir,
    tokens: Tokens,
}

impl SeededDatabase {
    fn once() -> &'static SeededDatabase {
        static SEEDED: std::sync::OnceLock<SeededDatabase> = std::sync::OnceLock::new();
        SEEDED.get_or_init(|| {
            let dir = tempfile::Builder::new()
                .prefix("helpline-seeded-")
                .tempdir()
                .expect("temp dir");
            let token = || local_worker::random_token().expect("token");
            let tokens = Tokens {
                specialist: token(),
                other_specialist: token(),
                lead: token(),
                admin: token(),
            };
            local_worker::migrate(&WorkerProject::helpline(), dir.path(), true)
                .expect("migrations apply");
            let now = local_worker::now_millis();
            let seed: String = [
                ("Sam Specialist", "specialist", &tokens.specialist),
                ("Kim Specialist", "specialist", &tokens.other_specialist),
                ("Lee Lead", "lead", &tokens.lead),
                ("Ada Admin", "admin", &tokens.admin),
            ]
            .iter()
            .map(|(name, role, token)| {
                local_worker::specialist_sql(&SeedSpecialist { name, role, token }, now)
            })
            .collect();
            local_worker::execute_sql(&WorkerProject::helpline(), dir.path(), &seed, true)
                .expect("seed");
            // A static is never dropped: remove the folder when the run ends.
            extern "C" fn remove_seeded() {
                if let Some(seeded) = SEEDED.get() {
                    let _ = std::fs::remove_dir_all(seeded.dir.path());
                }
            }
            // SAFETY: registers a plain function; nothing is shared with it
            // but the static it reads after every test has ended.
            unsafe { libc::atexit(remove_seeded) };
            SeededDatabase { dir, tokens }
        })
    }
}

/// The Worker with its own database, migrated and seeded.
pub struct Stack {
    worker: LocalWorker,
    pub tokens: Tokens,
    /// The secret host platforms sign reporter ids with.
    pub identity_secret: String,
    pub http: reqwest::Client,
    _state: TempDir,
}

impl Stack {
    /// Starts wrangler dev on a free port with a fresh, migrated local D1.
    pub fn start() -> Stack {
        Stack::start_with(StackOptions::default())
    }

    /// A stack for the demo host page, whose users are not signed.
    pub fn demo() -> Stack {
        Stack::start_with(StackOptions {
            demo_unsigned_users: true,
            ..StackOptions::default()
        })
    }

    /// Starts a stack with `vars` (name, value) added to the default ones.
    pub fn start_with_vars<'a>(vars: impl IntoIterator<Item = (&'a str, String)>) -> Stack {
        let mut options = StackOptions::default();
        options.vars.extend(
            vars.into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        Stack::start_with(options)
    }

    pub fn start_with(options: StackOptions) -> Stack {
        assert!(
            paths::worker_bundle().exists() && paths::site().join("helpline-loader.js").exists(),
            "the Worker and the site are not built: run `cargo xtask build` (or `cargo xtask test`)"
        );
        let state = tempfile::Builder::new()
            .prefix("helpline-test-")
            .tempdir()
            .expect("temp dir");
        let template = SeededDatabase::once();
        site::copy_tree(template.dir.path(), state.path()).expect("a copy of the seeded database");
        let tokens = template.tokens.clone();
        let token = || local_worker::random_token().expect("token");
        if let Some(sql) = &options.seed_sql {
            local_worker::execute_sql(&WorkerProject::helpline(), state.path(), sql, true)
                .expect("seed SQL");
        }
        let identity_secret = token();
        let mut vars = vec![("IDENTITY_SECRET".to_owned(), identity_secret.clone())];
        if options.demo_unsigned_users {
            vars.push(("DEMO_UNSIGNED_USERS".into(), "true".into()));
        }
        vars.extend(options.vars);
        // The free port is only free when we ask; with several stacks starting
        // at once another process can take it first, so a failed start is
        // retried on new ports before the test gives up.
        let mut attempts = 0;
        let worker = loop {
            attempts += 1;
            let started = LocalWorker::start(StartOptions {
                project: WorkerProject::helpline(),
                state: state.path().to_path_buf(),
                port: local_worker::free_port().expect("port"),
                vars: vars.clone(),
                show_output: false,
                front: options.front.map(|name| {
                    paths::root()
                        .join("tests/fixtures")
                        .join(name)
                        .join("wrangler.toml")
                }),
            });
            match started {
                Ok(worker) => break worker,
                Err(err) if attempts < 3 => {
                    eprintln!("wrangler dev failed to start, retrying: {err}")
                }
                Err(err) => panic!("wrangler dev did not start: {err}"),
            }
        };
        Stack {
            worker,
            tokens,
            identity_secret,
            // wrangler's proxy closes a connection idle for 5 s (node's
            // keep-alive); a pooled one older than that may be closed under
            // the request that reuses it.
            http: reqwest::Client::builder()
                .pool_idle_timeout(Duration::from_secs(3))
                .build()
                .expect("an HTTP client"),
            _state: state,
        }
    }

    /// How many rows `rows` (a table, with a `WHERE` if wanted) holds now,
    /// read from the local D1 beside the running Worker (for bookkeeping no
    /// route shows).
    pub fn count_rows(&self, rows: &str) -> i64 {
        let rows = local_worker::query(
            &WorkerProject::helpline(),
            self._state.path(),
            &format!("SELECT COUNT(*) AS n FROM {rows}"),
        )
        .expect("count rows");
        rows.first().and_then(|r| r["n"].as_i64()).expect("a count")
    }

    /// Runs SQL against the local D1 beside the running Worker (for a state
    /// no route makes: a stand-in for a crash or a refusing service).
    pub fn execute_sql(&self, sql: &str) {
        local_worker::execute_sql(&WorkerProject::helpline(), self._state.path(), sql, true)
            .expect("SQL runs");
    }

    /// Fires the cron trigger's tick now, as Cloudflare would every minute.
    pub async fn tick(&self) {
        let response = self
            .http
            .get(self.url("/__scheduled"))
            .send()
            .await
            .expect("the cron tick");
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// The process group of wrangler and workerd, whose CPU time benchmarks read.
    pub fn process_group(&self) -> i32 {
        self.worker.process_group()
    }

    /// The absolute URL of `path` on this Worker.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.worker.base_url, path)
    }

    /// A request with no credentials at all.
    pub fn anonymous(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// A request with a specialist's bearer token.
    pub fn with_token(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        self.anonymous(method, path).bearer_auth(token)
    }

    /// A request as the plain seeded specialist.
    pub fn as_specialist(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.with_token(&self.tokens.specialist, method, path)
    }

    /// A request as reporter `user_id`, signed the way a host platform signs.
    pub fn as_reporter(
        &self,
        user_id: &str,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        self.anonymous(method, path)
            .header("X-Helpline-User", user_id)
            .header(
                "X-Helpline-User-Hash",
                helpline_shared::identity::sign(&self.identity_secret, user_id),
            )
    }
}

/// Headless Chromium driven over WebDriver.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session. The port is
    /// only free when asked: with several tests starting at once another
    /// process can take it first (the session then meets a stranger), so a
    /// failed start is retried on a new port before the test gives up.
    pub async fn start() -> Browser {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match Browser::try_start().await {
                Ok(browser) => return browser,
                Err(err) if attempts < 3 => eprintln!("the browser did not start, retrying: {err}"),
                Err(err) => panic!("the browser did not start: {err}"),
            }
        }
    }

    async fn try_start() -> Result<Browser, String> {
        let port = local_worker::free_port()?;
        let mut driver = Command::new(tools::CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("chromedriver does not start (run `cargo xtask setup`): {e}"))?;
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if started.elapsed() > Duration::from_secs(20)
                || matches!(driver.try_wait(), Ok(Some(_)))
            {
                stop_group(&mut driver);
                return Err(format!("chromedriver did not listen on {port}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::Builder::new()
            .prefix("helpline-chromium-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        // The flags the README names for Chromium as root on a closed network.
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": tools::CHROMIUM, "args": args }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let session = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        match session {
            Ok(client) => Ok(Browser {
                client,
                driver,
                _profile: profile,
            }),
            Err(err) => {
                stop_group(&mut driver);
                Err(format!("no WebDriver session on {port}: {err}"))
            }
        }
    }
}

/// Stops a child started in its own process group, and all it started
/// (chromedriver and its Chromium share one).
fn stop_group(child: &mut Child) {
    // SAFETY: kill(2) on our own child's process group touches no memory.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    let _ = child.wait();
}

impl Browser {
    /// Ends the WebDriver session (the test's last step with the browser).
    pub async fn close(&self) {
        self.client.clone().close().await.expect("the session ends");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        stop_group(&mut self.driver);
    }
}

/// Polls `probe` until it returns `Some`, or panics after `limit` with `what`.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits, if the current minute is nearly over, for the next one: the rate
/// limits and the channel's pace count whole minutes, and a test that counts
/// within one must not straddle two.
pub async fn fresh_minute() {
    let into_minute = local_worker::now_millis() % 60_000;
    if into_minute > 40_000 {
        tokio::time::sleep(Duration::from_millis((60_500 - into_minute) as u64)).await;
    }
}

/// Runs every future on its own task, so they are truly in flight together.
pub async fn join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.expect("task"));
    }
    out
}
