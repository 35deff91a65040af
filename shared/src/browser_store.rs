//! What the widget keeps in the browser (localStorage) and under which key:
//! one key per kind of state, platform and user, so people sharing a browser,
//! and platforms sharing an origin, never see each other's.

/// A kind of state the widget keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The request being written (`draft`).
    Draft,
    /// Cases sent but not yet taken by the Worker (`outbox`).
    Outbox,
    /// When each of "My cases" was last looked at (`seen`).
    Seen,
}

impl Kept {
    fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Outbox => "outbox",
            Self::Seen => "seen",
        }
    }
}

/// The localStorage key of `kept` for `user_id` on `platform`.
pub fn key(kept: Kept, platform: &str, user_id: &str) -> String {
    format!("helpline:{}:{platform}:{user_id}", kept.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_kinds_users_and_platforms() {
        assert_eq!(key(Kept::Draft, "crm", "u-1"), "helpline:draft:crm:u-1");
        assert_eq!(key(Kept::Outbox, "crm", "u-1"), "helpline:outbox:crm:u-1");
        assert_eq!(key(Kept::Seen, "crm", "u-1"), "helpline:seen:crm:u-1");
        assert_ne!(
            key(Kept::Draft, "crm", "u-1"),
            key(Kept::Draft, "crm", "u-2")
        );
        assert_ne!(
            key(Kept::Draft, "crm", "u-1"),
            key(Kept::Draft, "ads", "u-1")
        );
    }
}
