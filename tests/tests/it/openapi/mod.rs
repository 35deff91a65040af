//! docs/openapi.json against the real Worker: every route the Worker serves is
//! in the document and every operation in the document is a route; each area's
//! scenario calls every operation of its area at least once, and each answer
//! has a status the document lists for it, a body that validates against the
//! documented schema for that status, and the headers it documents as
//! required. A request the Worker accepted must also be one the document
//! allows: its parameters, its body and the credentials its security asks for
//! (with the least role). `cargo test -p helpline-tests --test it openapi::queue`
//! runs one area alone.

mod cases;
mod checker;
mod document;
mod incidents;
mod knowledge;
mod links;
mod queue;
mod reports;
mod specialists;

/// The document's areas (an operation's first tag) the scenarios cover.
const AREAS: [&str; 10] = [
    "health",
    "reporter",
    "cases",
    "queue",
    "specialists",
    "links",
    "sop",
    "incidents",
    "reports",
    "notifications",
];
