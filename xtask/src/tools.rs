//! Setup that installs itself: every tool the build and the tests need, each
//! installed only when missing or at the wrong version, pinned to the versions
//! the repository records (Cargo.lock, package-lock.json).

use std::path::PathBuf;
use std::process::Command;

use crate::cmd::{self, output, run, Result};
use crate::paths;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The toolchain that builds the wasm shipped to browsers (the widget):
/// a pinned nightly, because only nightly can rebuild the standard library
/// for size along with the widget (`site::build_wasm` says what it buys).
/// The Worker, the tests and clippy stay on stable.
pub const BROWSER_TOOLCHAIN: &str = "nightly-2026-05-20";

/// What a command needs installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building and running the Worker and the widget.
    Build,
    /// All of that plus Chromium and chromedriver for browser tests.
    BuildAndBrowser,
}

pub fn ensure(needs: Needs) -> Result {
    cmd::step("Checking tools (installing what is missing)");
    wasm_target()?;
    browser_toolchain()?;
    let lock = std::fs::read_to_string(paths::root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        &locked_version(&lock, "wasm-bindgen")?,
    )?;
    cargo_tool(
        "worker-build",
        "worker-build",
        &locked_version(&lock, "worker")?,
    )?;
    npm_packages()?;
    if needs == Needs::BuildAndBrowser {
        browser()?;
    }
    Ok(())
}

/// The version of `package` that Cargo.lock pins.
pub fn locked_version(lock: &str, package: &str) -> Result<String> {
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..]
        .find('"')
        .ok_or_else(|| format!("Cargo.lock entry for {package} is malformed"))?;
    Ok(lock[start..start + end].to_owned())
}

fn wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        eprintln!("    ok   rust target {WASM_TARGET}");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The pinned nightly with the standard library's source (`-Zbuild-std`
/// compiles it) and its clippy (which lints the widget and the console as
/// they compile); its own wasm32 target is not needed, build-std makes it.
fn browser_toolchain() -> Result {
    let toolchain = format!("+{BROWSER_TOOLCHAIN}");
    let components = output(Command::new("rustup").args([
        "component",
        "list",
        "--installed",
        "--toolchain",
        BROWSER_TOOLCHAIN,
    ]))
    .unwrap_or_default();
    let ready = output(Command::new("cargo").args([toolchain.as_str(), "--version"])).is_some()
        && ["rust-src", "clippy"]
            .iter()
            .all(|c| components.lines().any(|l| l.starts_with(c)));
    if ready {
        eprintln!("    ok   rust {BROWSER_TOOLCHAIN} with rust-src and clippy");
        return Ok(());
    }
    eprintln!(
        "    installing rust {BROWSER_TOOLCHAIN} (minimal, with rust-src and clippy; about a minute, once)"
    );
    run(Command::new("rustup").args([
        "toolchain",
        "install",
        BROWSER_TOOLCHAIN,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--component",
        "clippy",
    ]))
}

/// The path of a binary `cargo install` put in place.
pub fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(name)
}

fn cargo_tool(bin: &str, package: &str, version: &str) -> Result {
    let current = output(Command::new(cargo_bin(bin)).arg("--version")).unwrap_or_default();
    if current
        .split_whitespace()
        .any(|w| w.trim_start_matches('v') == version)
    {
        eprintln!("    ok   {bin} {version}");
        return Ok(());
    }
    eprintln!("    installing {package} {version} (a few minutes, once)");
    // No --locked: the registry here can lack the newest versions that the
    // tool's own lockfile names (README, facts about the tools).
    run(Command::new("cargo").args(["install", package, "--version", version]))
}

fn npm_packages() -> Result {
    let root = paths::root();
    let installed = root.join("node_modules").join(".package-lock.json");
    let fresh = match (
        std::fs::metadata(&installed).and_then(|m| m.modified()),
        std::fs::metadata(root.join("package-lock.json")).and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(wanted)) => installed >= wanted,
        _ => false,
    };
    if fresh && paths::node_bin("wrangler").exists() && paths::node_bin("wasm-opt").exists() {
        eprintln!("    ok   npm packages (wrangler, binaryen)");
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn browser() -> Result {
    if PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists() {
        eprintln!("    ok   chromium and chromedriver");
        return Ok(());
    }
    let root = unsafe { libc::geteuid() } == 0;
    let apt = |args: &[&str]| {
        let mut c = if root {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    eprintln!("    installing chromium and chromium-driver from Debian (about a minute, once)");
    run(&mut apt(&["update", "-q"]))?;
    run(&mut apt(&[
        "install",
        "-y",
        "-q",
        "chromium",
        "chromium-driver",
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_version_reads_the_exact_package() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(lock, "worker").is_err());
    }
}
