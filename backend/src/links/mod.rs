//! Troubleshooting links: the address templates admins keep per platform,
//! and a case's links filled from them (the rules are
//! `helpline_shared::troubleshooting`).

pub mod api;
mod store;
