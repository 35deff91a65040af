//! Secure randomness in the Worker (the runtime's crypto.getRandomValues).

use crate::error::{ApiError, ApiResult};

pub fn bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf)
        .map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(buf)
}

/// A unique id for one write, tying the events it appends to it.
pub fn op_id() -> ApiResult<String> {
    Ok(helpline_shared::specialist::format_token(&bytes::<24>()?))
}
