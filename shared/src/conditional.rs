//! Conditional requests: whether a client's cached copy is still current, so
//! the Worker can answer 304 without building the answer (or, for an answer
//! that is cheap to build and often the same, without sending it).

use sha2::{Digest, Sha256};

/// A strong tag for an answer's exact bytes: the first 64 bits of their
/// SHA-256, which no two answers one client compares will share by chance.
pub fn content_etag(body: &[u8]) -> String {
    format!("\"{}\"", hex::encode(&Sha256::digest(body)[..8]))
}

/// Whether an `If-None-Match` header names `etag`: a list of tags, weak (`W/`)
/// or strong, or `*`. The comparison is weak, as RFC 9110 asks for this
/// header, so a proxy that weakens the tag does not defeat the cache.
pub fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .any(|tag| !tag.trim().is_empty() && bare(tag) == bare(etag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_listed_and_wildcard_tags_match() {
        let etag = "\"sop-3-7-99\"";
        assert!(etag_matches("\"sop-3-7-99\"", etag));
        assert!(etag_matches("W/\"sop-3-7-99\"", etag));
        assert!(etag_matches("\"old\", W/\"sop-3-7-99\"", etag));
        assert!(etag_matches("*", etag));
    }

    #[test]
    fn the_same_bytes_have_the_same_tag_and_others_another() {
        let tag = content_etag(b"{\"cases\":[]}");
        assert_eq!(tag.len(), 18);
        assert_eq!(tag, content_etag(b"{\"cases\":[]}"));
        assert_ne!(tag, content_etag(b"{\"cases\":[1]}"));
        assert!(etag_matches(&format!("W/{tag}"), &tag));
    }

    #[test]
    fn other_or_empty_tags_do_not() {
        let etag = "\"sop-3-7-99\"";
        assert!(!etag_matches("\"sop-3-7-98\"", etag));
        assert!(!etag_matches("", etag));
        assert!(!etag_matches(" , ", etag));
    }
}
