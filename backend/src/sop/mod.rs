//! The SOP knowledge base: articles maintained by specialists (versioned,
//! published by leads), the search index the widget downloads, server-side
//! search, and the record of what self-serve answers did for users.

pub mod api;
mod store;
