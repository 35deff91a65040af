//! The Helpline widget: a Leptos client-side app that the loader
//! (`web/helpline-loader.js`) mounts inside its Shadow DOM on first open. The
//! loader owns the launcher, the dialog frame and what it captured from the
//! page; this crate owns what is inside: a new request (self-serve answers,
//! then a case that is never lost) and the reporter's cases.

mod answer;
mod api;
mod app;
mod bridge;
mod cases;
mod config;
mod describe;
mod i18n;
mod json;
mod sending;
mod storage;
mod suggestions;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use config::WidgetConfig;

/// Mounts the widget into `root` (an element inside the loader's shadow root).
/// `options` are the host's `Helpline.init` options; `bridge` is the loader's
/// side (context, events, badge). Bad options are reported to the loader as
/// an error rather than a panic.
#[wasm_bindgen]
pub fn mount(
    root: web_sys::HtmlElement,
    options: &JsValue,
    bridge: bridge::Bridge,
) -> Result<(), JsError> {
    let config = WidgetConfig::from_host(options).ok_or_else(|| {
        JsError::new("Helpline.init options: endpoint, platform and user.id are required")
    })?;
    bridge::install(bridge);
    i18n::choose(&config.locale);
    let handle = leptos::mount::mount_to(root, move || view! { <app::App config/> });
    // The widget lives as long as the page: the loader hides it, never unmounts.
    handle.forget();
    Ok(())
}
