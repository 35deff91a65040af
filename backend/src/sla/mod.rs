//! The SLA sweep, run by the cron trigger every minute and on demand by a lead
//! (`POST /v1/sla/sweep`): finds the cases that are owed an SLA warning or
//! breach (rules in `helpline_shared::sla_watch`) and records each once, as an
//! event on the case.

pub mod api;
mod store;
mod sweep;

pub use sweep::sweep;
