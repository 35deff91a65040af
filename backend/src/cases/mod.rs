//! Cases: intake from the widget, the reporter's view of their own cases, and
//! every change a specialist or reporter makes to one, and the end of a shift.

pub mod api;
pub mod service;
pub mod shift;
pub mod store;
