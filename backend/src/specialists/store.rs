//! Storage of specialists in D1.

use helpline_shared::api::SpecialistSummary;
use helpline_shared::clock::EpochMillis;
use helpline_shared::lifecycle::Role;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::d1::{int, text, Rows};
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct Row {
    id: i64,
    name: String,
    role: Role,
}

impl Row {
    fn summary(self) -> SpecialistSummary {
        SpecialistSummary {
            id: self.id,
            name: self.name,
            role: self.role,
        }
    }
}

pub async fn by_token_digest(
    db: &D1Database,
    digest: &str,
) -> ApiResult<Option<SpecialistSummary>> {
    active_where(db, "token_hash = ?1", text(digest)).await
}

/// The active specialist with `id`, if there is one.
pub async fn active_by_id(db: &D1Database, id: i64) -> ApiResult<Option<SpecialistSummary>> {
    active_where(db, "id = ?1", int(id)).await
}

/// The active specialist the `condition` (a constant, on `?1`) picks.
async fn active_where(
    db: &D1Database,
    condition: &str,
    value: JsValue,
) -> ApiResult<Option<SpecialistSummary>> {
    Ok(db
        .prepare(format!(
            "SELECT id, name, role FROM specialists WHERE {condition} AND active = 1"
        ))
        .bind(&[value])?
        .first::<Row>(None)
        .await?
        .map(Row::summary))
}

pub async fn insert(
    db: &D1Database,
    name: &str,
    role: Role,
    digest: &str,
    now: EpochMillis,
) -> ApiResult<SpecialistSummary> {
    db.prepare(
        "INSERT INTO specialists (name, role, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4)
         RETURNING id, name, role",
    )
    .bind(&[text(name), text(role.as_str()), text(digest), int(now)])?
    .first::<Row>(None)
    .await?
    .map(Row::summary)
    .ok_or_else(|| ApiError::Internal("specialist insert returned nothing".into()))
}

pub async fn list(db: &D1Database) -> ApiResult<Vec<SpecialistSummary>> {
    Ok(db
        .prepare("SELECT id, name, role FROM specialists WHERE active = 1 ORDER BY id")
        .rows::<Row>()
        .await?
        .into_iter()
        .map(Row::summary)
        .collect())
}

/// Revokes a specialist's token (their cases were handed back first, by
/// `cases::service::return_cases_of`).
pub async fn revoke(db: &D1Database, id: i64, now: EpochMillis) -> ApiResult<SpecialistSummary> {
    db.prepare(
        "UPDATE specialists SET active = 0, revoked_ms = ?2 WHERE id = ?1 AND active = 1
         RETURNING id, name, role",
    )
    .bind(&[int(id), int(now)])?
    .first::<Row>(None)
    .await?
    .map(Row::summary)
    .ok_or(ApiError::NotFound)
}

/// Whether any active admin exists: from then on the bootstrap token has
/// done its one job and opens nothing.
pub async fn an_admin_exists(db: &D1Database) -> ApiResult<bool> {
    Ok(db
        .prepare("SELECT 1 AS found FROM specialists WHERE role = ?1 AND active = 1 LIMIT 1")
        .bind(&[text(Role::Admin.as_str())])?
        .first::<serde_json::Value>(None)
        .await?
        .is_some())
}
