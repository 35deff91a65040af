//! The end of a shift: what a request to hand everything over may ask, and
//! the one message the team channel gets for it — who handed what to whom and
//! what went back to the queue — instead of one message per case. (Each case
//! itself goes by the same rules as one handover or release: `change`.)

use std::collections::BTreeSet;

use crate::api::EndShiftRequest;
use crate::limits::{MESSAGE_MAX_CHARS, SHIFT_CASES_MAX};
use crate::notify::{Notification, NotificationKind};
use crate::text;
use crate::ValidationError;

/// The most cases the channel message names of each kind; the rest are counted.
pub const NAMED_IN_MESSAGE_MAX: usize = 20;
/// The most of the note the channel message quotes (the cases keep all of it).
pub const NOTE_IN_MESSAGE_MAX_CHARS: usize = 300;

/// Refuses an end of shift that names no case, too many, or one twice, or
/// whose note no handover would take: before any case moves.
pub fn check(request: &EndShiftRequest) -> Result<(), ValidationError> {
    text::optional("note", request.note.as_deref(), MESSAGE_MAX_CHARS)?;
    if request.cases.is_empty() {
        return Err(ValidationError::Required { field: "cases" });
    }
    if request.cases.len() > SHIFT_CASES_MAX {
        return Err(ValidationError::TooMany {
            field: "cases",
            max: SHIFT_CASES_MAX,
        });
    }
    let mut seen = BTreeSet::new();
    if !request.cases.iter().all(|c| seen.insert(c.case_id)) {
        return Err(ValidationError::Invalid {
            field: "cases",
            reason: "name each case once",
        });
    }
    Ok(())
}

/// What a shift's end did, as the channel hears it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ShiftSummary {
    /// (case ref, colleague's name), in the order handed over.
    pub handed: Vec<(String, String)>,
    /// Refs of the cases released to the queue.
    pub released: Vec<String>,
}

impl ShiftSummary {
    /// The one message for the team channel, or none when nothing moved:
    /// `[Shift ended] Ana handed over HL-1001 to Ben and HL-1002 to Kim;
    /// released HL-1003 to the queue. Note: …`.
    pub fn notification(&self, by: &str, note: Option<&str>, at: String) -> Option<Notification> {
        if self.handed.is_empty() && self.released.is_empty() {
            return None;
        }
        let handed = named(
            self.handed
                .iter()
                .map(|(case, to)| format!("{case} to {}", text::clean(to, false))),
        );
        let released = named(self.released.iter().cloned());
        let did = match (handed.is_empty(), released.is_empty()) {
            (false, false) => format!("handed over {handed}; released {released} to the queue"),
            (false, true) => format!("handed over {handed}"),
            _ => format!("released {released} to the queue"),
        };
        let kind = NotificationKind::ShiftEnded;
        let mut message = format!("[{}] {} {did}.", kind.label(), text::clean(by, false));
        let note = note.map(|n| text::clean(n, false)).unwrap_or_default();
        if !note.is_empty() {
            let quoted: String = note.chars().take(NOTE_IN_MESSAGE_MAX_CHARS).collect();
            let cut = if quoted.len() < note.len() { "…" } else { "" };
            message.push_str(&format!(" Note: {quoted}{cut}"));
        }
        Some(Notification {
            kind,
            text: message,
            mentions: vec![],
            case: None,
            incident_id: None,
            at,
        })
    }
}

/// `a, b and c`, naming at most [`NAMED_IN_MESSAGE_MAX`] and counting the rest.
fn named(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let mut shown: Vec<String> = items.iter().take(NAMED_IN_MESSAGE_MAX).cloned().collect();
    if items.len() > NAMED_IN_MESSAGE_MAX {
        shown.push(format!("{} more", items.len() - NAMED_IN_MESSAGE_MAX));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ShiftCase;

    fn request(ids: &[i64]) -> EndShiftRequest {
        EndShiftRequest {
            cases: ids
                .iter()
                .map(|&case_id| ShiftCase { case_id, to: None })
                .collect(),
            note: None,
        }
    }

    #[test]
    fn a_shift_names_some_cases_each_once_and_not_too_many() {
        assert!(check(&request(&[1, 2])).is_ok());
        let field = |ids: &[i64]| check(&request(ids)).unwrap_err().field();
        assert_eq!(field(&[]), "cases");
        assert_eq!(field(&[1, 2, 1]), "cases");
        let many: Vec<i64> = (1..=SHIFT_CASES_MAX as i64 + 1).collect();
        assert_eq!(field(&many), "cases");
        let mut long_note = request(&[1]);
        long_note.note = Some("x".repeat(MESSAGE_MAX_CHARS + 1));
        assert_eq!(check(&long_note).unwrap_err().field(), "note");
    }

    #[test]
    fn the_channel_hears_who_handed_what_to_whom_in_one_message() {
        let summary = ShiftSummary {
            handed: vec![
                ("HL-1001".into(), "Ben".into()),
                ("HL-1002".into(), "Kim".into()),
            ],
            released: vec!["HL-1003".into()],
        };
        let told = summary
            .notification("Ana", Some("P1 waits on\nthe vendor"), "t".into())
            .unwrap();
        assert_eq!(told.kind, NotificationKind::ShiftEnded);
        assert_eq!(
            told.text,
            "[Shift ended] Ana handed over HL-1001 to Ben and HL-1002 to Kim; released \
             HL-1003 to the queue. Note: P1 waits on the vendor"
        );
        let released_only = ShiftSummary {
            released: vec!["HL-1003".into()],
            ..ShiftSummary::default()
        };
        assert_eq!(
            released_only
                .notification("Ana", None, "t".into())
                .unwrap()
                .text,
            "[Shift ended] Ana released HL-1003 to the queue."
        );
        assert_eq!(
            ShiftSummary::default().notification("Ana", None, "t".into()),
            None
        );
    }

    #[test]
    fn a_long_shift_is_counted_past_twenty_and_a_long_note_is_cut() {
        let summary = ShiftSummary {
            released: (0..25).map(|n| format!("HL-{n}")).collect(),
            ..ShiftSummary::default()
        };
        let note = "x".repeat(1_000);
        let text = summary
            .notification("Ana", Some(&note), "t".into())
            .unwrap()
            .text;
        assert!(text.contains("HL-19 and 5 more to the queue"), "{text}");
        assert!(!text.contains("HL-20"));
        assert!(text.ends_with(&format!("{}…", "x".repeat(NOTE_IN_MESSAGE_MAX_CHARS))));
    }
}
