//! The Helpline widget: a Leptos client-side app that the loader
//! (`web/helpline-loader.js`) mounts inside its Shadow DOM on first open. The
//! loader owns the launcher and the dialog frame; this crate owns what is
//! inside: describing the problem and sending it as a case.

mod answer;
mod api;
mod config;
mod describe;
mod suggestions;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use config::WidgetConfig;

/// Mounts the widget into `root` (an element inside the loader's shadow root).
/// `config` is the JSON of the host's `Helpline.init` options; a bad config is
/// reported to the loader as an error rather than a panic.
#[wasm_bindgen]
pub fn mount(root: web_sys::HtmlElement, config: &str) -> Result<(), JsError> {
    let config: WidgetConfig = serde_json::from_str(config)
        .map_err(|e| JsError::new(&format!("Helpline.init options: {e}")))?;
    let handle = leptos::mount::mount_to(root, move || view! { <describe::Describe config/> });
    // The widget lives as long as the page: the loader hides it, never unmounts.
    handle.forget();
    Ok(())
}
