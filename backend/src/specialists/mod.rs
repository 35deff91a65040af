//! Specialists and their bearer tokens.

pub mod auth;
