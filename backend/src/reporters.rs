//! Who the reporter is, as the host platform vouches for them: best, a signed
//! identity token (`X-Helpline-Token`, a JWT HS256 with the user's id, name,
//! email and an expiry), which makes name and email verified too; or the HMAC
//! signature of the user id (`X-Helpline-User`, `X-Helpline-User-Hash`), which
//! vouches for the id only. Unsigned ids are accepted only where the Worker is
//! configured for the local demo.

use helpline_shared::identity::{self, IdentityCheck, ReporterIdentity, Vouching};
use worker::Request;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::http;

pub const USER_HEADER: &str = "X-Helpline-User";
pub const USER_HASH_HEADER: &str = "X-Helpline-User-Hash";
pub const TOKEN_HEADER: &str = "X-Helpline-Token";

/// The reporter the request's headers prove (`helpline_shared::identity::
/// identify` decides), or 401 `unsigned_user`.
pub fn identify(req: &Request, config: &Config) -> ApiResult<ReporterIdentity> {
    let headers = req.headers();
    let (user, user_hash, token) = (
        headers.get(USER_HEADER)?,
        headers.get(USER_HASH_HEADER)?,
        headers.get(TOKEN_HEADER)?,
    );
    let vouching = Vouching {
        user: user.as_deref(),
        user_hash: user_hash.as_deref(),
        token: token.as_deref(),
    };
    let check = IdentityCheck {
        secret: &config.identity_secret,
        demo_unsigned_users: config.demo_unsigned_users,
    };
    identity::identify(vouching, check, http::now()).ok_or(ApiError::UnsignedUser)
}
