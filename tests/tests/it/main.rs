//! Every integration and browser test, as one binary: the Worker in workerd
//! with local D1 and its Queue, the widget and the console in headless
//! Chromium. One module per area; `cargo test -p helpline-tests --test it
//! <area>::` runs one area alone. One binary links tokio, reqwest, fantoccini
//! and jsonschema once, and lets the test threads pack every area together.

mod api_intake_and_queue;
mod case_lifecycle;
mod case_search;
mod claims;
mod console_end_to_end;
mod daily_report;
mod handover;
mod incidents;
mod notifications_and_escalation;
mod openapi;
mod presence;
mod security;
mod sla_watch;
mod sop_knowledge_base;
mod widget_embedding;
mod widget_end_to_end;
mod widget_my_cases;
mod widget_nothing_lost;
mod widget_small_screens;
