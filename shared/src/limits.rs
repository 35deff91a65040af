//! Every size limit on what a user or a specialist sends, in one place. Lengths
//! are counted in Unicode scalar values (what a person sees as characters), never
//! in bytes, so a Chinese description gets the same room as an English one.

/// A case title: one line a specialist scans in the queue.
pub const TITLE_MAX_CHARS: usize = 140;
/// A case description: room for steps to reproduce and pasted error text.
pub const DESCRIPTION_MAX_CHARS: usize = 8_000;
/// A platform slug such as `ads-console`.
pub const PLATFORM_MAX_CHARS: usize = 64;
/// A reporter's id, name or email as the host platform supplies them.
pub const REPORTER_FIELD_MAX_CHARS: usize = 200;
/// Any request body the API accepts; larger is answered 413 before parsing.
pub const REQUEST_BODY_MAX_BYTES: usize = 64 * 1024;
