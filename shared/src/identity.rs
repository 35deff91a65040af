//! Reporter identity, the way Intercom's identity verification works: the host
//! platform's server signs the user id with a secret it shares with Helpline
//! (HMAC-SHA256, hex), and Helpline accepts the id only with a valid signature.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The signature a host computes for `user_id`, as lowercase hex.
pub fn sign(secret: &str, user_id: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(user_id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `signature` (hex) is `user_id` signed with `secret`, compared in
/// constant time. An empty secret verifies nothing.
pub fn verify(secret: &str, user_id: &str, signature: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(given) = hex::decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(user_id.as_bytes());
    mac.verify_slice(&given).is_ok()
}

/// Compares two secrets without revealing through timing where they differ.
pub fn secrets_match(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matches_the_hmac_sha256_test_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn only_the_right_signature_verifies() {
        let sig = sign("s3cret", "u-1001");
        assert!(verify("s3cret", "u-1001", &sig));
        assert!(!verify("s3cret", "u-1002", &sig));
        assert!(!verify("other", "u-1001", &sig));
        assert!(!verify("s3cret", "u-1001", "zz"));
        assert!(!verify("", "u-1001", &sign("", "u-1001")));
    }

    #[test]
    fn secrets_match_exactly() {
        assert!(secrets_match("abc", "abc"));
        assert!(!secrets_match("abc", "abd"));
        assert!(!secrets_match("", ""));
    }
}
