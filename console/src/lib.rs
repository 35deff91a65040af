//! The specialists' console: a Leptos client-side app the Worker serves at
//! `/console/`. This first part of the workspace: sign in with a token, the
//! queue in views with live SLA countdowns, claiming, finding a case by ref,
//! reporter or words, handing cases over at the end of a shift, incidents
//! (their cases, one reply to all, resolving), and one case
//! worked end to end (its captured context for humans, the timeline with
//! internal notes set apart, replies with SOP steps inserted, notes, status,
//! escalation, release, handover; the answers the reporter already tried). What each view
//! holds and how a countdown reads are rules in `helpline_shared::workspace`.

mod api;
mod app;
mod assist;
mod case;
mod find;
mod incidents;
mod queue;
mod shift;

use wasm_bindgen::prelude::*;

/// Mounts the console into the page's body once the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
