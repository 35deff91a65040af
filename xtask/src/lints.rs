//! Clippy as part of the real builds. A separate `cargo clippy` pass compiles
//! every dependency once more in check mode, native and wasm: the longest
//! step of a fresh `cargo xtask test` after the builds themselves. With
//! clippy-driver as the workspace's compiler wrapper (what `cargo clippy`
//! itself sets up), each of our crates is linted while it is compiled for the
//! tests or the Worker, and the dependencies are compiled once. The widget
//! and the console are linted in their release builds, by the pinned
//! nightly's own clippy (stable's clippy-driver cannot wrap nightly's rustc):
//! building them natively too would compile Leptos once more for nothing.

use std::process::Command;

/// `cmd` (a cargo build or test) with every workspace crate it compiles
/// linted by clippy, warnings denied.
pub fn denying_warnings(cmd: &mut Command) -> &mut Command {
    cmd.env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver")
        // cargo-clippy hands its lint flags to clippy-driver this way.
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        )
}
