//! What the document says once and operations point at: its front matter, the
//! shared answers (a case, an article, each kind of refusal with the error
//! codes it carries), the shared parameters and headers, and the ways in.

use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};

use crate::api::{CaseView, ErrorBody, SopArticleView};
use crate::limits::{IDEMPOTENCY_KEY_MAX_CHARS, REPORTER_FIELD_MAX_CHARS, REQUEST_BODY_MAX_BYTES};

use super::{schema, SchemaFor};

/// The areas of the API, in the order the document lists them; an
/// operation's first tag is its area.
const TAGS: [(&str, &str); 10] = [
    ("health", "Liveness."),
    (
        "reporter",
        "What a platform user does through the widget (signed identity).",
    ),
    ("cases", "What a specialist does to a case (bearer token)."),
    ("queue", "The specialists' queue."),
    ("specialists", "Managing specialists (admins)."),
    (
        "links",
        "Troubleshooting links: address templates per platform (admins), filled from a case.",
    ),
    (
        "sop",
        "The SOP knowledge base: self-serve answers for reporters (index, \
                search, articles, deflections) and writing, versioning and publishing \
                articles for specialists.",
    ),
    (
        "incidents",
        "Malfunctions: bursts of look-alike cases, handled as one.",
    ),
    (
        "reports",
        "The daily report: what the support team's day was.",
    ),
    (
        "notifications",
        "What the team's IM channel is told, and what it never took.",
    ),
];

/// The document's front matter: version, prose, servers and tags.
pub(super) fn info() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Helpline API",
            "version": env!("CARGO_PKG_VERSION"),
            "summary": "The in-app support desk: reporters submit and follow cases and find \
                answers in the SOP knowledge base, specialists work the queue and \
                write the SOPs.",
            "description": include_str!("overview.md").trim_end(),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [
            {"url": "/", "description": "The Worker's own origin (locally `cargo xtask dev`)."}
        ],
        "tags": TAGS
            .iter()
            .map(|(name, description)| json!({"name": name, "description": description}))
            .collect::<Vec<_>>(),
    })
}

/// `components` but for `schemas`, which the generator fills last.
pub(super) fn components(generator: &mut SchemaGenerator) -> Value {
    let mut responses: Map<String, Value> = Shared::ALL
        .iter()
        .map(|shared| (shared.name(), shared.response_object(generator)))
        .collect();
    responses.extend(
        Refusal::ALL
            .iter()
            .map(|refusal| (refusal.name(), refusal.response_object(generator))),
    );
    let parameters: Map<String, Value> = SharedParameter::ALL
        .iter()
        .map(|parameter| (parameter.name(), parameter.object()))
        .collect();
    json!({
        "responses": responses,
        "parameters": parameters,
        "headers": headers(),
        "securitySchemes": security_schemes(),
    })
}

/// An entry of `#/components/<SECTION>`, keyed by its variant's name and
/// pointed at with `$ref`.
pub(super) trait Component: std::fmt::Debug + Copy {
    const SECTION: &'static str;

    fn name(self) -> String {
        format!("{self:?}")
    }

    fn reference(self) -> Value {
        json!({"$ref": format!("#/components/{}/{}", Self::SECTION, self.name())})
    }
}

impl Component for Shared {
    const SECTION: &'static str = "responses";
}

impl Component for Refusal {
    const SECTION: &'static str = "responses";
}

impl Component for SharedParameter {
    const SECTION: &'static str = "parameters";
}

/// The successful answers several operations share.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shared {
    Case,
    SopArticle,
}

impl Shared {
    const ALL: [Self; 2] = [Self::Case, Self::SopArticle];

    fn response_object(self, generator: &mut SchemaGenerator) -> Value {
        match self {
            Self::Case => body(
                "The case as the caller may see it, with its timeline.",
                ("ETag", "ETag"),
                schema::<CaseView>,
                generator,
            ),
            Self::SopArticle => body(
                "The article (the version asked for).",
                ("ETag", "ArticleETag"),
                schema::<SopArticleView>,
                generator,
            ),
        }
    }
}

/// The refusals operations give: each its status, the error codes it may
/// carry and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    BadRequest,
    InvalidToken,
    UnsignedUser,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    CaseConflict,
    IdempotencyConflict,
    SlugTaken,
    StaleArticle,
    IncidentResolved,
    PayloadTooLarge,
    ValidationFailed,
    RateLimited,
    InternalError,
}

impl Refusal {
    const ALL: [Self; 16] = [
        Self::BadRequest,
        Self::InvalidToken,
        Self::UnsignedUser,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::CaseConflict,
        Self::IdempotencyConflict,
        Self::SlugTaken,
        Self::StaleArticle,
        Self::IncidentResolved,
        Self::PayloadTooLarge,
        Self::ValidationFailed,
        Self::RateLimited,
        Self::InternalError,
    ];

    pub(super) fn status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::InvalidToken => 401,
            Self::UnsignedUser => 401,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::CaseConflict => 409,
            Self::IdempotencyConflict => 409,
            Self::SlugTaken => 409,
            Self::StaleArticle => 409,
            Self::IncidentResolved => 409,
            Self::PayloadTooLarge => 413,
            Self::ValidationFailed => 422,
            Self::RateLimited => 429,
            Self::InternalError => 500,
        }
    }

    fn response_object(self, generator: &mut SchemaGenerator) -> Value {
        let (description, codes) = self.meaning();
        let answer = refusal(&description, codes, generator);
        match self {
            Self::InvalidToken => with_header(
                answer,
                "WWW-Authenticate",
                json!({"$ref": "#/components/headers/WWWAuthenticate"}),
            ),
            Self::MethodNotAllowed => with_header(
                answer,
                "Allow",
                json!({
                    "description": "The methods this path has, e.g. `GET, PUT`.",
                    "required": true,
                    "schema": {"type": "string", "pattern": "^[A-Z]+(, [A-Z]+)*$"},
                }),
            ),
            Self::RateLimited => with_header(
                answer,
                "Retry-After",
                json!({"$ref": "#/components/headers/RetryAfter"}),
            ),
            Self::ValidationFailed => {
                let mut answer = answer;
                answer["content"]["application/json"]["schema"]["allOf"][1]["properties"]
                    ["error"]["required"] = json!(["field"]);
                answer
            }
            _ => answer,
        }
    }

    /// What the refusal means, and the error codes it may carry.
    fn meaning(self) -> (String, &'static [&'static str]) {
        match self {
            Self::BadRequest => (
                "The body is not JSON (`invalid_json`) or not of the expected shape \
                    (`invalid_body`, with `field` when one is at fault)."
                    .into(),
                &["invalid_json", "invalid_body"],
            ),
            Self::InvalidToken => (
                "No valid specialist bearer token (`unauthorized`); a revoked token is \
                    no longer valid."
                    .into(),
                &["unauthorized"],
            ),
            Self::UnsignedUser => (
                "No reporter identity, or a signature that does not match (`unsigned_user`)."
                    .into(),
                &["unsigned_user"],
            ),
            Self::Unauthenticated => (
                "With an `Authorization` header: no valid token (`unauthorized`, with \
                    `WWW-Authenticate`). Without one: no valid reporter identity \
                    (`unsigned_user`)."
                    .into(),
                &["unauthorized", "unsigned_user"],
            ),
            Self::Forbidden => (
                "The caller's role or relation to the case does not allow this \
                    (`forbidden`): e.g. a specialist acting on a case another specialist \
                    holds, a specialist publishing an SOP article, writing the daily \
                    report or reading dead notifications (leads only), a non-admin \
                    managing specialists, or the bootstrap token outside \
                    `/v1/specialists`."
                    .into(),
                &["forbidden"],
            ),
            Self::NotFound => (
                "No such resource, or one the caller may not see (`not_found`).".into(),
                &["not_found"],
            ),
            Self::MethodNotAllowed => (
                "The path exists but not with this method (`method_not_allowed`).".into(),
                &["method_not_allowed"],
            ),
            Self::CaseConflict => (
                "The case changed since the caller loaded it (`stale_version`), the \
                    action is not possible in the case's status (`illegal_transition`), or \
                    it was already done (`conflict`, e.g. already rated)."
                    .into(),
                &["stale_version", "illegal_transition", "conflict"],
            ),
            Self::IdempotencyConflict => (
                "This `Idempotency-Key` was already used for a case with different \
                    content (`idempotency_conflict`)."
                    .into(),
                &["idempotency_conflict"],
            ),
            Self::SlugTaken => (
                "An article with this slug exists already (`conflict`).".into(),
                &["conflict"],
            ),
            Self::StaleArticle => (
                "The article changed since the version in `If-Match` (`stale_version`); \
                    reload and edit again."
                    .into(),
                &["stale_version"],
            ),
            Self::IncidentResolved => (
                "The incident is already resolved (`conflict`).".into(),
                &["conflict"],
            ),
            Self::PayloadTooLarge => (
                format!("The body is larger than {REQUEST_BODY_MAX_BYTES} bytes (`too_large`)."),
                &["too_large"],
            ),
            Self::ValidationFailed => (
                "A value is missing, too long, too many, too large or invalid; `field` \
                    names it."
                    .into(),
                &["required", "too_long", "too_many", "too_large", "invalid"],
            ),
            Self::RateLimited => (
                "Too many new cases from this reporter or address, or messages from \
                    this reporter on this case, this minute (`rate_limited`)."
                    .into(),
                &["rate_limited"],
            ),
            Self::InternalError => (
                "Something failed on the server's side (`internal`); the message never \
                    carries details. Retry."
                    .into(),
                &["internal"],
            ),
        }
    }
}

/// A JSON answer that carries a version header.
fn body(
    description: &str,
    (header, shared_header): (&str, &str),
    schema: SchemaFor,
    generator: &mut SchemaGenerator,
) -> Value {
    json!({
        "description": description,
        "headers": {header: {"$ref": format!("#/components/headers/{shared_header}")}},
        "content": {"application/json": {"schema": schema(generator)}},
    })
}

/// An error answer: the one `ErrorBody`, narrowed to the codes it may carry.
fn refusal(description: &str, codes: &[&str], generator: &mut SchemaGenerator) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"allOf": [
            generator.subschema_for::<ErrorBody>(),
            {"properties": {"error": {"properties": {"code": {"enum": codes}}}}},
        ]}}},
    })
}

fn with_header(mut answer: Value, name: &str, header: Value) -> Value {
    answer["headers"] = json!({ name: header });
    answer
}

/// The parameters several operations share.
#[derive(Debug, Clone, Copy)]
pub(super) enum SharedParameter {
    CaseId,
    SpecialistId,
    IncidentId,
    LinkId,
    IfMatch,
    IdempotencyKey,
    ArticleSlug,
    ArticleIfMatch,
    IfNoneMatch,
}

impl SharedParameter {
    const ALL: [Self; 9] = [
        Self::CaseId,
        Self::SpecialistId,
        Self::IncidentId,
        Self::LinkId,
        Self::IfMatch,
        Self::IdempotencyKey,
        Self::ArticleSlug,
        Self::ArticleIfMatch,
        Self::IfNoneMatch,
    ];

    /// The parameter a path template's `{…}` segment is.
    pub(super) fn of_path(path: &str) -> Option<Self> {
        let resource = path.split('/').nth(2)?;
        match (resource, path.contains("{id}"), path.contains("{slug}")) {
            ("cases", true, _) => Some(Self::CaseId),
            ("specialists", true, _) => Some(Self::SpecialistId),
            ("incidents", true, _) => Some(Self::IncidentId),
            ("links", true, _) => Some(Self::LinkId),
            ("sop", _, true) => Some(Self::ArticleSlug),
            _ => None,
        }
    }

    fn object(self) -> Value {
        let (name, place, required, description, schema) = match self {
            Self::CaseId => (
                "id",
                "path",
                true,
                "The case's row id (`42`) or its reference (`HL-1042`). Anything else, \
                    or a case the caller may not see (another reporter's), is `404`."
                    .to_owned(),
                json!({"type": "string", "pattern": "^(?:[0-9]+|HL-[0-9]+)$"}),
            ),
            Self::SpecialistId => (
                "id",
                "path",
                true,
                "The specialist's id; anything else is `404`.".to_owned(),
                json!({"type": "integer", "format": "int64"}),
            ),
            Self::IncidentId => (
                "id",
                "path",
                true,
                "The incident's id; anything else is `404`.".to_owned(),
                json!({"type": "integer", "format": "int64", "minimum": 1}),
            ),
            Self::LinkId => (
                "id",
                "path",
                true,
                "The link template's id; anything else is `404`.".to_owned(),
                json!({"type": "integer", "format": "int64", "minimum": 1}),
            ),
            Self::IfMatch => (
                "If-Match",
                "header",
                false,
                "The case version the change is based on (`\"3\"`, `3` or `W/\"3\"`, as \
                    in the `ETag`). A different current version is `409 stale_version`; a \
                    value that is not a version is `422` (field `If-Match`). Without it \
                    the change applies to whatever version is current."
                    .to_owned(),
                json!({"type": "string", "examples": ["\"3\""]}),
            ),
            Self::IdempotencyKey => (
                "Idempotency-Key",
                "header",
                false,
                format!(
                    "Makes retries safe: a repeat with the same key and the same content \
                    answers `200` with the case already created; the same key with \
                    different content is `409 idempotency_conflict`. Printable ASCII, at \
                    most {IDEMPOTENCY_KEY_MAX_CHARS} characters (else `422`, field \
                    `Idempotency-Key`). Without it every request creates a case."
                ),
                json!({"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_CHARS, "pattern": "^[!-~]+$"}),
            ),
            Self::ArticleSlug => (
                "slug",
                "path",
                true,
                "The article's slug; an unknown one, or a draft a reporter may not see, \
                    is `404`."
                    .to_owned(),
                json!({"type": "string"}),
            ),
            Self::ArticleIfMatch => (
                "If-Match",
                "header",
                true,
                "The article version the edit is based on (`\"3\"`, `3` or `W/\"3\"`, \
                    as in the `ETag`). A different current version is `409 stale_version`; \
                    missing or not a version is `422` (field `If-Match`)."
                    .to_owned(),
                json!({"type": "string", "examples": ["\"3\""]}),
            ),
            Self::IfNoneMatch => (
                "If-None-Match",
                "header",
                false,
                "The `ETag` of the answer the client holds; the same as the current one \
                    is `304` with no body. Compared as RFC 9110 asks: a list of tags, weak \
                    (`W/`) or strong, or `*`."
                    .to_owned(),
                json!({"type": "string"}),
            ),
        };
        json!({
            "name": name,
            "in": place,
            "required": required,
            "description": description,
            "schema": schema,
        })
    }
}

/// A header an answer carries: what it says, whether it is always there, and
/// the schema of its value.
fn header(description: &str, required: Option<bool>, schema: Value) -> Value {
    let mut header = json!({ "description": description, "schema": schema });
    if let Some(required) = required {
        header["required"] = required.into();
    }
    header
}

fn headers() -> Value {
    let headers: Map<String, Value> = [
        (
            "ETag",
            "The case's version, quoted: send it back as `If-Match`.",
            Some(true),
            json!({"type": "string", "pattern": "^\"[0-9]+\"$"}),
        ),
        (
            "ArticleETag",
            "The article's version, quoted: send it back as `If-Match` when \
            editing.",
            Some(true),
            json!({"type": "string", "pattern": "^\"[0-9]+\"$"}),
        ),
        (
            "IndexETag",
            "An opaque strong entity tag that changes whenever the published \
            articles change: send it back as `If-None-Match`.",
            Some(true),
            json!({"type": "string", "pattern": "^\"[!#-~]+\"$"}),
        ),
        (
            "IndexCacheControl",
            "`private, no-cache`: a browser may keep the index but must revalidate \
            it (with `If-None-Match`) before use.",
            Some(true),
            json!({"type": "string", "pattern": "\\bno-cache\\b"}),
        ),
        (
            "RetryAfter",
            "Seconds until the rate-limit window ends.",
            Some(true),
            json!({"type": "integer", "minimum": 0}),
        ),
        (
            "WWWAuthenticate",
            "`Bearer realm=\"helpline\"`.",
            Some(true),
            json!({"type": "string", "pattern": "^Bearer "}),
        ),
        (
            "ReportContentSecurityPolicy",
            "On the HTML form: `default-src 'none'; style-src 'unsafe-inline'; \
            img-src data:`, so the page runs no script and loads nothing.",
            Some(false),
            json!({"type": "string", "pattern": "^default-src 'none';"}),
        ),
        (
            "NoSniff",
            "`nosniff` on the Markdown and HTML forms: browsers take the \
            `Content-Type` as sent.",
            Some(false),
            json!({"type": "string", "enum": ["nosniff"]}),
        ),
        (
            "ReportServerTiming",
            "How long D1 spent on the report's SQL, as `d1;dur=<milliseconds>` \
            (read by `cargo xtask bench-report`).",
            None,
            json!({"type": "string", "pattern": "^d1;dur=[0-9]+(\\.[0-9]+)?$"}),
        ),
    ]
    .into_iter()
    .map(|(name, description, required, schema)| {
        (name.to_owned(), header(description, required, schema))
    })
    .collect();
    headers.into()
}

fn security_schemes() -> Value {
    json!({
        "specialistToken": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "hl_ + 48 hex digits",
            "description": "A specialist's token (shown once when the specialist is created), or \
                the bootstrap token, which may only manage specialists. Roles: \
                specialist < lead < admin.",
        },
        "reporterUser": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Helpline-User",
            "description": format!("The reporter's user id on the host platform (at most \
                {REPORTER_FIELD_MAX_CHARS} characters)."),
        },
        "reporterSignature": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Helpline-User-Hash",
            "description": "Lowercase hex HMAC-SHA256 of the `X-Helpline-User` value, keyed with \
                the identity secret the host platform shares with Helpline; computed \
                by the host's server, never in the browser.",
        },
        "reporterToken": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Helpline-Token",
            "description": "An identity token from the host platform's server: a JWT signed HS256 \
                with the identity secret, with `sub` (the user id), `name`, `email` \
                and `exp` (seconds since the epoch). It vouches for the name and email \
                too (the case's `reporter.verified`); an expired or otherwise signed \
                token is `401 unsigned_user`. Preferred over `X-Helpline-User` + \
                `X-Helpline-User-Hash`, which keep working for existing hosts.",
        },
    })
}
