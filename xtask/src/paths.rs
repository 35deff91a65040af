//! Where things are in the repository and what the build writes.

use std::path::PathBuf;

/// The workspace root (the folder holding the top Cargo.toml).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The Worker crate, where wrangler.toml lives.
pub fn backend() -> PathBuf {
    root().join("backend")
}

/// The static site the Worker serves: loader, widget bundle, demo, console.
pub fn site() -> PathBuf {
    root().join("target").join("site")
}

/// The Worker bundle worker-build writes.
pub fn worker_bundle() -> PathBuf {
    backend().join("build").join("index.js")
}

/// A binary installed by the repository's npm dependencies.
pub fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

/// The local D1 state `cargo xtask dev` keeps between runs.
pub fn dev_state() -> PathBuf {
    root().join("target").join("dev-state")
}
