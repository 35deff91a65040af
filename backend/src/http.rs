//! Reading requests and writing JSON answers, with the body size limit applied
//! before anything is parsed.

use helpline_shared::json::{self, BodyError};
use helpline_shared::limits::REQUEST_BODY_MAX_BYTES;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Request, Response};

use crate::error::ApiResult;

/// Decodes a JSON body; a declared or actual size over the limit is a 413.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > REQUEST_BODY_MAX_BYTES) {
        return Err(BodyError::TooLarge {
            max: REQUEST_BODY_MAX_BYTES,
        }
        .into());
    }
    let bytes = req.bytes().await?;
    Ok(json::decode(&bytes)?)
}

/// A JSON answer with the given status.
pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

/// Now, from the Worker's clock, as the core's epoch milliseconds.
pub fn now() -> helpline_shared::clock::EpochMillis {
    worker::Date::now().as_millis() as i64
}

/// A text parameter for a D1 statement.
pub fn text(value: &str) -> worker::wasm_bindgen::JsValue {
    value.into()
}

/// A nullable text parameter for a D1 statement.
pub fn optional(value: Option<&str>) -> worker::wasm_bindgen::JsValue {
    value.map_or(worker::wasm_bindgen::JsValue::NULL, Into::into)
}
