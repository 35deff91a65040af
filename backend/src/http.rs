//! Reading requests and writing answers: JSON bodies within the size limit,
//! query parameters, `If-Match`, and D1 parameter values.

use futures_util::StreamExt;
use helpline_shared::conditional::{content_etag, etag_matches};
use helpline_shared::json::{self, BodyError};
use helpline_shared::limits::REQUEST_BODY_MAX_BYTES;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Request, Response};

use crate::error::{ApiError, ApiResult};

/// Decodes a JSON body; a declared or actual size over the limit is a 413.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    Ok(json::decode(&read_body(req).await?)?)
}

/// The body's bytes, refusing a declared size over the limit before reading
/// and an undeclared one (chunked, no `Content-Length`) as soon as the bytes
/// read pass it: a sender cannot make the Worker hold more than the limit.
async fn read_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    let too_large = || -> ApiError {
        BodyError::TooLarge {
            max: REQUEST_BODY_MAX_BYTES,
        }
        .into()
    };
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > REQUEST_BODY_MAX_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    // A request without a body has no stream to read.
    let Ok(mut stream) = req.stream() else {
        return Ok(body);
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > REQUEST_BODY_MAX_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Like [`read_json`], for bodies whose fields are all optional: an empty
/// body means "all defaults".
pub async fn read_json_or_default<T: DeserializeOwned + Default>(
    req: &mut Request,
) -> ApiResult<T> {
    let bytes = read_body(req).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    Ok(json::decode(&bytes)?)
}

/// A JSON answer with the given status.
pub fn json<T: Serialize>(status: u16, value: &T) -> ApiResult<Response> {
    Ok(Response::from_json(value)?.with_status(status))
}

/// A JSON answer tagged with its content (`ETag`), or `304` with no body when
/// the request's `If-None-Match` names that tag: for answers that clients
/// poll and that are mostly the same each time (the queue).
pub fn json_unless_unchanged<T: Serialize>(req: &Request, value: &T) -> ApiResult<Response> {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    let etag = content_etag(&body);
    let cached = req.headers().get("If-None-Match")?.unwrap_or_default();
    let mut response = if etag_matches(&cached, &etag) {
        Response::empty()?.with_status(304)
    } else {
        let mut fresh = Response::from_bytes(body)?;
        fresh
            .headers_mut()
            .set("Content-Type", "application/json")?;
        fresh
    };
    let headers = response.headers_mut();
    headers.set("ETag", &etag)?;
    headers.set("Cache-Control", "private, no-cache")?;
    Ok(response)
}

/// Now, from the Worker's clock, as the core's epoch milliseconds.
pub fn now() -> helpline_shared::clock::EpochMillis {
    worker::Date::now().as_millis() as i64
}

/// The query string as decoded (name, value) pairs.
pub fn query_pairs(req: &Request) -> ApiResult<Vec<(String, String)>> {
    Ok(req
        .url()?
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// The version in an `If-Match` header (`"3"`, `3` or `W/"3"`), if one was sent.
pub fn if_match(req: &Request) -> ApiResult<Option<i64>> {
    let Some(raw) = req.headers().get("If-Match")? else {
        return Ok(None);
    };
    let bare = raw.trim().trim_start_matches("W/").trim_matches('"');
    bare.parse().map(Some).map_err(|_| {
        helpline_shared::ValidationError::Invalid {
            field: "If-Match",
            reason: "send the version you last read, e.g. \"3\"",
        }
        .into()
    })
}

/// A path segment as a case id; anything else is simply not found.
pub fn case_id(segment: &str) -> ApiResult<i64> {
    segment
        .parse::<i64>()
        .ok()
        .or_else(|| helpline_shared::case::parse_human_ref(segment))
        .filter(|id| *id > 0)
        .ok_or(ApiError::NotFound)
}
