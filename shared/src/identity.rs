//! Reporter identity, the way Intercom's and Zendesk's identity verification
//! work: the host platform's server vouches for its user with a secret it
//! shares with Helpline. Best, a signed token (a JWT, HS256) with the user's
//! id, name and email and an expiry — then every part of the identity shown
//! to the team is verified; or, for hosts that predate it, the HMAC-SHA256 of
//! the id alone (hex), and the name and email the widget sends are shown as
//! unverified.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::limits::REPORTER_FIELD_MAX_CHARS;

type HmacSha256 = Hmac<Sha256>;

/// What a host's identity token says of its user (`sub` is the user id;
/// `exp` is in seconds since the epoch, as JWTs have it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReporterClaims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub exp: i64,
}

/// Why an identity token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the identity token is not a JWT signed with HS256 by the identity secret")]
    BadSignature,
    #[error("the identity token has expired")]
    Expired,
    #[error("the identity token names no user (or one longer than a user id may be)")]
    NoSubject,
}

/// The claims of `token` if `secret` signed it (HS256 only) and it has not
/// expired at `now_ms`. An empty secret verifies nothing.
pub fn verify_token(secret: &str, token: &str, now_ms: i64) -> Result<ReporterClaims, TokenError> {
    use jwt::VerifyWithKey;
    if secret.is_empty() {
        return Err(TokenError::BadSignature);
    }
    let key =
        HmacSha256::new_from_slice(secret.as_bytes()).map_err(|_| TokenError::BadSignature)?;
    // The crate checks that the header's algorithm is the key's (HS256), so a
    // token with `alg: none` or another algorithm never verifies.
    let mut claims: ReporterClaims = token
        .trim()
        .verify_with_key(&key)
        .map_err(|_| TokenError::BadSignature)?;
    // The id as every other path reads one: trimmed, within the reporter
    // field's length.
    claims.sub = claims.sub.trim().to_owned();
    if claims.sub.is_empty() || claims.sub.chars().count() > REPORTER_FIELD_MAX_CHARS {
        return Err(TokenError::NoSubject);
    }
    if claims.exp.saturating_mul(1000) <= now_ms {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// An identity token for `claims`, signed with `secret` (what a host's server
/// does; the tests and the demo use it).
pub fn sign_token(secret: &str, claims: &ReporterClaims) -> String {
    use jwt::SignWithKey;
    let key = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
    claims.sign_with_key(&key).expect("claims serialize")
}

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

/// What a request says of its reporter: the `X-Helpline-User` id, its
/// `X-Helpline-User-Hash`, the `X-Helpline-Token`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Vouching<'a> {
    pub user: Option<&'a str>,
    pub user_hash: Option<&'a str>,
    pub token: Option<&'a str>,
}

/// How the Worker checks reporters: its secret, and whether unsigned ids are
/// taken (the local demo only).
#[derive(Debug, Clone, Copy)]
pub struct IdentityCheck<'a> {
    pub secret: &'a str,
    pub demo_unsigned_users: bool,
}

/// A reporter whose id was verified, with what a token said of them (`None`
/// when only the id was signed, so name and email are as the widget sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReporterIdentity {
    pub id: String,
    pub claims: Option<ReporterClaims>,
}

/// The reporter `vouching` proves, or `None`: a valid token wins (and a user
/// id beside it must be the token's); else an id with its valid HMAC; else,
/// only for the demo, a bare id. An id longer than a reporter field is none.
pub fn identify(vouching: Vouching, check: IdentityCheck, now_ms: i64) -> Option<ReporterIdentity> {
    let id = vouching
        .user
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.chars().count() <= REPORTER_FIELD_MAX_CHARS);
    if let Some(token) = vouching.token {
        let claims = verify_token(check.secret, token, now_ms).ok()?;
        if id.is_some_and(|id| id != claims.sub) {
            return None;
        }
        return Some(ReporterIdentity {
            id: claims.sub.clone(),
            claims: Some(claims),
        });
    }
    let id = id?;
    let verified = match vouching.user_hash {
        Some(hash) => verify(check.secret, id, hash),
        None => check.demo_unsigned_users,
    };
    verified.then(|| ReporterIdentity {
        id: id.to_owned(),
        claims: None,
    })
}

/// Compares two secrets without revealing through timing where they differ.
pub fn secrets_match(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW_MS: i64 = 1_795_600_000_000;

    fn claims(exp_s: i64) -> ReporterClaims {
        ReporterClaims {
            sub: "u-1001".into(),
            name: Some("Dana Wu".into()),
            email: Some("dana.wu@example.com".into()),
            exp: exp_s,
        }
    }

    #[test]
    fn a_token_the_secret_signed_gives_its_claims_until_it_expires() {
        let token = sign_token("s3cret", &claims(NOW_MS / 1000 + 600));
        assert_eq!(
            verify_token("s3cret", &token, NOW_MS),
            Ok(claims(NOW_MS / 1000 + 600))
        );
        assert_eq!(
            verify_token("s3cret", &token, NOW_MS + 601_000),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_signed_otherwise_or_tampered_with_is_refused() {
        let token = sign_token("other", &claims(NOW_MS / 1000 + 600));
        assert_eq!(
            verify_token("s3cret", &token, NOW_MS),
            Err(TokenError::BadSignature)
        );
        let good = sign_token("s3cret", &claims(NOW_MS / 1000 + 600));
        let forged_claims = sign_token(
            "x",
            &ReporterClaims {
                name: Some("The CEO".into()),
                ..claims(NOW_MS / 1000 + 600)
            },
        );
        // The signed header and signature of one, the claims of another.
        let parts: Vec<&str> = good.split('.').collect();
        let other: Vec<&str> = forged_claims.split('.').collect();
        let spliced = format!("{}.{}.{}", parts[0], other[1], parts[2]);
        assert_eq!(
            verify_token("s3cret", &spliced, NOW_MS),
            Err(TokenError::BadSignature)
        );
        // alg "none", no signature.
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
        assert_eq!(
            verify_token("s3cret", &none, NOW_MS),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify_token("", &good, NOW_MS),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify_token("s3cret", "not a token", NOW_MS),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn a_tokens_user_id_is_read_as_every_user_id_is() {
        let padded = sign_token(
            "s3cret",
            &ReporterClaims {
                sub: "  u-1001 ".into(),
                ..claims(NOW_MS / 1000 + 600)
            },
        );
        assert_eq!(
            verify_token("s3cret", &padded, NOW_MS).unwrap().sub,
            "u-1001"
        );
        let endless = sign_token(
            "s3cret",
            &ReporterClaims {
                sub: "u".repeat(1_000),
                ..claims(NOW_MS / 1000 + 600)
            },
        );
        assert_eq!(
            verify_token("s3cret", &endless, NOW_MS),
            Err(TokenError::NoSubject)
        );
    }

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

    fn check(demo: bool) -> IdentityCheck<'static> {
        IdentityCheck {
            secret: "s3cret",
            demo_unsigned_users: demo,
        }
    }

    #[test]
    fn a_token_names_the_reporter_and_an_id_beside_it_must_agree() {
        let token = sign_token("s3cret", &claims(NOW_MS / 1000 + 600));
        let by_token = Vouching {
            token: Some(&token),
            ..Vouching::default()
        };
        let found = identify(by_token, check(false), NOW_MS).unwrap();
        assert_eq!(found.id, "u-1001");
        assert_eq!(found.claims.unwrap().name.as_deref(), Some("Dana Wu"));
        let same = Vouching {
            user: Some(" u-1001 "),
            ..by_token
        };
        assert!(identify(same, check(false), NOW_MS).is_some());
        let other = Vouching {
            user: Some("u-2002"),
            ..by_token
        };
        assert_eq!(identify(other, check(false), NOW_MS), None);
        assert_eq!(
            identify(by_token, check(false), NOW_MS + 601_000),
            None,
            "expired"
        );
    }

    #[test]
    fn an_id_needs_its_signature_except_in_the_demo() {
        let hash = sign("s3cret", "u-1001");
        let signed = Vouching {
            user: Some("u-1001"),
            user_hash: Some(&hash),
            token: None,
        };
        let found = identify(signed, check(false), NOW_MS).unwrap();
        assert_eq!((found.id.as_str(), found.claims), ("u-1001", None));
        let forged = Vouching {
            user: Some("u-2002"),
            ..signed
        };
        assert_eq!(
            identify(forged, check(true), NOW_MS),
            None,
            "a wrong hash is wrong even in the demo"
        );
        let bare = Vouching {
            user: Some("u-1001"),
            ..Vouching::default()
        };
        assert_eq!(identify(bare, check(false), NOW_MS), None);
        assert!(identify(bare, check(true), NOW_MS).is_some());
        let long = "u".repeat(REPORTER_FIELD_MAX_CHARS + 1);
        let too_long = Vouching {
            user: Some(&long),
            ..Vouching::default()
        };
        assert_eq!(identify(too_long, check(true), NOW_MS), None);
        assert_eq!(identify(Vouching::default(), check(true), NOW_MS), None);
    }
}
