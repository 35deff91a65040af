//! What the widget asks of the loader on the host page (`bridge` in
//! `web/helpline-loader.js`): the captured context, host events, the badge on
//! the launcher, and whether the panel is open.

use std::cell::RefCell;

use helpline_shared::context::IssueContext;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    pub type Bridge;

    /// The page's context as the loader captured it (JSON of `IssueContext`).
    #[wasm_bindgen(method, catch)]
    fn context(this: &Bridge) -> Result<String, JsValue>;

    /// Fires a host event (`Helpline.on(name, fn)`) with a JSON detail.
    #[wasm_bindgen(method, catch)]
    fn emit(this: &Bridge, name: &str, detail: &str) -> Result<(), JsValue>;

    /// Shows `count` on the launcher (0 hides it).
    #[wasm_bindgen(method, catch)]
    fn badge(this: &Bridge, count: u32) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = isOpen)]
    fn is_open(this: &Bridge) -> Result<bool, JsValue>;
}

thread_local! {
    static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
}

pub fn install(bridge: Bridge) {
    BRIDGE.with(|b| *b.borrow_mut() = Some(bridge));
}

fn with<T>(f: impl FnOnce(&Bridge) -> Result<T, JsValue>) -> Option<T> {
    BRIDGE.with(|b| b.borrow().as_ref().and_then(|bridge| f(bridge).ok()))
}

/// The page's context now; empty if the loader has none to give.
pub fn context() -> IssueContext {
    with(Bridge::context)
        .and_then(|json| crate::json::parse(&json))
        .unwrap_or_default()
}

pub fn emit(name: &str, detail: &str) {
    with(|b| b.emit(name, detail));
}

pub fn badge(count: usize) {
    with(|b| b.badge(count as u32));
}

/// Whether the user has the panel open (polling is brisker then).
pub fn is_open() -> bool {
    with(Bridge::is_open).unwrap_or(true)
}
