//! The API's formats that Rust keeps as plain strings and maps: a field names
//! one with `schemars(with = "Timestamp")` and the document gets one named
//! schema for it, with the pattern and limits the Worker's validation enforces.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::limits::{
    ATTRIBUTE_KEY_MAX_CHARS, ATTRIBUTE_VALUE_MAX_CHARS, MAX_ATTRIBUTES, PLATFORM_MAX_CHARS,
    URL_MAX_CHARS,
};
use crate::report::REASON_ORDER;

/// Declares a marker type whose schema is the given JSON.
macro_rules! string_format {
    ($name:ident, $schema:tt) => {
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_format!(Timestamp, {
    "type": "string",
    "format": "date-time",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
    "description": "RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T09:30:00.000Z`; \
        sorts as text in time order.",
    "examples": ["2026-11-26T09:30:00.000Z"]
});

string_format!(CaseRef, {
    "type": "string",
    "description": "The human reference of a case: `HL-` followed by the row id + 1000.",
    "pattern": "^HL-[0-9]+$",
    "examples": ["HL-1042"]
});

string_format!(Slug, {
    "type": "string",
    "description": "A platform or category slug: lowercase letters, digits, `-`, `_` and `.`.",
    "pattern": "^[a-z0-9._-]+$",
    "minLength": 1,
    "maxLength": PLATFORM_MAX_CHARS,
    "examples": ["ads-console"]
});

string_format!(ArticleSlug, {
    "type": "string",
    "description": "An SOP article's slug: lowercase letters, digits, `-`, `_` and `.`, at \
        least 3 characters.",
    "pattern": "^[a-z0-9._-]+$",
    "minLength": 3,
    "maxLength": PLATFORM_MAX_CHARS,
    "examples": ["csv-export-timeout"]
});

string_format!(LanguageTag, {
    "type": "string",
    "description": "A two- or three-letter lowercase language and an optional region or \
        script (`en`, `zh-CN`, `zh-Hans`).",
    "pattern": "^[a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$",
    "examples": ["en", "zh-CN"]
});

string_format!(LocalDate, {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "description": "A local calendar day, `YYYY-MM-DD`.",
    "examples": ["2026-11-26"]
});

string_format!(PageUrl, {
    "type": "string",
    "description": "An http(s) URL.",
    "maxLength": URL_MAX_CHARS,
    "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"
});

string_format!(HostAttributes, {
    "type": "object",
    "description": "Host-supplied attributes: a string map.",
    "maxProperties": MAX_ATTRIBUTES,
    "propertyNames": {"minLength": 1, "maxLength": ATTRIBUTE_KEY_MAX_CHARS},
    "additionalProperties": {"type": "string", "maxLength": ATTRIBUTE_VALUE_MAX_CHARS}
});

string_format!(KeyReason, {
    "type": "string",
    "description": "Why a case is a key ticket of the day.",
    "enum": REASON_ORDER
});

string_format!(ErrorCode, {
    "type": "string",
    "enum": [
        "required", "too_long", "too_many", "too_large", "invalid", "invalid_json",
        "invalid_body", "unauthorized", "unsigned_user", "forbidden", "not_found",
        "method_not_allowed", "illegal_transition", "stale_version", "idempotency_conflict",
        "conflict", "rate_limited", "internal"
    ],
    "description": "A stable, machine-readable error code. 400: `invalid_json`, \
        `invalid_body`. 401: `unauthorized` (bearer token), `unsigned_user` \
        (reporter identity). 403: `forbidden`. 404: `not_found`. 405: \
        `method_not_allowed`. 409: `illegal_transition`, `stale_version`, \
        `idempotency_conflict`, `conflict`. 413: `too_large`. 422: `required`, \
        `too_long`, `too_many`, `too_large`, `invalid`. 429: `rate_limited`. \
        500: `internal`."
});
