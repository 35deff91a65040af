//! The Worker running locally: `wrangler dev` in workerd with its own local D1
//! state, migrated and seeded. `cargo xtask dev` runs one for people; every
//! integration test runs its own on free loopback ports with a fresh database.
//! Dropping a [`LocalWorker`] stops wrangler and everything it started.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use helpline_shared::clock;
use helpline_shared::specialist::token_digest;

use crate::cmd::{run, Result};
use crate::paths;

/// A Worker project wrangler can run: the folder of its wrangler.toml and the
/// name of its D1 database there.
#[derive(Debug, Clone)]
pub struct WorkerProject {
    pub dir: PathBuf,
    pub database: &'static str,
}

impl WorkerProject {
    /// Helpline's own Worker (backend/).
    pub fn helpline() -> Self {
        WorkerProject {
            dir: paths::backend(),
            database: "helpline",
        }
    }

    /// The benchmark's baseline: a bare Worker doing one D1 INSERT per request.
    pub fn bare_insert() -> Self {
        WorkerProject {
            dir: paths::root().join("bench").join("bare-insert-worker"),
            database: "bare",
        }
    }
}

/// A free TCP port on 127.0.0.1, as the OS hands it out, and never one this
/// process handed out before: the port is only free when asked, and tests
/// starting Workers side by side would otherwise be given the same one
/// before either binds it.
pub fn free_port() -> Result<u16> {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    loop {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free port: {e}"))?;
        if GIVEN.lock().map_err(|e| e.to_string())?.insert(port) {
            return Ok(port);
        }
    }
}

/// A fresh random secret, hex-encoded (for specialist tokens).
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(format!("hl_{}", hex::encode(bytes)))
}

fn wrangler(project: &WorkerProject, state: &Path) -> Command {
    let mut cmd = Command::new(paths::node_bin("wrangler"));
    cmd.current_dir(&project.dir)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("WRANGLER_PERSIST_TO", state);
    cmd
}

/// Applies the project's migrations to the local D1 in `state`.
pub fn migrate(project: &WorkerProject, state: &Path, quiet: bool) -> Result {
    let mut cmd = wrangler(project, state);
    cmd.args([
        "d1",
        "migrations",
        "apply",
        project.database,
        "--local",
        "--persist-to",
    ])
    .arg(state);
    if quiet {
        cmd.stdout(Stdio::null());
    }
    run(&mut cmd)
}

/// Runs SQL against the project's local D1 in `state`.
pub fn execute_sql(project: &WorkerProject, state: &Path, sql: &str, quiet: bool) -> Result {
    let file = state.join("seed.sql");
    std::fs::create_dir_all(state).map_err(|e| e.to_string())?;
    std::fs::write(&file, sql).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut cmd = wrangler(project, state);
    cmd.args(["d1", "execute", project.database, "--local", "--persist-to"])
        .arg(state)
        .arg("--file")
        .arg(&file);
    if quiet {
        cmd.stdout(Stdio::null());
    }
    run(&mut cmd)
}

/// The rows one SQL statement answers from the project's local D1 in
/// `state` (tests read bookkeeping tables no route shows).
pub fn query(project: &WorkerProject, state: &Path, sql: &str) -> Result<Vec<serde_json::Value>> {
    let output = wrangler(project, state)
        .args([
            "d1",
            "execute",
            project.database,
            "--local",
            "--json",
            "--persist-to",
        ])
        .arg(state)
        .arg("--command")
        .arg(sql)
        .output()
        .map_err(|e| format!("could not run wrangler d1 execute: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "wrangler d1 execute failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("wrangler d1 execute answered no JSON: {e}"))?;
    Ok(answer[0]["results"].as_array().cloned().unwrap_or_default())
}

/// A specialist to create in a local database.
pub struct SeedSpecialist<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub token: &'a str,
}

/// The SQL that creates `who` (idempotent: the same token is never added twice).
pub fn specialist_sql(who: &SeedSpecialist<'_>, now: clock::EpochMillis) -> String {
    format!(
        "INSERT INTO specialists (name, role, token_hash, created_ms) VALUES ({}, {}, '{}', {})\n  ON CONFLICT(token_hash) DO NOTHING;\n",
        sql_text(who.name),
        sql_text(who.role),
        token_digest(who.token),
        now
    )
}

/// A SQL string literal.
pub fn sql_text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

pub fn now_millis() -> clock::EpochMillis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A copy of the project's wrangler.toml in `state` with `vars` added and
/// its paths made absolute (they are relative to the file).
fn config_with_vars(
    project: &WorkerProject,
    state: &Path,
    vars: &[(String, String)],
) -> Result<PathBuf> {
    let source = project.dir.join("wrangler.toml");
    let text =
        std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut config: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", source.display()))?;
    let absolute = |value: &mut toml::Value| {
        if let Some(relative) = value.as_str() {
            *value = project.dir.join(relative).display().to_string().into();
        }
    };
    if let Some(main) = config.get_mut("main") {
        absolute(main);
    }
    if let Some(directory) = config
        .get_mut("assets")
        .and_then(|assets| assets.get_mut("directory"))
    {
        absolute(directory);
    }
    for database in config
        .get_mut("d1_databases")
        .and_then(|d| d.as_array_mut())
        .into_iter()
        .flatten()
    {
        if let Some(dir) = database.get_mut("migrations_dir") {
            absolute(dir);
        }
    }
    let table = config
        .entry("vars")
        .or_insert_with(|| toml::Table::new().into());
    if let Some(table) = table.as_table_mut() {
        for (name, value) in vars {
            table.insert(name.clone(), value.clone().into());
        }
    }
    let written = state.join("wrangler.toml");
    std::fs::write(&written, config.to_string())
        .map_err(|e| format!("{}: {e}", written.display()))?;
    Ok(written)
}

/// How to start a local Worker.
pub struct StartOptions {
    pub project: WorkerProject,
    pub state: PathBuf,
    pub port: u16,
    /// Worker vars (`--var NAME:VALUE`), overriding wrangler.toml.
    pub vars: Vec<(String, String)>,
    /// Show wrangler's own output (for people), or keep it in a log file (for tests).
    pub show_output: bool,
    /// The wrangler.toml of a Worker run in front of this one in the same
    /// `wrangler dev` (it takes the port and shares the local bindings); tests
    /// use one to put on the Queue what no Helpline route would.
    pub front: Option<PathBuf>,
}

/// A running `wrangler dev`; stopped on drop.
pub struct LocalWorker {
    child: Child,
    pub base_url: String,
    /// Where wrangler's output goes, unless it goes to the terminal.
    log: Option<PathBuf>,
}

impl LocalWorker {
    /// Starts wrangler dev and waits until `/healthz` answers 200.
    pub fn start(options: StartOptions) -> Result<Self> {
        let log = (!options.show_output).then(|| options.state.join("wrangler.log"));
        std::fs::create_dir_all(&options.state).map_err(|e| e.to_string())?;
        let mut cmd = wrangler(&options.project, &options.state);
        cmd.arg("dev");
        match &options.front {
            // wrangler gives `--var` to the first Worker only: the one behind
            // gets its vars in a copy of its wrangler.toml.
            Some(front) => {
                let config = config_with_vars(&options.project, &options.state, &options.vars)?;
                cmd.arg("-c").arg(front).arg("-c").arg(config);
            }
            None => {
                for (name, value) in &options.vars {
                    cmd.arg("--var").arg(format!("{name}:{value}"));
                }
            }
        }
        cmd.args(["--ip", "127.0.0.1", "--port"])
            .arg(options.port.to_string())
            .arg("--inspector-port")
            .arg(free_port()?.to_string())
            .arg("--persist-to")
            .arg(&options.state)
            .args([
                // GET /__scheduled fires the cron trigger (wrangler dev does not).
                "--test-scheduled",
                "--show-interactive-dev-session=false",
                "--log-level",
                "info",
            ])
            .stdin(Stdio::null())
            // Its own process group, so that stopping it stops workerd too and
            // a Ctrl-C in the terminal reaches only the xtask that owns it.
            .process_group(0);
        if let Some(log) = &log {
            let file = std::fs::File::create(log).map_err(|e| e.to_string())?;
            let err = file.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(file).stderr(err);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start wrangler (run `cargo xtask setup`): {e}"))?;
        let mut worker = LocalWorker {
            child,
            base_url: format!("http://127.0.0.1:{}", options.port),
            log,
        };
        worker.wait_until_healthy(options.port, Duration::from_secs(90))?;
        Ok(worker)
    }

    fn wait_until_healthy(&mut self, port: u16, limit: Duration) -> Result {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "wrangler dev exited ({status}) before it was ready; its log ends:\n{}",
                    self.log_tail()
                ));
            }
            // A /healthz answer alone may come from another test's Worker
            // that took the port first (this wrangler then exits with
            // "Address already in use"); only wrangler's own "Ready on"
            // line says the port is this one's.
            if http_status(port, "/healthz") == Some(200) && self.says_ready_on(port) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "wrangler dev did not answer /healthz within {}s; its log ends:\n{}",
            limit.as_secs(),
            self.log_tail()
        ))
    }

    /// Whether wrangler has said it serves `port` (always, for a wrangler
    /// whose output goes to the terminal rather than the log).
    fn says_ready_on(&self, port: u16) -> bool {
        self.log.as_ref().is_none_or(|log| {
            std::fs::read_to_string(log)
                .is_ok_and(|text| text.contains(&format!("Ready on http://127.0.0.1:{port}")))
        })
    }

    /// The last lines wrangler wrote, for failure messages (the log's folder
    /// may be gone by the time anyone looks).
    pub fn log_tail(&self) -> String {
        let log = self
            .log
            .as_ref()
            .and_then(|log| std::fs::read_to_string(log).ok())
            .unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// The process group of wrangler and its workerd (for benchmarks that
    /// read their CPU time).
    pub fn process_group(&self) -> i32 {
        self.child.id() as i32
    }

    /// Waits until wrangler exits by itself (for `cargo xtask dev`).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Stops wrangler and its workerd, politely first.
    pub fn stop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) with a negative pid signals our child's process
        // group; it touches no memory.
        unsafe { libc::kill(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above; whatever survived SIGTERM is stopped for good.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for LocalWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The HTTP status of `GET path` on 127.0.0.1:`port`, or `None` if nothing answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 16];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_text_escapes_quotes() {
        assert_eq!(sql_text("O'Brien"), "'O''Brien'");
    }

    #[test]
    fn specialist_sql_stores_only_the_digest() {
        let sql = specialist_sql(
            &SeedSpecialist {
                name: "Sam",
                role: "lead",
                token: "secret-token",
            },
            0,
        );
        assert!(!sql.contains("secret-token"));
        assert!(sql.contains(&token_digest("secret-token")));
    }
}
