//! A draft: what the user has written and chosen so far, kept in the
//! browser's localStorage per user and platform so a reload, a crash or a
//! closed tab loses nothing. Its idempotency key is chosen once, so every send
//! of this draft (and every retry from the outbox) is the same case.

use serde::{Deserialize, Serialize};

use crate::priority::{suggest_choices, Impact, Urgency};

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

/// A text the user fills in on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftField {
    Description,
    Category,
    Impact,
    Urgency,
}

impl Draft {
    /// The text of one field, as a form control shows it.
    pub fn field(&self, field: DraftField) -> &str {
        match field {
            DraftField::Description => &self.description,
            DraftField::Category => &self.category,
            DraftField::Impact => &self.impact,
            DraftField::Urgency => &self.urgency,
        }
    }

    /// Keeps what the user put in one field.
    pub fn set_field(&mut self, field: DraftField, value: String) {
        *match field {
            DraftField::Description => &mut self.description,
            DraftField::Category => &mut self.category,
            DraftField::Impact => &mut self.impact,
            DraftField::Urgency => &mut self.urgency,
        } = value;
    }

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

    /// Who is affected: what the user chose, else what their description
    /// suggests ("our whole team" → team), so the choice shows it before
    /// sending and the user can change it.
    pub fn impact(&self) -> Option<Impact> {
        Impact::parse(&self.impact).or_else(|| suggest_choices(&self.description).impact)
    }

    /// How much it holds them up: chosen, else suggested ("blocked").
    pub fn urgency(&self) -> Option<Urgency> {
        Urgency::parse(&self.urgency).or_else(|| suggest_choices(&self.description).urgency)
    }

    /// What a form control shows for `field`: impact and urgency as
    /// [`Draft::impact`] and [`Draft::urgency`] read them, the rest as kept.
    pub fn shown(&self, field: DraftField) -> String {
        match field {
            DraftField::Impact => self.impact().map(Impact::as_str),
            DraftField::Urgency => self.urgency().map(Urgency::as_str),
            _ => None,
        }
        .map_or_else(|| self.field(field).to_owned(), str::to_owned)
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

    #[test]
    fn unchosen_impact_and_urgency_show_what_the_description_suggests() {
        let mut draft = Draft::new("k".into());
        draft.set_field(
            DraftField::Description,
            "Export fails since this morning, our whole team is blocked".into(),
        );
        assert_eq!(draft.shown(DraftField::Impact), "team");
        assert_eq!(draft.shown(DraftField::Urgency), "blocked");
        assert_eq!(
            (draft.impact(), draft.urgency()),
            (Some(Impact::Team), Some(Urgency::Blocked)),
            "what is shown is what is sent"
        );
        // The user's own choice stands over the text's.
        draft.set_field(DraftField::Impact, "individual".into());
        assert_eq!(draft.shown(DraftField::Impact), "individual");
        assert_eq!(draft.shown(DraftField::Description), draft.description);
    }

    #[test]
    fn each_field_reads_back_what_was_set_and_touches_no_other() {
        let mut draft = Draft::new("k".into());
        let fields = [
            DraftField::Description,
            DraftField::Category,
            DraftField::Impact,
            DraftField::Urgency,
        ];
        for (i, field) in fields.into_iter().enumerate() {
            draft.set_field(field, format!("v{i}"));
        }
        for (i, field) in fields.into_iter().enumerate() {
            assert_eq!(draft.field(field), format!("v{i}"));
        }
        assert_eq!(draft.impact, "v2");
        assert_eq!(draft.idempotency_key, "k");
    }
}
