//! Cases: intake from the widget, the reporter's view of their own cases, and
//! every change a specialist or reporter makes to one.

pub mod api;
pub mod service;
pub mod store;
