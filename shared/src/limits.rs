//! Every size limit on what a user or a specialist sends, in one place. Lengths
//! are counted in Unicode scalar values (what a person sees as characters), never
//! in bytes, so a Chinese description gets the same room as an English one.

/// A case title: one line a specialist scans in the queue.
pub const TITLE_MAX_CHARS: usize = 140;
/// A case description: room for steps to reproduce and pasted error text.
pub const DESCRIPTION_MAX_CHARS: usize = 8_000;
/// A message, reply or internal note on a case.
pub const MESSAGE_MAX_CHARS: usize = 8_000;
/// The cases one end-of-shift request hands over or releases: each is some
/// eight D1 statements, and a Worker invocation has a thousand. A console
/// with more sends them in requests of this size.
pub const SHIFT_CASES_MAX: usize = 50;
/// A CSAT comment.
pub const FEEDBACK_COMMENT_MAX_CHARS: usize = 2_000;
/// A platform slug such as `ads-console`, or a category slug.
pub const PLATFORM_MAX_CHARS: usize = 64;
/// A reporter's id, name or email as the host platform supplies them.
pub const REPORTER_FIELD_MAX_CHARS: usize = 200;
/// An escalation team name or a specialist's name.
pub const NAME_MAX_CHARS: usize = 100;
/// An escalation reason.
pub const REASON_MAX_CHARS: usize = 2_000;
/// The captured context, serialized.
pub const CONTEXT_MAX_BYTES: usize = 16 * 1024;
/// Host-supplied attributes: how many, and how long each key and value.
pub const MAX_ATTRIBUTES: usize = 30;
pub const ATTRIBUTE_KEY_MAX_CHARS: usize = 64;
pub const ATTRIBUTE_VALUE_MAX_CHARS: usize = 500;
/// Recent page errors and failed requests the loader keeps.
pub const MAX_RECENT_ERRORS: usize = 20;
pub const MAX_FAILED_REQUESTS: usize = 20;
/// One error message in the context.
pub const CONTEXT_TEXT_MAX_CHARS: usize = 1_000;
/// Any URL in the context.
pub const URL_MAX_CHARS: usize = 2_048;
/// An Idempotency-Key header.
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 100;
/// Any request body the API accepts; larger is answered 413 before parsing.
pub const REQUEST_BODY_MAX_BYTES: usize = 64 * 1024;
/// Cases in one page of the queue or of "my cases".
pub const PAGE_SIZE_MAX: usize = 100;
/// Cases per queue page when the caller does not say.
pub const PAGE_SIZE_DEFAULT: usize = 50;
/// Items in one list-valued query filter (`status=a,b,…`), counted before
/// duplicates fold, so no request can bind more parameters than this.
pub const FILTER_LIST_MAX_ITEMS: usize = 12;
/// An SOP article's Markdown body.
pub const SOP_BODY_MAX_CHARS: usize = 50_000;
/// Tags or platforms on one SOP article.
pub const SOP_MAX_LIST_ITEMS: usize = 20;
/// One SOP tag.
pub const SOP_TAG_MAX_CHARS: usize = 40;
/// A search query or a deflection's query.
pub const QUERY_MAX_CHARS: usize = 500;
/// Answers the reporter tried before sending a case that the case shows the
/// team, and how far back before the case they are looked for.
pub const TRIED_ANSWERS_MAX: usize = 20;
pub const TRIED_ANSWERS_WINDOW_MS: i64 = 60 * 60_000;
/// How deep a case search pages: past the first thousand results a person
/// narrows the words rather than reading on.
pub const SEARCH_RESULTS_MAX: usize = 1_000;
/// Troubleshooting link templates kept in all (`troubleshooting`).
pub const LINK_TEMPLATES_MAX: usize = 50;
