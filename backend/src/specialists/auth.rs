//! Who is calling: a specialist's bearer token checked against the stored
//! SHA-256 digests. The lookup is by digest, so the secret itself is never
//! compared byte by byte and its timing reveals nothing about it.

use helpline_shared::api::SpecialistSummary;
use helpline_shared::specialist::{bearer_token, token_digest};
use worker::{D1Database, Request};

use crate::error::{ApiError, ApiResult};

const BY_TOKEN: &str =
    "SELECT id, name, role FROM specialists WHERE token_hash = ?1 AND active = 1";

/// The specialist the request's bearer token belongs to; 401 otherwise.
pub async fn authenticate(req: &Request, db: &D1Database) -> ApiResult<SpecialistSummary> {
    let header = req.headers().get("Authorization")?.unwrap_or_default();
    let token = bearer_token(&header).ok_or(ApiError::Unauthorized)?;
    db.prepare(BY_TOKEN)
        .bind(&[token_digest(token).into()])?
        .first::<SpecialistSummary>(None)
        .await?
        .ok_or(ApiError::Unauthorized)
}
