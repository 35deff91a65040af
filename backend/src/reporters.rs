//! Who the reporter is, as the host platform vouches for them: best, a signed
//! identity token (`X-Helpline-Token`, a JWT HS256 with the user's id, name,
//! email and an expiry), which makes name and email verified too; or the HMAC
//! signature of the user id (`X-Helpline-User`, `X-Helpline-User-Hash`), which
//! vouches for the id only. Unsigned ids are accepted only where the Worker is
//! configured for the local demo.

use helpline_shared::identity::{self, ReporterClaims};
use helpline_shared::limits::REPORTER_FIELD_MAX_CHARS;
use worker::Request;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::http;

pub const USER_HEADER: &str = "X-Helpline-User";
pub const USER_HASH_HEADER: &str = "X-Helpline-User-Hash";
pub const TOKEN_HEADER: &str = "X-Helpline-Token";

/// A reporter whose identity was verified.
pub struct ReporterIdentity {
    pub id: String,
    /// What a signed token said of them (name, email); `None` when only the
    /// id was signed.
    pub claims: Option<ReporterClaims>,
}

pub fn identify(req: &Request, config: &Config) -> ApiResult<ReporterIdentity> {
    let id = req
        .headers()
        .get(USER_HEADER)?
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.chars().count() <= REPORTER_FIELD_MAX_CHARS);
    if let Some(token) = req.headers().get(TOKEN_HEADER)? {
        let claims = identity::verify_token(&config.identity_secret, &token, http::now())
            .map_err(|_| ApiError::UnsignedUser)?;
        // A user header beside the token must name the same user.
        if id.as_ref().is_some_and(|id| *id != claims.sub) {
            return Err(ApiError::UnsignedUser);
        }
        return Ok(ReporterIdentity {
            id: claims.sub.clone(),
            claims: Some(claims),
        });
    }
    let id = id.ok_or(ApiError::UnsignedUser)?;
    let verified = match req.headers().get(USER_HASH_HEADER)? {
        Some(hash) => identity::verify(&config.identity_secret, &id, &hash),
        None => config.demo_unsigned_users,
    };
    if verified {
        Ok(ReporterIdentity { id, claims: None })
    } else {
        Err(ApiError::UnsignedUser)
    }
}
