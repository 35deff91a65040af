//! Each operation as the document describes it: its tags, prose, who may
//! call it, its parameters, its body and every answer it gives. One arm per
//! `routes::Operation`, so an operation cannot be served undescribed.

use schemars::{json_schema, Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::api::{
    AssignRequest, CaseCreated, CaseLinks, CasePresence, CreateCaseRequest, CreateLinkRequest,
    CreateSpecialistRequest, DeadNotifications, DeflectionRecorded, DeflectionRequest,
    EndShiftRequest, EscalateRequest, FeedbackRequest, FoundCases, Health, IncidentDetail,
    IncidentList, IncidentReplied, IncidentView, LinkTemplateList, LinkTemplateView,
    MessageRequest, MyCases, PresenceBeat, Queue, ResolveIncidentRequest, ShiftEnded,
    SopArticleInput, SopArticleList, SopArticleView, SopGaps, SopSearchResults, SopVersionList,
    SpecialistCreated, SpecialistList, SpecialistSummary, StatusRequest, SweepReport,
    WriteReportRequest,
};
use crate::escalation::EscalationPolicy;
use crate::lifecycle::Role;
use crate::limits::{PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX};
use crate::report::DailyReport;
use crate::routes::Operation as Op;

use super::components::Refusal::*;
use super::components::{Shared, SharedParameter};
use super::{schema, Answer, Caller, OperationDoc, Parameter};

/// The answer of both lists of the team (`GET /v1/specialists`, `GET /v1/team`).
const ACTIVE_SPECIALISTS: &[Answer] = &[Answer::Json(
    200,
    "The active specialists, by id.",
    schema::<SpecialistList>,
)];

/// `limit` on every operation that pages through cases.
const CASES_PER_PAGE: Parameter = Parameter::Query {
    name: "limit",
    required: false,
    description: "Cases per page.",
    schema: || {
        json!({
            "type": "integer",
            "minimum": 1,
            "maximum": PAGE_SIZE_MAX,
            "default": PAGE_SIZE_DEFAULT,
        })
    },
};

const REPORTER: &[Caller] = &[Caller::Reporter];
const SPECIALIST: &[Caller] = &[Caller::Specialist(Role::Specialist)];
const LEAD: &[Caller] = &[Caller::Specialist(Role::Lead)];
const ADMIN: &[Caller] = &[Caller::Specialist(Role::Admin)];
/// A specialist, or a reporter through the widget.
const ANYONE_SIGNED_IN: &[Caller] = &[Caller::Specialist(Role::Specialist), Caller::Reporter];

pub(super) fn describe(op: Op) -> OperationDoc {
    match op {
        Op::Health => OperationDoc {
            tags: &["health"],
            summary: "Whether the Worker is up and D1 answers",
            description: "",
            callers: &[],
            parameters: &[],
            body: None,
            answers: &[
                Answer::Json(200, "Up, and D1 answers.", schema::<Health>),
                Answer::Json(503, "Up, but D1 does not answer.", schema::<Health>),
            ],
            refusals: &[],
        },
        Op::CreateCase => OperationDoc {
            tags: &["reporter"],
            summary: "Submit a case",
            description: "`reporter.id` must be the signed-in user (`422`, field `reporter.id`, \
                otherwise). Priority and the first-response deadline are computed from \
                impact × urgency and the text. New cases are rate-limited per reporter \
                and per client address (`429` with `Retry-After`); a retry of a stored \
                request is answered with its case even then.",
            callers: REPORTER,
            parameters: &[Parameter::Shared(SharedParameter::IdempotencyKey)],
            body: Some(schema::<CreateCaseRequest>),
            answers: &[
                Answer::Json(
                    200,
                    "A replay: this `Idempotency-Key` already created this case, with the \
                same content.",
                    schema::<CaseCreated>,
                ),
                Answer::Json(201, "The case was created.", schema::<CaseCreated>),
            ],
            refusals: &[IdempotencyConflict, ValidationFailed, RateLimited],
        },
        Op::MyCases => OperationDoc {
            tags: &["reporter"],
            summary: "The signed-in reporter's latest 50 cases",
            description: "",
            callers: REPORTER,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The reporter's cases, newest first.",
                schema::<MyCases>,
            )],
            refusals: &[],
        },
        Op::GetCase => OperationDoc {
            tags: &["reporter", "cases"],
            summary: "One case with its timeline",
            description: "With an `Authorization` header the caller is a specialist and sees \
                everything; otherwise the caller must be the signed reporter of the \
                case, who sees it without the team's internals. Another reporter's \
                case is `404`.",
            callers: ANYONE_SIGNED_IN,
            parameters: &[Parameter::Query {
                name: "events_before",
                required: false,
                description:
                    "Read the timeline page before this event id (the `events_before` of an \
                earlier answer).",
                schema: || json!({"type": "integer", "format": "int64", "minimum": 1}),
            }],
            body: None,
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound],
        },
        Op::PostMessage => OperationDoc {
            tags: &["reporter"],
            summary: "The reporter writes on their case",
            description: "A message to a case waiting on the user moves it back to in_progress \
                (its holder keeps it); to a resolved case, reopens it to the queue. A \
                closed case takes no messages (`409 illegal_transition`). A reporter \
                writes at most `MESSAGES_PER_CASE_PER_MINUTE` (default 10) messages a \
                minute on one case; more is `429` with `Retry-After`.",
            callers: REPORTER,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<MessageRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed, RateLimited],
        },
        Op::PostFeedback => OperationDoc {
            tags: &["reporter"],
            summary: "The reporter rates a resolved case, which closes it",
            description: "Only once per case (`409 conflict` after that); only a resolved case \
                (`409 illegal_transition`).",
            callers: REPORTER,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<FeedbackRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::Reply => OperationDoc {
            tags: &["cases"],
            summary: "A public reply to the reporter",
            description: "By the holder of the case, or a lead or admin (`403` otherwise); only \
                while the case is held (in_progress, waiting_on_user, escalated; `409 \
                illegal_transition` otherwise). The first reply meets the \
                first-response SLA.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<MessageRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::Note => OperationDoc {
            tags: &["cases"],
            summary: "An internal note the reporter never sees",
            description: "Any specialist, in any status.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<MessageRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::SetStatus => OperationDoc {
            tags: &["cases"],
            summary: "Move the case to another status",
            description: "By the holder, or a lead or admin. Moves not allowed from the current \
                status are `409 illegal_transition` (see StatusRequest).",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<StatusRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::Escalate => OperationDoc {
            tags: &["cases"],
            summary: "Hand the case to another team or level",
            description: "By the holder, or a lead or admin, from in_progress, waiting_on_user \
                or escalated. The team and level must be in the escalation policy \
                (`GET /v1/escalation/policy`): another is `422` (field `team` or \
                `level`). Whoever the policy names for that level is alerted in the \
                team channel.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<EscalateRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::Release => OperationDoc {
            tags: &["cases"],
            summary: "Give an in-progress case back to the queue",
            description: "By the holder, or a lead or admin; only from in_progress (`409 \
                illegal_transition` otherwise). No body.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: None,
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::Assign => OperationDoc {
            tags: &["cases"],
            summary: "Hand the case to a colleague",
            description: "By the holder, or a lead or admin, from in_progress, waiting_on_user \
                or escalated (the case stays where it stood); a lead or admin may also hand \
                out a queued case, which becomes in_progress. The colleague must be an \
                active specialist other than the holder (`422`, field `specialist_id`, \
                otherwise); they hold the case with a whole lease from now. An internal \
                `assigned` event records to whom, with the note, and the team channel is \
                told who handed what to whom.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::IfMatch)],
            body: Some(schema::<AssignRequest>),
            answers: &[Answer::Shared(200, Shared::Case)],
            refusals: &[NotFound, CaseConflict, ValidationFailed],
        },
        Op::EndShift => OperationDoc {
            tags: &["cases"],
            summary: "End a shift: hand over or release every case at once",
            description: "Each case goes as its own `assign` (with `to`) or `release` (without) \
                would take it, by the same rules, one after another; a case that cannot go \
                is `refused` in `outcomes` with the refusal its own request would have had, \
                and the others still go. The note is recorded with every handover. The team \
                channel is told once, in one `shift_ended` message naming who handed what \
                to whom and what went back to the queue (not once per case).",
            callers: SPECIALIST,
            parameters: &[],
            body: Some(schema::<EndShiftRequest>),
            answers: &[Answer::Json(
                200,
                "What became of each case, in the order asked.",
                schema::<ShiftEnded>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::CaseLinks => OperationDoc {
            tags: &["links", "cases"],
            summary: "The case's troubleshooting links, filled",
            description: "The link templates that serve the case's platform (its own first, \
                then those for every platform), each filled from the case: the reporter's \
                id, the platform, the page address, the ref, and 15 minutes either side of \
                its creation, every value percent-encoded into an `https` address whose \
                host the admin wrote.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The links, labelled.",
                schema::<CaseLinks>,
            )],
            refusals: &[NotFound],
        },
        Op::CasePresence => OperationDoc {
            tags: &["cases"],
            summary: "The caller has the case open; who else has",
            description: "The console beats every time it polls while a case is open, saying \
                whether the caller typed a reply or note in the last 5 seconds. The answer \
                names the other specialists whose last beat is under 10 seconds old, those \
                typing first, so two do not answer one reporter at once.",
            callers: SPECIALIST,
            parameters: &[],
            body: Some(schema::<PresenceBeat>),
            answers: &[Answer::Json(
                200,
                "The others present.",
                schema::<CasePresence>,
            )],
            refusals: &[NotFound, ValidationFailed],
        },
        Op::SearchCases => OperationDoc {
            tags: &["queue"],
            summary: "Find cases by ref, reporter or words",
            description: "Every case, open or not: the one the query names by its ref \
                (`HL-1042`, any case) first, then the cases of the reporter whose id it is, \
                then those whose title, description or reporter's id, name or email hold \
                every word of it (each word as the start of one there, so `budg` finds \
                `budget`; Chinese by its characters), best match first. At most 1,000 \
                results in all.",
            callers: SPECIALIST,
            parameters: &[
                Parameter::Query {
                    name: "q",
                    required: true,
                    description: "A ref, a reporter id, or words. Trimmed; blank or missing \
                is `422` (field `q`), as is more than 500 characters.",
                    schema: || json!({"type": "string", "minLength": 1, "maxLength": 500}),
                },
                CASES_PER_PAGE,
                Parameter::Query {
                    name: "cursor",
                    required: false,
                    description: "The `next_cursor` of the previous page.",
                    schema: || json!({"type": "string", "pattern": "^[0-9]+$"}),
                },
            ],
            body: None,
            answers: &[Answer::Json(
                200,
                "A page of the cases found, best first.",
                schema::<FoundCases>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::Queue => OperationDoc {
            tags: &["queue"],
            summary: "A page of the queue, most urgent SLA deadline first",
            description: "Unknown query parameters are ignored; a bad value is `422` naming the \
                parameter in `field`. The answer's `ETag` is its content's: consoles poll \
                with `If-None-Match`, and an unchanged page is `304` with no body.",
            callers: SPECIALIST,
            parameters: &[
                Parameter::Shared(SharedParameter::IfNoneMatch),
                Parameter::Query {
                    name: "platform",
                    required: false,
                    description: "Only cases of this platform.",
                    schema: || json!({"$ref": "#/components/schemas/Slug"}),
                },
                Parameter::Query {
                    name: "priority",
                    required: false,
                    description: "Only cases of this priority (case-insensitive).",
                    schema: || json!({"type": "string", "pattern": "^[Pp][1-4]$"}),
                },
                Parameter::Query {
                    name: "status",
                    required: false,
                    description:
                        "Comma-separated statuses (`queued,escalated`); default: every open \
                status (queued, in_progress, waiting_on_user, escalated).",
                    schema: || json!({"type": "string", "pattern": "^(?:queued|in_progress|waiting_on_user|escalated|resolved|closed)(?:,(?:queued|in_progress|waiting_on_user|escalated|resolved|closed))*$"}),
                },
                Parameter::Query {
                    name: "assignee",
                    required: false,
                    description:
                        "`me` (the caller), `none` (unassigned) or a specialist id; default: \
                anyone.",
                    schema: || json!({"type": "string", "pattern": "^(?:me|none|[+-]?[0-9]+)$"}),
                },
                Parameter::Query {
                    name: "view",
                    required: false,
                    description: "One of the console's views, as `counts` names them: \
                `unassigned`, `mine` (the caller's), `breaching_soon` (the next deadline \
                within 30 minutes or missed), `escalated`, `waiting_on_user`; default: \
                `all_open`. It narrows the page as the filters do, and (unless `assignee` \
                narrows it too: `counts` heed only platform, priority and status) the page \
                holds what `counts` gives the view.",
                    schema: || json!({"type": "string", "enum": crate::workspace::QueueView::ALL.map(|v| v.as_str())}),
                },
                CASES_PER_PAGE,
                Parameter::Query {
                    name: "cursor",
                    required: false,
                    description: "The `next_cursor` of the previous page.",
                    schema: || json!({"type": "string", "pattern": "^-?[0-9]+\\.-?[0-9]+$"}),
                },
            ],
            body: None,
            answers: &[
                Answer::Custom(200, queue_200),
                Answer::Custom(304, queue_304),
            ],
            refusals: &[ValidationFailed],
        },
        Op::Claim => OperationDoc {
            tags: &["queue"],
            summary: "Claim the most urgent unclaimed case",
            description: "Atomic: each queued case goes to exactly one caller. The claim is a \
                lease that acting on the case renews; when it runs out the case goes \
                back to the queue.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[
                Answer::Shared(200, Shared::Case),
                Answer::Empty(204, "The queue is empty: nothing to claim."),
            ],
            refusals: &[],
        },
        Op::ListSpecialists => OperationDoc {
            tags: &["specialists"],
            summary: "The active specialists",
            description: "Admins, or the bootstrap token.",
            callers: ADMIN,
            parameters: &[],
            body: None,
            answers: ACTIVE_SPECIALISTS,
            refusals: &[],
        },
        Op::ListTeam => OperationDoc {
            tags: &["specialists"],
            summary: "The active specialists, for every specialist",
            description: "Who a case may be handed to (`POST /v1/cases/{id}/assign`): the \
                same list as `GET /v1/specialists`, names and roles only.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: ACTIVE_SPECIALISTS,
            refusals: &[],
        },
        Op::CreateSpecialist => OperationDoc {
            tags: &["specialists"],
            summary: "Create a specialist and their token",
            description: "Admins, or the bootstrap token (`ADMIN_BOOTSTRAP_TOKEN`), which is how \
                the first admin is made.",
            callers: ADMIN,
            parameters: &[],
            body: Some(schema::<CreateSpecialistRequest>),
            answers: &[Answer::Json(
                201,
                "Created; the token is shown this once.",
                schema::<SpecialistCreated>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::RevokeSpecialist => OperationDoc {
            tags: &["specialists"],
            summary: "Revoke a specialist's token",
            description: "Admins, or the bootstrap token. An unknown or already revoked \
                specialist is `404`.",
            callers: ADMIN,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The revoked specialist. Their in-progress cases go back to the queue.",
                schema::<SpecialistSummary>,
            )],
            refusals: &[NotFound],
        },
        Op::SopIndex => OperationDoc {
            tags: &["sop", "reporter"],
            summary: "The compact search index of the published articles",
            description: "What the widget downloads once and searches on every keystroke, \
                locally. Binary (see the `200` answer); decode it with \
                `helpline_shared::sop::SopIndex::from_bytes`. Drafts are never in it. \
                With `If-None-Match` equal to the current `ETag` the answer is `304` \
                with no body.",
            callers: ANYONE_SIGNED_IN,
            parameters: &[Parameter::Shared(SharedParameter::IfNoneMatch)],
            body: None,
            answers: &[
                Answer::Custom(200, sop_index_200),
                Answer::Custom(304, sop_index_304),
            ],
            refusals: &[],
        },
        Op::SopSearch => OperationDoc {
            tags: &["sop", "reporter"],
            summary: "Search the published articles",
            description: "The same ranked, typo-tolerant, type-ahead search the widget runs on \
                the index, run by the Worker: at most 8 hits, best first. Drafts are \
                never found.",
            callers: ANYONE_SIGNED_IN,
            parameters: &[Parameter::Query {
                name: "q",
                required: true,
                description:
                    "What the user typed; the last word matches by prefix. Trimmed; blank \
                or missing is `422` (field `q`), as is more than 500 characters.",
                schema: || json!({"type": "string", "minLength": 1, "maxLength": 500}),
            }],
            body: None,
            answers: &[Answer::Json(
                200,
                "The hits, best first.",
                schema::<SopSearchResults>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::SopGaps => OperationDoc {
            tags: &["sop"],
            summary: "What users asked that the SOPs did not answer",
            description: "Unsolved deflections of the last 30 days grouped by query (case and \
                spacing ignored), most frequent first; at most 50.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The gaps, most frequent first.",
                schema::<SopGaps>,
            )],
            refusals: &[],
        },
        Op::ListSopArticles => OperationDoc {
            tags: &["sop"],
            summary: "Every article, drafts too",
            description: "The current version of each article, by slug.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The articles, by slug.",
                schema::<SopArticleList>,
            )],
            refusals: &[],
        },
        Op::CreateSopArticle => OperationDoc {
            tags: &["sop"],
            summary: "Write a new article (version 1)",
            description: "A draft unless `published` is true, which needs the lead role (`403` \
                otherwise). The Markdown is rendered once, here, to safe HTML. A slug \
                that exists already is `409 conflict`. Each invalid value is `422` \
                naming it: `slug`, `title`, `body_markdown`, `category`, `tags`, \
                `platforms` or `language`.",
            callers: SPECIALIST,
            parameters: &[],
            body: Some(new_article),
            answers: &[Answer::Shared(201, Shared::SopArticle)],
            refusals: &[SlugTaken, ValidationFailed],
        },
        Op::GetSopArticle => OperationDoc {
            tags: &["sop", "reporter"],
            summary: "One article, with its Markdown rendered to safe HTML",
            description: "A reporter sees only a published article (a draft is `404`) and only \
                its current version. A specialist sees drafts too and may ask for an \
                older version with `version`; that answer has `published: false` \
                (publishing is not part of a version) and the old version as its \
                `ETag`.",
            callers: ANYONE_SIGNED_IN,
            parameters: &[Parameter::Query {
                name: "version",
                required: false,
                description:
                    "Specialists only: this version instead of the current one (`404` for a \
                reporter, or when there is no such version). Not a number is `422` \
                (field `version`).",
                schema: || json!({"type": "integer", "format": "int64"}),
            }],
            body: None,
            answers: &[Answer::Shared(200, Shared::SopArticle)],
            refusals: &[NotFound, ValidationFailed],
        },
        Op::EditSopArticle => OperationDoc {
            tags: &["sop"],
            summary: "Save an edit as the next version",
            description: "`If-Match` must name the version edited: missing or not a version is \
                `422` (field `If-Match`), and if someone saved another version \
                meanwhile the answer is `409 stale_version` and nothing changes. The \
                slug in the path wins over the body's; `published` in the body is \
                ignored (publishing is `/publish` and `/unpublish`); an edit of a \
                published article is live at once. Each invalid value is `422` naming \
                it.",
            callers: SPECIALIST,
            parameters: &[Parameter::Shared(SharedParameter::ArticleIfMatch)],
            body: Some(schema::<SopArticleInput>),
            answers: &[Answer::Shared(200, Shared::SopArticle)],
            refusals: &[NotFound, StaleArticle, ValidationFailed],
        },
        Op::ListSopArticleVersions => OperationDoc {
            tags: &["sop"],
            summary: "Every version of an article, newest first",
            description: "Read one with `GET /v1/sop/articles/{slug}?version=`. An unknown slug \
                is `404`.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The versions, newest first.",
                schema::<SopVersionList>,
            )],
            refusals: &[NotFound],
        },
        Op::PublishSopArticle => OperationDoc {
            tags: &["sop"],
            summary: "Publish an article's current version",
            description: "Leads and admins (`403` for a specialist). Readers see the article, \
                the index and search find it. Publishing a published article changes \
                nothing but `updated_by` and `updated_at`. No body.",
            callers: LEAD,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The article's current version, now published. No `ETag`: publishing \
                does not change the version.",
                schema::<SopArticleView>,
            )],
            refusals: &[NotFound],
        },
        Op::UnpublishSopArticle => OperationDoc {
            tags: &["sop"],
            summary: "Take an article back to draft",
            description: "Leads and admins (`403` for a specialist). Reporters no longer see it \
                (`404`), the index and search no longer find it. No body.",
            callers: LEAD,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The article's current version, now a draft. No `ETag`: publishing does \
                not change the version.",
                schema::<SopArticleView>,
            )],
            refusals: &[NotFound],
        },
        Op::RecordDeflection => OperationDoc {
            tags: &["sop", "reporter"],
            summary: "Record what a self-serve answer did for the user",
            description: "Sent by the widget when the user says whether an article solved their \
                problem, or when nothing matched what they typed. Unsolved ones feed \
                `GET /v1/sop/gaps`. The article is not checked to exist.",
            callers: REPORTER,
            parameters: &[],
            body: Some(schema::<DeflectionRequest>),
            answers: &[Answer::Json(201, "Recorded.", schema::<DeflectionRecorded>)],
            refusals: &[ValidationFailed],
        },
        Op::RunSlaSweep => OperationDoc {
            tags: &["queue"],
            summary: "Run the SLA sweep now",
            description: "The sweep the cron trigger runs every minute: records each SLA warning \
                (a target's window mostly used, 80% by default, `SLA_WARN_AT`) and \
                each breach once, as internal events on the case, and tells the team \
                channel. A breach of a priority the escalation policy names \
                (`breach_escalates`, P1 and P2 by default) also escalates the case to \
                the lead on shift, unless it is escalated already. Returns what this \
                run recorded; a second run right after records nothing new.",
            callers: LEAD,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "What this sweep recorded.",
                schema::<SweepReport>,
            )],
            refusals: &[],
        },
        Op::EscalationPolicy => OperationDoc {
            tags: &["cases"],
            summary: "The escalation policy in force",
            description: "The teams a case can be escalated to, with their levels, who holds a \
                case at each and whom each alerts; the support leads' rota; and what \
                the SLA watch does on its own. An operator sets it \
                (`ESCALATION_POLICY`); the console offers exactly the teams and levels \
                it lists, and `POST /v1/cases/{id}/escalate` refuses any other.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(200, "The policy.", schema::<EscalationPolicy>)],
            refusals: &[],
        },
        Op::ListIncidents => OperationDoc {
            tags: &["incidents"],
            summary: "Incidents, newest first",
            description: "An incident opens when enough look-alike cases (the same platform, and \
                the same error on the page or else the same category) arrive close \
                together: `MALFUNCTION_RULE`, 5 within 15 minutes by default. Later \
                look-alikes join it while it is open; once it is resolved, the next \
                burst opens a new one. At most 100. Unknown query parameters are \
                ignored.",
            callers: SPECIALIST,
            parameters: &[Parameter::Query {
                name: "status",
                required: false,
                description: "`open`, `resolved` or `all` (the default); anything else is `422` \
                (field `status`).",
                schema: || json!({"type": "string", "enum": ["open", "resolved", "all"], "default": "all"}),
            }],
            body: None,
            answers: &[Answer::Json(
                200,
                "The incidents, newest first.",
                schema::<IncidentList>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::GetIncident => OperationDoc {
            tags: &["incidents"],
            summary: "One incident with its cases",
            description: "The incident and its cases, oldest first (at most 500). An unknown \
                incident is `404`.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The incident and its cases.",
                schema::<IncidentDetail>,
            )],
            refusals: &[NotFound],
        },
        Op::ResolveIncident => OperationDoc {
            tags: &["incidents"],
            summary: "Mark an incident resolved",
            description: "Any specialist; the team channel is told. Its cases do not change: \
                answer them all with `/reply` and resolve each as usual. An incident \
                already resolved is `409 conflict`. The body is required: `{}` when \
                there is nothing to say.",
            callers: SPECIALIST,
            parameters: &[],
            body: Some(schema::<ResolveIncidentRequest>),
            answers: &[Answer::Json(
                200,
                "The incident, now resolved.",
                schema::<IncidentView>,
            )],
            refusals: &[NotFound, IncidentResolved, ValidationFailed],
        },
        Op::ReplyToIncident => OperationDoc {
            tags: &["incidents"],
            summary: "One public reply to every case of an incident",
            description: "Any specialist, whoever holds each case: the reply goes to each of the \
                incident's cases that is not closed, as a public reply from the caller \
                (the first one meets the case's first-response SLA); statuses do not \
                change and closed cases are skipped. The team channel is not told of \
                each copy. A blank body is `422` (field `body`).",
            callers: SPECIALIST,
            parameters: &[],
            body: Some(schema::<MessageRequest>),
            answers: &[Answer::Json(
                200,
                "How many of its cases got the reply.",
                schema::<IncidentReplied>,
            )],
            refusals: &[NotFound, ValidationFailed],
        },
        Op::DailyReport => OperationDoc {
            tags: &["reports"],
            summary: "The daily report for one day",
            description: "What the support team's day was, in one time zone: cases received, \
                resolved and open, response times, breakdowns, SLA compliance and \
                breaches, key tickets, incidents, self-serve answers and CSAT. \
                Computed when asked, for any day. JSON by default; Markdown (to paste \
                into IM) or an HTML page with charts (no script, under a strict \
                `Content-Security-Policy`) with `format`, or with `Accept: \
                text/markdown` or `Accept: text/html` when there is no `format`. Each \
                bad value is `422` naming it: `date`, `tz` or `format`. Unknown query \
                parameters are ignored.",
            callers: SPECIALIST,
            parameters: &[
                Parameter::Query {
                    name: "date",
                    required: false,
                    description:
                        "The local day, `YYYY-MM-DD` (years 2000 to 2200); default today in \
                `tz`.",
                    schema: || json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
                },
                Parameter::Query {
                    name: "tz",
                    required: false,
                    description:
                        "An IANA time zone name (`UTC`, `Asia/Shanghai`); default the Worker's \
                `REPORT_TIME_ZONE` (UTC unless set).",
                    schema: || json!({"type": "string", "minLength": 1, "examples": ["Asia/Shanghai"]}),
                },
                Parameter::Query {
                    name: "format",
                    required: false,
                    description: "`json`, `markdown` (or `md`) or `html`; wins over `Accept`.",
                    schema: || json!({"type": "string", "enum": ["json", "markdown", "md", "html"]}),
                },
            ],
            body: None,
            answers: &[Answer::Custom(200, daily_report_200)],
            refusals: &[ValidationFailed],
        },
        Op::WriteDailyReport => OperationDoc {
            tags: &["reports"],
            summary: "Write the daily report now and send it to the team channel",
            description: "Leads and admins (`403` for a specialist). Computes the report for \
                `date` in `tz`, keeps it (in place of one kept for that day and zone) \
                and sends its Markdown to the team channel, as the cron does for \
                yesterday once `REPORT_HOUR` is reached. The body is required: `{}` \
                for today in the configured zone. A bad `date` or `tz` is `422` naming \
                it.",
            callers: LEAD,
            parameters: &[],
            body: Some(schema::<WriteReportRequest>),
            answers: &[Answer::Json(
                200,
                "The report as written and sent.",
                schema::<DailyReport>,
            )],
            refusals: &[ValidationFailed],
        },
        Op::ListLinkTemplates => OperationDoc {
            tags: &["links"],
            summary: "Every troubleshooting link template",
            description: "By platform (`*`: every platform), then label.",
            callers: SPECIALIST,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The templates.",
                schema::<LinkTemplateList>,
            )],
            refusals: &[],
        },
        Op::CreateLinkTemplate => OperationDoc {
            tags: &["links"],
            summary: "Keep a troubleshooting link template",
            description: "Admins. The template must be an `https` address with its host \
                written out (no placeholder, user name or space before the path) and only \
                the placeholders listed in the body (`422`, field `template`, otherwise); \
                at most 50 are kept.",
            callers: ADMIN,
            parameters: &[],
            body: Some(schema::<CreateLinkRequest>),
            answers: &[Answer::Json(201, "Kept.", schema::<LinkTemplateView>)],
            refusals: &[ValidationFailed],
        },
        Op::RemoveLinkTemplate => OperationDoc {
            tags: &["links"],
            summary: "Remove a troubleshooting link template",
            description: "Admins. An unknown template is `404`.",
            callers: ADMIN,
            parameters: &[],
            body: None,
            answers: &[Answer::Empty(204, "Removed.")],
            refusals: &[NotFound],
        },
        Op::DeadNotifications => OperationDoc {
            tags: &["notifications"],
            summary: "Notifications the team channel never took",
            description: "Leads and admins (`403` for a specialist). Notifications go to the \
                team's IM webhook (`IM_WEBHOOK_URL`) through a queue and are retried, \
                less often as they age; one the webhook still refused after the last \
                retry is kept here, so nothing the team should have seen is silently \
                lost. Newest first, at most 200.",
            callers: LEAD,
            parameters: &[],
            body: None,
            answers: &[Answer::Json(
                200,
                "The undelivered notifications, newest first.",
                schema::<DeadNotifications>,
            )],
            refusals: &[],
        },
    }
}

/// A new article names its slug.
fn new_article(generator: &mut SchemaGenerator) -> Schema {
    let input = generator.subschema_for::<SopArticleInput>();
    json_schema!({"allOf": [input, {"required": ["slug"]}]})
}

fn sop_index_200(_: &mut SchemaGenerator) -> Value {
    json!({
        "description": "The index of every published article: `HLSOP`, a format version byte \
            (1), then the documents, the front-coded vocabulary, the postings and \
            the surface forms (LEB128 varints and length-prefixed UTF-8). A widget \
            refuses a format version it does not know.",
        "headers": {
            "ETag": {"$ref": "#/components/headers/IndexETag"},
            "Cache-Control": {"$ref": "#/components/headers/IndexCacheControl"},
        },
        "content": {"application/octet-stream": {}},
    })
}

/// The `ETag` of an answer tagged by its content (`conditional::content_etag`).
fn content_etag_header() -> Value {
    json!({
        "description": "The answer's content, as a tag: send it back as `If-None-Match`.",
        "schema": {"type": "string", "pattern": "^\"[0-9a-f]{16}\"$"},
    })
}

fn queue_200(generator: &mut SchemaGenerator) -> Value {
    json!({
        "description": "A page of cases; cases with no running deadline come last, oldest first.",
        "headers": {"ETag": content_etag_header()},
        "content": {"application/json": {"schema": generator.subschema_for::<Queue>()}},
    })
}

fn queue_304(_: &mut SchemaGenerator) -> Value {
    json!({
        "description": "Not modified: the page is the one the `If-None-Match` tags; no body.",
        "headers": {"ETag": content_etag_header()},
    })
}

fn sop_index_304(_: &mut SchemaGenerator) -> Value {
    json!({
        "description": "Not modified: the `If-None-Match` is the current `ETag`; no body.",
        "headers": {"ETag": {"$ref": "#/components/headers/IndexETag"}},
    })
}

fn daily_report_200(generator: &mut SchemaGenerator) -> Value {
    json!({
        "description": "The report, in the form asked for.",
        "headers": {
            "Content-Security-Policy": {"$ref": "#/components/headers/ReportContentSecurityPolicy"},
            "X-Content-Type-Options": {"$ref": "#/components/headers/NoSniff"},
            "Server-Timing": {"$ref": "#/components/headers/ReportServerTiming"},
        },
        "content": {
            "application/json": {"schema": generator.subschema_for::<DailyReport>()},
            "text/markdown": {"schema": {
                "type": "string",
                "description": "The same figures as Markdown tables under a `# Helpline daily report — \
                    <date> (<zone>)` heading; UTF-8.",
                "pattern": "^# Helpline daily report",
            }},
            "text/html": {"schema": {
                "type": "string",
                "description": "A self-contained page: the same figures as tables and inline SVG \
                    charts, no script; UTF-8.",
                "pattern": "^<!doctype html>",
            }},
        },
    })
}
