//! Helpline's domain core: the rules of a support desk as plain functions over
//! plain data. No I/O, no clock of its own, no DOM: `backend` and `widget` are thin
//! shells that move data between the outside world and these functions, and this
//! crate is where a reader finds every rule by its name.

pub mod api;
pub mod audience;
pub mod browser_store;
pub mod case;
pub mod case_search;
pub mod change;
pub mod channel;
pub mod claim;
pub mod clock;
pub mod conditional;
pub mod context;
pub mod draft;
pub mod error;
pub mod escalation;
pub mod events;
pub mod i18n;
pub mod identity;
pub mod incident;
pub mod json;
pub mod lifecycle;
pub mod limits;
pub mod malfunction;
pub mod markdown;
pub mod notify;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod outbox;
pub mod presence;
pub mod priority;
pub mod queue;
pub mod rate_limit;
pub mod record;
pub mod report;
pub mod retention;
pub mod routes;
pub mod seen;
pub mod shift;
pub mod sla;
pub mod sla_watch;
pub mod sop;
pub mod specialist;
pub mod text;
pub mod troubleshooting;
pub mod workspace;

pub use error::ValidationError;
