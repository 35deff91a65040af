//! What every store shares with D1: statement parameters, rows as typed
//! records, the count of rows a statement changed, values stored as JSON text, the case `SELECT` with its
//! holder, and the health probe. Only this file and the `store.rs` files run
//! SQL.

use helpline_shared::events::CaseEventKind;
use helpline_shared::incident::IncidentStatus;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::priority::Priority;
use helpline_shared::record::ActorKind;
use helpline_shared::sla_watch::SlaAlert;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::error::{ApiError, ApiResult};

/// Every column of a case and its holder's name and role (`CaseRecord`).
pub const SELECT_CASE: &str = "SELECT c.*, s.name AS assignee_name, s.role AS assignee_role
    FROM cases c LEFT JOIN specialists s ON s.id = c.assignee_id";

/// SQL with the stored names and bits it compares against filled in from the
/// core's own enums (`{escalated}`, `{p1}`, `{incident_open}`, `{system}`,
/// `{any_breached}`, …), so no store types one as a literal. They are
/// constants, never input.
pub fn with_names(template: &str) -> String {
    let quoted = |name: &str| format!("'{name}'");
    let bits = |alerts: &[SlaAlert]| alerts.iter().map(|a| a.bit()).sum::<i64>().to_string();
    let breaches = [
        SlaAlert::FirstResponseBreached,
        SlaAlert::ResolutionBreached,
    ];
    let names = [
        ("{escalated}", quoted(CaseEventKind::Escalated.as_str())),
        ("{reopened}", quoted(CaseEventKind::Reopened.as_str())),
        (
            "{sla_breached}",
            quoted(CaseEventKind::SlaBreached.as_str()),
        ),
        ("{feedback}", quoted(CaseEventKind::Feedback.as_str())),
        ("{first_response_breached}", bits(&breaches[..1])),
        ("{resolution_breached}", bits(&breaches[1..])),
        ("{any_breached}", bits(&breaches)),
        ("{p1}", quoted(Priority::P1.as_str())),
        ("{p2}", quoted(Priority::P2.as_str())),
        ("{resolved}", quoted(CaseStatus::Resolved.as_str())),
        ("{closed}", quoted(CaseStatus::Closed.as_str())),
        ("{incident_open}", quoted(IncidentStatus::Open.as_str())),
        (
            "{incident_resolved}",
            quoted(IncidentStatus::Resolved.as_str()),
        ),
        ("{system}", quoted(ActorKind::System.as_str())),
        ("{specialist}", quoted(ActorKind::Specialist.as_str())),
    ];
    names
        .iter()
        .filter(|(name, _)| template.contains(name))
        .fold(template.to_owned(), |sql, (name, value)| {
            sql.replace(name, value)
        })
}

/// A statement's rows, decoded into typed records.
pub(crate) trait Rows {
    async fn rows<T: DeserializeOwned>(self) -> ApiResult<Vec<T>>;
}

impl Rows for D1PreparedStatement {
    async fn rows<T: DeserializeOwned>(self) -> ApiResult<Vec<T>> {
        Ok(self.all().await?.results::<T>()?)
    }
}

/// A text parameter for a D1 statement.
pub fn text(value: &str) -> JsValue {
    value.into()
}

/// A nullable text parameter for a D1 statement.
pub fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, Into::into)
}

/// An integer parameter. D1 takes JavaScript numbers, not BigInts; every value
/// we store (ids, epoch milliseconds, counts) is below 2^53.
pub fn int(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

/// A nullable integer parameter.
pub fn optional_int(value: Option<i64>) -> JsValue {
    value.map_or(JsValue::NULL, int)
}

/// A value stored as JSON text (context, reports, owed notifications).
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> ApiResult<String> {
    serde_json::to_string(value)
        .map_err(|e| ApiError::Internal(format!("JSON of a stored value: {e}")))
}

/// How many rows the statement changed (0 when D1 does not say).
pub fn changes(result: &D1Result) -> usize {
    result
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.changes)
        .unwrap_or(0)
}

/// Whether D1 answers at all.
pub async fn answers(db: &D1Database) -> bool {
    db.prepare("SELECT 1 AS one")
        .first::<serde_json::Value>(None)
        .await
        .is_ok()
}
