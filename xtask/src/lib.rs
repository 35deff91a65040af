//! Helpline's developer tooling as a library: the `cargo xtask` commands in
//! `main.rs` and the integration tests in `helpline-tests` drive the same local
//! stack (wrangler, local D1, the built site) through these modules.

pub mod cmd;
pub mod lints;
pub mod local_worker;
pub mod paths;
pub mod seed;
pub mod site;
pub mod sizes;
pub mod tools;
