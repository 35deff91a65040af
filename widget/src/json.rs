//! JSON in and out of the widget, each way by what costs the widget least
//! (its size budget, measured): reading goes through the browser's own
//! `JSON.parse` with serde-wasm-bindgen moving the values across, so no JSON
//! parser is compiled into every type that is read; writing is serde_json's
//! (smaller than building JS objects for `JSON.stringify`).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

pub fn stringify<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}
