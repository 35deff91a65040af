//! Specialist credentials. Tokens are random secrets shown once; only their
//! SHA-256 digest is stored, so a copy of the database grants nothing.

use sha2::{Digest, Sha256};

/// The digest stored for a bearer token, as lowercase hex.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token from an `Authorization: Bearer …` header value, if it is one.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_digest_is_sha256_hex() {
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn bearer_token_accepts_only_the_bearer_scheme() {
        assert_eq!(bearer_token("Bearer t0k"), Some("t0k"));
        assert_eq!(bearer_token("bearer  t0k "), Some("t0k"));
        assert_eq!(bearer_token("Basic t0k"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("t0k"), None);
    }
}

/// A token as handed to a specialist once: a prefix that secret scanners can
/// recognise, then 24 random bytes in hex.
pub fn format_token(random: &[u8; 24]) -> String {
    format!("hl_{}", hex::encode(random))
}

#[cfg(test)]
mod token_tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_hex_of_the_random_bytes() {
        let token = format_token(&[0xab; 24]);
        assert_eq!(token.len(), 3 + 48);
        assert!(token.starts_with("hl_abab"));
    }
}
