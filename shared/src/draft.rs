//! A draft: what the user has written and chosen so far, kept in the
//! browser's localStorage per user and platform so a reload, a crash or a
//! closed tab loses nothing. Its idempotency key is chosen once, so every send
//! of this draft (and every retry from the outbox) is the same case.

use serde::{Deserialize, Serialize};

use crate::priority::{Impact, Urgency};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub description: String,
    /// A category slug, empty for "not sure".
    pub category: String,
    /// Wire names (`team`, `blocked`), empty when not chosen; kept as text so
    /// a form field binds to them as they are.
    pub impact: String,
    pub urgency: String,
    pub idempotency_key: String,
}

impl Draft {
    /// A new, empty draft with its own key.
    pub fn new(idempotency_key: String) -> Draft {
        Draft {
            idempotency_key,
            ..Draft::default()
        }
    }

    /// Whether there is anything in it worth keeping.
    pub fn is_blank(&self) -> bool {
        self.description.trim().is_empty()
    }

    /// The category to send: none for "not sure".
    pub fn category(&self) -> Option<String> {
        Some(self.category.trim().to_string()).filter(|c| !c.is_empty())
    }

    pub fn impact(&self) -> Option<Impact> {
        Impact::parse(&self.impact)
    }

    pub fn urgency(&self) -> Option<Urgency> {
        Urgency::parse(&self.urgency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_reads_back_what_was_kept_even_from_an_older_shape() {
        let draft = Draft {
            description: "Export fails".into(),
            category: "data".into(),
            impact: "team".into(),
            urgency: String::new(),
            idempotency_key: "k1".into(),
        };
        assert_eq!(draft.impact(), Some(Impact::Team));
        assert_eq!(draft.urgency(), None);
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
        let older: Draft = serde_json::from_str(r#"{"description":"hi"}"#).unwrap();
        assert_eq!(older.description, "hi");
        assert_eq!(older.category(), None);
        assert_eq!(older.urgency(), None::<Urgency>);
        assert!(Draft::new("k".into()).is_blank());
    }
}
