//! Helpline's domain core: the rules of a support desk as plain functions over
//! plain data. No I/O, no clock of its own, no DOM: `backend` and `widget` are thin
//! shells that move data between the outside world and these functions, and this
//! crate is where a reader finds every rule by its name.

pub mod api;
pub mod case;
pub mod clock;
pub mod error;
pub mod json;
pub mod limits;
pub mod specialist;
pub mod text;

pub use error::ValidationError;
