//! Specialists: their bearer tokens, roles, and the admin routes that create
//! and revoke them.

pub mod api;
pub mod auth;
pub(crate) mod store;
