//! Who is calling: a specialist's bearer token checked against the stored
//! SHA-256 digests. The lookup is by digest, so the secret itself is never
//! compared byte by byte and its timing reveals nothing about it. The admin
//! bootstrap token (from config) may only manage specialists.

use helpline_shared::api::SpecialistSummary;
use helpline_shared::identity::secrets_match;
use helpline_shared::lifecycle::Role;
use helpline_shared::specialist::{bearer_token, token_digest};
use worker::{D1Database, Request};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// The caller of a specialist route.
pub enum SpecialistCaller {
    Specialist(SpecialistSummary),
    /// The bootstrap token from config, good only for creating specialists.
    Bootstrap,
}

/// Whether the request carries any bearer credentials at all.
pub fn has_token(req: &Request) -> bool {
    req.headers().has("Authorization").unwrap_or(false)
}

async fn caller(req: &Request, db: &D1Database, config: &Config) -> ApiResult<SpecialistCaller> {
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    let token = bearer_token(&header).ok_or(ApiError::Unauthorized)?;
    if secrets_match(&config.admin_bootstrap_token, token) {
        // Good for creating the first admin only.
        if super::store::an_admin_exists(db).await? {
            return Err(ApiError::Unauthorized);
        }
        return Ok(SpecialistCaller::Bootstrap);
    }
    super::store::by_token_digest(db, &token_digest(token))
        .await?
        .map(SpecialistCaller::Specialist)
        .ok_or(ApiError::Unauthorized)
}

/// The specialist behind the request, who must hold at least `role`.
pub async fn require(
    req: &Request,
    db: &D1Database,
    config: &Config,
    role: Role,
) -> ApiResult<SpecialistSummary> {
    match caller(req, db, config).await? {
        SpecialistCaller::Specialist(s) if s.role >= role => Ok(s),
        _ => Err(ApiError::Forbidden(role.as_str())),
    }
}

/// An admin, or the bootstrap token (for managing specialists only).
pub async fn require_admin_or_bootstrap(
    req: &Request,
    db: &D1Database,
    config: &Config,
) -> ApiResult<SpecialistCaller> {
    match caller(req, db, config).await? {
        SpecialistCaller::Specialist(s) if s.role < Role::Admin => {
            Err(ApiError::Forbidden(Role::Admin.as_str()))
        }
        caller => Ok(caller),
    }
}
