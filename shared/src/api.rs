//! The JSON shapes of the HTTP API, shared by the widget (which sends them),
//! the Worker (which answers them) and the tests, so they can never drift apart.

use serde::{Deserialize, Serialize};

use crate::context::IssueContext;
use crate::events::CaseEventKind;
use crate::lifecycle::{CaseStatus, Role};
#[cfg(feature = "openapi")]
use crate::limits::{
    DESCRIPTION_MAX_CHARS, FEEDBACK_COMMENT_MAX_CHARS, MESSAGE_MAX_CHARS, NAME_MAX_CHARS,
    PAGE_SIZE_MAX, QUERY_MAX_CHARS, REASON_MAX_CHARS, REPORTER_FIELD_MAX_CHARS, SHIFT_CASES_MAX,
    SOP_BODY_MAX_CHARS, SOP_MAX_LIST_ITEMS, SOP_TAG_MAX_CHARS, TITLE_MAX_CHARS, TRIED_ANSWERS_MAX,
};
#[cfg(feature = "openapi")]
use crate::openapi::format::{
    ArticleSlug, CaseRef, ErrorCode, LanguageTag, LocalDate, Slug, Timestamp,
};
use crate::priority::{Impact, Priority, Urgency};

/// `POST /v1/cases` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateCaseRequest {
    /// Defaults to the first line of the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = TITLE_MAX_CHARS)))]
    pub title: Option<String>,
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = DESCRIPTION_MAX_CHARS)))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Slug"))]
    pub platform: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Slug>"))]
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
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReporterInput {
    /// Must equal the signed X-Helpline-User.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = REPORTER_FIELD_MAX_CHARS)))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = REPORTER_FIELD_MAX_CHARS)))]
    pub name: Option<String>,
    /// Loosely checked: one `@` and a dot in the domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = REPORTER_FIELD_MAX_CHARS)))]
    pub email: Option<String>,
}

/// `201 Created` answer to `POST /v1/cases` (`200` for a replayed request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseCreated {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: CaseStatus,
    pub priority: Priority,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    /// When the first response is due (RFC 3339), from the SLA policy.
    pub first_response_due: String,
}

/// A person or process that acted on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ActorView {
    /// `reporter`, `specialist` or `system`.
    #[cfg_attr(feature = "openapi", schemars(with = "crate::record::ActorKind"))]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One entry of a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseEventView {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    pub kind: CaseEventKind,
    pub actor: ActorView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<CaseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_status: Option<CaseStatus>,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub at: String,
}

/// The SLA as a specialist sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SlaView {
    /// `null` once met.
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    pub first_response_due: Option<String>,
    /// `null` once met.
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    pub resolution_due: Option<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    pub first_response_at: Option<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    pub resolved_at: Option<String>,
    /// The clock stops while the case waits on the user.
    pub paused: bool,
    pub first_response_breached: bool,
    pub resolution_breached: bool,
}

/// Where the case was escalated, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EscalationView {
    /// The team's `key` in the escalation policy (`data`); `support-leads` when an SLA breach
    /// escalated it.
    pub team: String,
    pub level: u8,
    pub reason: String,
    /// The team's name and who holds the case at this level, from the
    /// escalation policy (absent if the policy no longer has the team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    /// Who holds the case at this level (`Team lead`), from the policy; absent like
    /// `team_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseView {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
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
    /// Specialists only; absent when unassigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<SpecialistSummary>,
    /// Specialists only; absent when never escalated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationView>,
    /// Specialists only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaView>,
    /// The reporter's CSAT, once rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(max = 5)))]
    pub rating: Option<u8>,
    /// The row version, for `If-Match` on changes.
    pub version: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub updated_at: String,
    /// The newest page of the timeline, oldest first.
    #[serde(default)]
    pub events: Vec<CaseEventView>,
    /// When older events exist: pass as `?events_before=` to read the page
    /// before `events`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub events_before: Option<i64>,
    /// For the team: the answers the reporter read in the widget in the hour before sending
    /// the case and said did not help, oldest first — not to be sent again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schemars(length(max = TRIED_ANSWERS_MAX)))]
    pub tried_answers: Vec<TriedAnswer>,
}

/// An answer the reporter already tried before sending the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TriedAnswer {
    #[cfg_attr(feature = "openapi", schemars(with = "ArticleSlug"))]
    pub slug: String,
    /// The article's title now (absent if the article is gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the reporter had typed when they read it.
    pub query: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub at: String,
}

/// One case as a list shows it (queue, "my cases").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseSummary {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub platform: String,
    pub category: Option<String>,
    pub priority: Priority,
    pub status: CaseStatus,
    pub reporter_id: String,
    pub reporter_name: Option<String>,
    /// Specialists only; absent when unassigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<SpecialistSummary>,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    /// The next SLA deadline (RFC 3339); absent while paused or met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub updated_at: String,
}

/// `GET /v1/queue` answer: a page of cases and who is looking at them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Queue {
    pub specialist: SpecialistSummary,
    #[cfg_attr(feature = "openapi", schemars(length(max = PAGE_SIZE_MAX)))]
    pub cases: Vec<CaseSummary>,
    /// How many open cases each of the console's views holds, over every
    /// case the platform, priority and status filters let through (not only
    /// this page).
    pub counts: QueueCounts,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(regex(pattern = r"^-?[0-9]+\.-?[0-9]+$"))
    )]
    pub next_cursor: Option<String>,
}

/// The sizes of the queue's views (`helpline_shared::workspace::QueueView`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct QueueCounts {
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub all_open: i64,
    /// Held by nobody.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub unassigned: i64,
    /// Held by the caller.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub mine: i64,
    /// Whose next deadline is within 30 minutes, or missed.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub breaching_soon: i64,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub escalated: i64,
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub waiting_on_user: i64,
}

/// `GET /v1/cases?q=` answer: the cases a search found, best first (the case
/// the query names by its ref, then the reporter it names by id, then by how
/// well the words match).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FoundCases {
    #[cfg_attr(feature = "openapi", schemars(length(max = PAGE_SIZE_MAX)))]
    pub cases: Vec<CaseSummary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = r"^[0-9]+$")))]
    pub next_cursor: Option<String>,
}

/// `GET /v1/cases/mine` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MyCases {
    #[cfg_attr(feature = "openapi", schemars(length(max = 50)))]
    pub cases: Vec<CaseSummary>,
}

/// A specialist as other screens show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SpecialistSummary {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schemars(length(min = 1)))]
    pub name: String,
    pub role: Role,
}

/// `POST /v1/cases/{id}/messages`, `/reply` and `/note` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MessageRequest {
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = MESSAGE_MAX_CHARS)))]
    pub body: String,
}

/// `POST /v1/cases/{id}/status` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct StatusRequest {
    pub status: CaseStatus,
}

/// `POST /v1/cases/{id}/escalate` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EscalateRequest {
    /// A team `key` of the escalation policy (`GET /v1/escalation/policy`); another is `422`
    /// (field `team`).
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = NAME_MAX_CHARS)))]
    pub team: String,
    /// A level of that team in the policy (`422`, field `level`, otherwise); by default 1 = on-
    /// call engineer, 2 = team lead, 3 = engineering manager.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1, max = 3)))]
    pub level: u8,
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = REASON_MAX_CHARS)))]
    pub reason: String,
}

/// `POST /v1/cases/{id}/assign` body: the colleague to hand the case to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AssignRequest {
    /// An active specialist's id (`GET /v1/team`), not the holder's; another is `422` (field
    /// `specialist_id`).
    pub specialist_id: i64,
    /// What they need to know to go on: recorded with the handover, told to the team channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = MESSAGE_MAX_CHARS)))]
    pub note: Option<String>,
}

/// `POST /v1/shift/end` body: where each case goes when the caller's shift ends (a case the
/// caller may not hand over or release — another's, for a specialist — is refused), with one
/// note for every case handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EndShiftRequest {
    /// Each case once; each goes as `POST /v1/cases/{id}/assign` or `/release` would take it.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = SHIFT_CASES_MAX)))]
    pub cases: Vec<ShiftCase>,
    /// What the colleagues taking over need to know: recorded with each handover and told
    /// to the team channel once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = MESSAGE_MAX_CHARS)))]
    pub note: Option<String>,
}

/// One case at the end of a shift, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ShiftCase {
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub case_id: i64,
    /// The active colleague who takes it over; absent, it goes back to the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
}

/// `POST /v1/shift/end` answer: what became of each case, in the order asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ShiftEnded {
    pub outcomes: Vec<ShiftOutcome>,
}

/// What became of one case at the end of a shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ShiftOutcome {
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub case_id: i64,
    pub outcome: ShiftOutcomeKind,
    /// Why it stayed with its holder: the refusal its own request would have had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ErrorDetail>,
}

/// `handed_over` (to the colleague asked), `released` (back to the queue) or `refused` (it
/// stays where it was; the others still go).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShiftOutcomeKind {
    HandedOver,
    Released,
    Refused,
}

/// `POST /v1/cases/{id}/feedback` body: CSAT 1–5 and an optional comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FeedbackRequest {
    /// CSAT, 1 to 5.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1, max = 5)))]
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = FEEDBACK_COMMENT_MAX_CHARS)))]
    pub comment: Option<String>,
}

/// `POST /v1/specialists` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateSpecialistRequest {
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = NAME_MAX_CHARS)))]
    pub name: String,
    pub role: Role,
}

/// `GET /v1/specialists` and `GET /v1/team` answer: the active specialists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SpecialistList {
    pub specialists: Vec<SpecialistSummary>,
}

/// `201` answer to `POST /v1/specialists`: the token is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SpecialistCreated {
    pub specialist: SpecialistSummary,
    /// The bearer token, shown this once (only its digest is stored).
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = r"^hl_[0-9a-f]{48}$")))]
    pub token: String,
}

/// `GET /healthz` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Health {
    pub ok: bool,
    /// Whether D1 answered `SELECT 1`.
    pub database: bool,
}

/// Every error the API returns: `{"error":{"code","message","field"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ErrorDetail {
    #[cfg_attr(feature = "openapi", schemars(with = "ErrorCode"))]
    pub code: String,
    /// A sentence for people; not stable.
    pub message: String,
    /// The JSON path (`reporter.email`), header (`If-Match`, `Idempotency-Key`) or query
    /// parameter (`limit`) at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /v1/sop/articles` and `PUT /v1/sop/articles/{slug}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopArticleInput {
    #[cfg_attr(feature = "openapi", schemars(with = "ArticleSlug"))]
    /// Required on create; on edit, the slug in the path wins.
    #[serde(default)]
    pub slug: String,
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = TITLE_MAX_CHARS)))]
    pub title: String,
    /// CommonMark. Raw HTML is shown as text; `javascript:` links and the like are dropped. At
    /// most 50000 characters, and the whole request at most 64 KiB.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = SOP_BODY_MAX_CHARS)))]
    pub body_markdown: String,
    /// Searched with more weight than the body. Defaults to none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schemars(length(max = SOP_MAX_LIST_ITEMS)))]
    #[cfg_attr(feature = "openapi", schemars(inner(length(min = 1, max = SOP_TAG_MAX_CHARS))))]
    pub tags: Vec<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Slug"))]
    pub category: String,
    /// The platforms the article is about; defaults to none.
    #[cfg_attr(feature = "openapi", schemars(with = "Vec<Slug>"))]
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schemars(length(max = SOP_MAX_LIST_ITEMS)))]
    pub platforms: Vec<String>,
    /// Defaults to `en`.
    #[cfg_attr(feature = "openapi", schemars(with = "LanguageTag"))]
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
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopArticleView {
    #[cfg_attr(feature = "openapi", schemars(with = "ArticleSlug"))]
    pub slug: String,
    pub title: String,
    /// The source, as written.
    pub body_markdown: String,
    /// Safe HTML rendered from the Markdown: no scripts, no event handlers, no
    /// `javascript:` links; external links open in a new tab.
    pub body_html: String,
    pub tags: Vec<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "Slug"))]
    pub category: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Vec<Slug>"))]
    pub platforms: Vec<String>,
    #[cfg_attr(feature = "openapi", schemars(with = "LanguageTag"))]
    pub language: String,
    /// 1 on create, one more with each edit: send it as `If-Match` when editing (also the
    /// `ETag`).
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub version: i64,
    /// Whether this version is the one users read.
    pub published: bool,
    /// The version users read, if any is published: an edit of a published
    /// article waits as a newer draft until a lead publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub published_version: Option<i64>,
    /// The name of the specialist who wrote this version (or last published or unpublished it).
    pub updated_by: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub updated_at: String,
}

/// `GET /v1/sop/articles` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopArticleList {
    pub articles: Vec<SopArticleSummary>,
}

/// One article as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopArticleSummary {
    #[cfg_attr(feature = "openapi", schemars(with = "ArticleSlug"))]
    pub slug: String,
    pub title: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Slug"))]
    pub category: String,
    #[cfg_attr(feature = "openapi", schemars(with = "LanguageTag"))]
    pub language: String,
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub version: i64,
    /// Whether the latest version is the one users read.
    pub published: bool,
    /// The version users read, if any (older than `version` while an edit
    /// waits for a lead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub published_version: Option<i64>,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub updated_at: String,
}

/// `GET /v1/sop/articles/{slug}/versions` answer, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopVersionList {
    #[cfg_attr(feature = "openapi", schemars(length(min = 1)))]
    pub versions: Vec<SopVersionSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopVersionSummary {
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub version: i64,
    pub title: String,
    /// The name of the specialist who wrote this version.
    pub updated_by: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub updated_at: String,
}

/// `GET /v1/sop/search` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopSearchResults {
    /// `q` as searched (trimmed).
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = QUERY_MAX_CHARS)))]
    pub query: String,
    #[cfg_attr(feature = "openapi", schemars(length(max = 8)))]
    pub hits: Vec<crate::sop::SopHit>,
}

/// `POST /v1/deflections` body: what a self-serve answer did for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeflectionRequest {
    /// What the user typed.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = QUERY_MAX_CHARS)))]
    pub query: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Slug>"))]
    /// The article shown, or none when nothing matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_slug: Option<String>,
    /// Whether it solved the user's problem.
    pub solved: bool,
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Slug>"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

/// `201` answer to `POST /v1/deflections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeflectionRecorded {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
}

/// `GET /v1/sop/gaps` answer: what users asked that the SOPs did not answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopGaps {
    #[cfg_attr(feature = "openapi", schemars(length(max = 50)))]
    pub gaps: Vec<SopGap>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SopGap {
    /// The query as one user typed it (the most recent spelling).
    pub query: String,
    /// How many times it went unanswered.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub unanswered: i64,
    /// Of those, how many found no article at all.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub no_article: i64,
    /// When it was last asked.
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub last_at: String,
}

/// What one SLA sweep recorded (`POST /v1/sla/sweep`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SweepReport {
    pub warnings: usize,
    pub breaches: usize,
}

/// `GET /v1/notifications/dead`: what the IM webhook never took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeadNotifications {
    #[cfg_attr(feature = "openapi", schemars(length(max = 200)))]
    pub notifications: Vec<DeadNotification>,
}

/// A notification the webhook never took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeadNotification {
    /// The queue message's id.
    pub message_id: String,
    /// None if the stored body no longer decodes.
    pub notification: Option<crate::notify::Notification>,
    /// When it was given up on.
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub failed_at: String,
}

/// A detected malfunction (`GET /v1/incidents`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncidentView {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    /// From what its cases have in common (`billing: invoices problems`, `crm: error
    /// "typeerror: …"`).
    pub title: String,
    pub platform: String,
    /// What its cases have in common (`malfunction::signature`).
    #[cfg_attr(
        feature = "openapi",
        schemars(regex(pattern = r"^[^|]*\|(?:error|category):"))
    )]
    pub signature: String,
    /// `open` or `resolved`.
    #[cfg_attr(feature = "openapi", schemars(extend("enum" = ["open", "resolved"])))]
    pub status: String,
    /// How many cases it has.
    #[cfg_attr(feature = "openapi", schemars(range(min = 0)))]
    pub cases: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub opened_at: String,
    /// Once resolved.
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Timestamp>"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    /// The name of the specialist who resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// What they wrote, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

/// `GET /v1/incidents` answer: newest first, at most 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncidentList {
    #[cfg_attr(feature = "openapi", schemars(length(max = 100)))]
    pub incidents: Vec<IncidentView>,
}

/// `GET /v1/incidents/{id}`: the incident and its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncidentDetail {
    pub incident: IncidentView,
    /// Its cases, oldest first.
    #[cfg_attr(feature = "openapi", schemars(length(max = 500)))]
    pub cases: Vec<CaseSummary>,
}

/// `POST /v1/incidents/{id}/resolve` body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ResolveIncidentRequest {
    /// What fixed it, for the record and the team channel. Trimmed; blank is none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schemars(length(max = REASON_MAX_CHARS)))]
    pub resolution: Option<String>,
}

/// `POST /v1/incidents/{id}/reply` answer: how many of its cases got the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IncidentReplied {
    pub replied: usize,
    /// Closed cases (or ones that closed while the reply went out).
    pub skipped: usize,
}

/// `POST /v1/reports/daily` body: which day to write and send now (today, in
/// the configured zone, when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WriteReportRequest {
    /// The local day, `YYYY-MM-DD`; default today in `tz`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<LocalDate>"))]
    pub date: Option<String>,
    /// An IANA time zone name; default the Worker's `REPORT_TIME_ZONE` (UTC unless set).
    #[serde(default)]
    pub tz: Option<String>,
}

/// `POST /v1/links` body (admins): a troubleshooting link template
/// (`helpline_shared::troubleshooting`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateLinkRequest {
    /// The platform whose cases show it (a slug), or `*` for every platform.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = 64)))]
    pub platform: String,
    /// What the link is called on the case (`User in the admin tool`).
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = NAME_MAX_CHARS)))]
    pub label: String,
    /// An `https` address with the host written out; `{reporter_id}`,
    /// `{platform}`, `{page_url}`, `{case_ref}`, `{created_at}`, `{from}`,
    /// `{to}` (15 minutes around the case's creation, RFC 3339), `{from_ms}`
    /// and `{to_ms}` (the same in epoch milliseconds) are filled from the
    /// case, percent-encoded.
    #[cfg_attr(
        feature = "openapi",
        schemars(length(min = 1, max = 2048), regex(pattern = r"^https://"))
    )]
    pub template: String,
}

/// A troubleshooting link template as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LinkTemplateView {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    pub platform: String,
    pub label: String,
    pub template: String,
    /// The admin who added it.
    pub created_by: String,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    pub created_at: String,
}

/// `GET /v1/links` answer: every template, by platform then label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LinkTemplateList {
    pub templates: Vec<LinkTemplateView>,
}

/// `POST /v1/cases/{id}/presence` body: the caller has the case open in the
/// console (`helpline_shared::presence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PresenceBeat {
    /// Whether they typed a reply or note in the last 5 seconds.
    pub typing: bool,
}

/// `POST /v1/cases/{id}/presence` answer: the other specialists who have the
/// case open now, those typing first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CasePresence {
    pub present: Vec<PresentSpecialist>,
}

/// Another specialist with the case open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PresentSpecialist {
    /// Their specialist id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    pub name: String,
    /// Whether they are writing a reply or note to it.
    pub typing: bool,
}

/// One troubleshooting link, filled from a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TroubleshootingLink {
    pub label: String,
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = r"^https://")))]
    pub url: String,
}

/// `GET /v1/cases/{id}/links` answer: the case's troubleshooting links, its
/// platform's first, then those for every platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseLinks {
    pub links: Vec<TroubleshootingLink>,
}
