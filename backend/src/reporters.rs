//! Who the reporter is: the user id the host platform vouches for with its
//! HMAC signature (`X-Helpline-User`, `X-Helpline-User-Hash`). Unsigned ids are
//! accepted only where the Worker is configured for the local demo.

use helpline_shared::identity;
use helpline_shared::limits::REPORTER_FIELD_MAX_CHARS;
use worker::Request;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

pub const USER_HEADER: &str = "X-Helpline-User";
pub const USER_HASH_HEADER: &str = "X-Helpline-User-Hash";

/// A reporter whose identity was verified.
pub struct ReporterIdentity {
    pub id: String,
}

pub fn identify(req: &Request, config: &Config) -> ApiResult<ReporterIdentity> {
    let id = req
        .headers()
        .get(USER_HEADER)?
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.chars().count() <= REPORTER_FIELD_MAX_CHARS)
        .ok_or(ApiError::UnsignedUser)?;
    let verified = match req.headers().get(USER_HASH_HEADER)? {
        Some(hash) => identity::verify(&config.identity_secret, &id, &hash),
        None => config.demo_unsigned_users,
    };
    if verified {
        Ok(ReporterIdentity { id })
    } else {
        Err(ApiError::UnsignedUser)
    }
}
