//! The specialists' console: a Leptos client-side app the Worker serves at
//! `/console/`. This part of the workspace: sign in with a token; the queue
//! in filters and views with live SLA countdowns, kept current by polling;
//! claiming; finding a case by ref, reporter or words; handing cases over at
//! the end of a shift; incidents (their cases, one reply to all, resolving);
//! today's figures and the daily report of any day, with its Markdown to
//! copy; the SOP articles (edited into new versions, published by leads)
//! and the questions they left unanswered; the team and the troubleshooting
//! link templates, for admins; and
//! one case worked end to end (its captured context for humans, its
//! troubleshooting links, the timeline with internal notes set apart, SOP
//! assist and the answers the reporter already tried, replies — Ctrl+Enter
//! sends — notes, status, escalation, release, handover). What each view holds and how a countdown reads are
//! rules in `helpline_shared::workspace`.

mod api;
mod app;
mod assist;
mod case;
mod find;
mod incidents;
mod links;
mod queue;
mod report;
mod shift;
mod sops;
mod team;

use wasm_bindgen::prelude::*;

/// Mounts the console into the page's body once the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
