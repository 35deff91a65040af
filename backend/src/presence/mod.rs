//! Who has a case open in the console (the rules are
//! `helpline_shared::presence`).

pub mod api;
mod store;
