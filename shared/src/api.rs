//! The JSON shapes of the HTTP API, shared by the widget (which sends them) and
//! the Worker (which answers them), so the two can never drift apart.

use serde::{Deserialize, Serialize};

/// `POST /v1/cases` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCaseRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub description: String,
    pub platform: String,
    pub reporter: ReporterInput,
}

/// The reporter as the host platform describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterInput {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `201 Created` answer to `POST /v1/cases`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCreated {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: String,
}

/// One case as a specialist sees it in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub platform: String,
    pub status: String,
    pub reporter_id: String,
    pub reporter_name: Option<String>,
    pub created_at: String,
}

/// `GET /v1/queue` answer: the open cases and who is looking at them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub specialist: SpecialistSummary,
    pub cases: Vec<QueueEntry>,
}

/// A specialist as other screens show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistSummary {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// Every error the API returns: `{"error":{"code","message","field"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
