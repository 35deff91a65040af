//! The specialists' queue of open cases.

pub mod api;
mod store;
