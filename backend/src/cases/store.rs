//! Storage of cases in D1.

use helpline_shared::api::CaseCreated;
use helpline_shared::case::{human_ref, CaseStatus, NewCase};
use helpline_shared::clock::{self, EpochMillis};
use serde::Deserialize;
use worker::D1Database;

use crate::error::ApiResult;
use crate::http::{optional, text};

const INSERT: &str = "INSERT INTO cases
    (title, description, platform, status, reporter_id, reporter_name, reporter_email, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
    RETURNING id";

#[derive(Deserialize)]
struct Inserted {
    id: i64,
}

pub async fn insert(db: &D1Database, case: &NewCase, now: EpochMillis) -> ApiResult<CaseCreated> {
    let status = CaseStatus::Queued;
    let inserted = db
        .prepare(INSERT)
        .bind(&[
            text(&case.title),
            text(&case.description),
            text(&case.platform),
            text(status.as_str()),
            text(&case.reporter.id),
            optional(case.reporter.name.as_deref()),
            optional(case.reporter.email.as_deref()),
            text(&clock::iso(now)),
        ])?
        .first::<Inserted>(None)
        .await?
        .ok_or_else(|| worker::Error::RustError("case insert returned no id".into()))?;
    Ok(CaseCreated {
        id: inserted.id,
        reference: human_ref(inserted.id),
        status: status.as_str().to_owned(),
    })
}
