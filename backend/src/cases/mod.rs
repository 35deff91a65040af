//! Cases as platform users submit them through the widget.

pub mod api;
mod store;
