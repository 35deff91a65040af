//! The JSON shapes of the HTTP API, shared by the widget (which sends them),
//! the Worker (which answers them) and the tests, so they can never drift apart.

use serde::{Deserialize, Serialize};

use crate::context::IssueContext;
use crate::events::CaseEventKind;
use crate::lifecycle::{CaseStatus, Role};
use crate::priority::{Impact, Priority, Urgency};

/// `POST /v1/cases` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCaseRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub description: String,
    pub platform: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Defaults to `individual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// Defaults to `degraded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    pub reporter: ReporterInput,
    #[serde(default)]
    pub context: IssueContext,
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

/// `201 Created` answer to `POST /v1/cases` (`200` for a replayed request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCreated {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: CaseStatus,
    pub priority: Priority,
    /// When the first response is due (RFC 3339), from the SLA policy.
    pub first_response_due: String,
}

/// A person or process that acted on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorView {
    /// `reporter`, `specialist` or `system`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One entry of a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEventView {
    pub id: i64,
    pub kind: CaseEventKind,
    pub actor: ActorView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<CaseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_status: Option<CaseStatus>,
    pub at: String,
}

/// The SLA as a specialist sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaView {
    pub first_response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub paused: bool,
    pub first_response_breached: bool,
    pub resolution_breached: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationView {
    pub team: String,
    pub level: u8,
    pub reason: String,
    /// The team's name and who holds the case at this level, from the
    /// escalation policy (absent if the policy no longer has the team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterView {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// Whether the host signed the name and email (an identity token); when
    /// only the id was signed, they are what the widget sent, unverified.
    #[serde(default)]
    pub verified: bool,
}

/// One case. A reporter gets their own case without the team's internals
/// (`sla`, `escalation`, `assignee`, internal events are left out); a
/// specialist gets everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub platform: String,
    pub category: Option<String>,
    pub priority: Priority,
    pub impact: Impact,
    pub urgency: Urgency,
    pub status: CaseStatus,
    pub reporter: ReporterView,
    pub context: IssueContext,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<SpecialistSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// The row version, for `If-Match` on changes.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The newest page of the timeline, oldest first.
    #[serde(default)]
    pub events: Vec<CaseEventView>,
    /// When older events exist: pass as `?events_before=` to read the page
    /// before `events`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_before: Option<i64>,
}

/// One case as a list shows it (queue, "my cases").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub platform: String,
    pub category: Option<String>,
    pub priority: Priority,
    pub status: CaseStatus,
    pub reporter_id: String,
    pub reporter_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<SpecialistSummary>,
    /// The next SLA deadline (RFC 3339); absent while paused or met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// `GET /v1/queue` answer: a page of cases and who is looking at them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub specialist: SpecialistSummary,
    pub cases: Vec<CaseSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /v1/cases/mine` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCases {
    pub cases: Vec<CaseSummary>,
}

/// A specialist as other screens show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistSummary {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// `POST /v1/cases/{id}/messages`, `/reply` and `/note` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRequest {
    pub body: String,
}

/// `POST /v1/cases/{id}/status` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRequest {
    pub status: CaseStatus,
}

/// `POST /v1/cases/{id}/escalate` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalateRequest {
    pub team: String,
    pub level: u8,
    pub reason: String,
}

/// `POST /v1/cases/{id}/feedback` body: CSAT 1–5 and an optional comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRequest {
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `POST /v1/specialists` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSpecialistRequest {
    pub name: String,
    pub role: Role,
}

/// `GET /v1/specialists` answer: the active specialists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistList {
    pub specialists: Vec<SpecialistSummary>,
}

/// `201` answer to `POST /v1/specialists`: the token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistCreated {
    pub specialist: SpecialistSummary,
    pub token: String,
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

/// `POST /v1/sop/articles` and `PUT /v1/sop/articles/{slug}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopArticleInput {
    /// Required on create; on edit, the slug in the path wins.
    #[serde(default)]
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub category: String,
    #[serde(default)]
    pub platforms: Vec<String>,
    #[serde(default = "default_language")]
    pub language: String,
    /// Publish at once (lead role or above).
    #[serde(default)]
    pub published: bool,
}

fn default_language() -> String {
    "en".into()
}

/// One SOP article (a given version of it, for `?version=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopArticleView {
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
    /// Safe HTML rendered from the Markdown: no scripts, no event handlers, no
    /// `javascript:` links; external links open in a new tab.
    pub body_html: String,
    pub tags: Vec<String>,
    pub category: String,
    pub platforms: Vec<String>,
    pub language: String,
    pub version: i64,
    /// Whether this version is the one users read.
    pub published: bool,
    /// The version users read, if any is published: an edit of a published
    /// article waits as a newer draft until a lead publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_version: Option<i64>,
    pub updated_by: String,
    pub updated_at: String,
}

/// `GET /v1/sop/articles` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopArticleList {
    pub articles: Vec<SopArticleSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopArticleSummary {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub language: String,
    pub version: i64,
    /// Whether the latest version is the one users read.
    pub published: bool,
    /// The version users read, if any (older than `version` while an edit
    /// waits for a lead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_version: Option<i64>,
    pub updated_at: String,
}

/// `GET /v1/sop/articles/{slug}/versions` answer, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopVersionList {
    pub versions: Vec<SopVersionSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopVersionSummary {
    pub version: i64,
    pub title: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// `GET /v1/sop/search` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SopSearchResults {
    pub query: String,
    pub hits: Vec<crate::sop::SopHit>,
}

/// `POST /v1/deflections` body: what a self-serve answer did for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeflectionRequest {
    pub query: String,
    /// The article shown, or none when nothing matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_slug: Option<String>,
    pub solved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

/// `201` answer to `POST /v1/deflections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeflectionRecorded {
    pub id: i64,
}

/// `GET /v1/sop/gaps` answer: what users asked that the SOPs did not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopGaps {
    pub gaps: Vec<SopGap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SopGap {
    /// The query as one user typed it (the most recent spelling).
    pub query: String,
    /// How many times it went unanswered.
    pub unanswered: i64,
    /// Of those, how many found no article at all.
    pub no_article: i64,
    pub last_at: String,
}

/// What one SLA sweep recorded (`POST /v1/sla/sweep`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepReport {
    pub warnings: usize,
    pub breaches: usize,
}

/// `GET /v1/notifications/dead`: what the IM webhook never took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadNotifications {
    pub notifications: Vec<DeadNotification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadNotification {
    pub message_id: String,
    /// None if the stored body no longer decodes.
    pub notification: Option<crate::notify::Notification>,
    pub failed_at: String,
}

/// A detected malfunction (`GET /v1/incidents`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: i64,
    pub title: String,
    pub platform: String,
    /// What its cases have in common (`malfunction::signature`).
    pub signature: String,
    /// `open` or `resolved`.
    pub status: String,
    pub cases: i64,
    pub opened_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentList {
    pub incidents: Vec<IncidentView>,
}

/// `GET /v1/incidents/{id}`: the incident and its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentDetail {
    pub incident: IncidentView,
    pub cases: Vec<CaseSummary>,
}

/// `POST /v1/incidents/{id}/resolve` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveIncidentRequest {
    #[serde(default)]
    pub resolution: Option<String>,
}

/// `POST /v1/incidents/{id}/reply` answer: how many of its cases got the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentReplied {
    pub replied: usize,
    /// Closed cases (or ones that closed while the reply went out).
    pub skipped: usize,
}

/// `POST /v1/reports/daily` body: which day to write and send now (today, in
/// the configured zone, when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteReportRequest {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub tz: Option<String>,
}
