//! JSON through the browser's own `JSON.parse` / `JSON.stringify`, with
//! serde-wasm-bindgen moving values across: the parser is the browser's, so
//! the widget carries only each type's field mapping, not a JSON parser
//! compiled into every type that is read (the widget's size budget).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

pub fn stringify<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}
