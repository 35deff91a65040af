//! The audit trail's vocabulary: every change to a case appends one event, and
//! each kind says whether the reporter may see it.

use serde::{Deserialize, Serialize};

/// Events one read of a case's timeline returns: the newest this many, and a
/// cursor to the page before, so a flooded case reads in bounded time.
pub const TIMELINE_PAGE_EVENTS: usize = 100;

/// The newest [`TIMELINE_PAGE_EVENTS`] of `oldest_first` (which a read
/// fetched with one more, to know whether older ones exist), still oldest
/// first, and the cursor to the page before them (`?events_before=`): the id
/// of the oldest event kept, when older ones remain.
pub fn timeline_page<T>(mut oldest_first: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
    if oldest_first.len() <= TIMELINE_PAGE_EVENTS {
        return (oldest_first, None);
    }
    let drop = oldest_first.len() - TIMELINE_PAGE_EVENTS;
    oldest_first.drain(..drop);
    let cursor = oldest_first.first().map(id);
    (oldest_first, cursor)
}

/// Kinds of timeline entries. A reporter sees only `created`, `replied`, `reporter_message`,
/// `status_changed`, `reopened` and `feedback`; the rest stay with the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseEventKind {
    Created,
    Claimed,
    Released,
    /// Handed to a colleague (by the holder or a lead), with a note.
    Assigned,
    /// A specialist's public reply.
    Replied,
    /// A specialist's internal note.
    Noted,
    /// The reporter wrote.
    ReporterMessage,
    StatusChanged,
    Escalated,
    LeaseExpired,
    SlaWarning,
    SlaBreached,
    Reopened,
    Feedback,
}

impl CaseEventKind {
    pub const ALL: [CaseEventKind; 14] = [
        Self::Created,
        Self::Claimed,
        Self::Released,
        Self::Assigned,
        Self::Replied,
        Self::Noted,
        Self::ReporterMessage,
        Self::StatusChanged,
        Self::Escalated,
        Self::LeaseExpired,
        Self::SlaWarning,
        Self::SlaBreached,
        Self::Reopened,
        Self::Feedback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Claimed => "claimed",
            Self::Released => "released",
            Self::Assigned => "assigned",
            Self::Replied => "replied",
            Self::Noted => "noted",
            Self::ReporterMessage => "reporter_message",
            Self::StatusChanged => "status_changed",
            Self::Escalated => "escalated",
            Self::LeaseExpired => "lease_expired",
            Self::SlaWarning => "sla_warning",
            Self::SlaBreached => "sla_breached",
            Self::Reopened => "reopened",
            Self::Feedback => "feedback",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Whether the reporter sees this event in their timeline. Internal notes,
    /// escalation details, claims and SLA bookkeeping stay with the team.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Self::Created
                | Self::Replied
                | Self::ReporterMessage
                | Self::StatusChanged
                | Self::Reopened
                | Self::Feedback
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_notes_are_never_public() {
        assert!(!CaseEventKind::Noted.is_public());
        assert!(!CaseEventKind::Escalated.is_public());
        assert!(CaseEventKind::Replied.is_public());
    }

    #[test]
    fn kinds_parse_their_own_names() {
        for kind in CaseEventKind::ALL {
            assert_eq!(CaseEventKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn a_long_timeline_reads_as_its_newest_page_with_a_cursor_to_the_one_before() {
        let read: Vec<i64> = (1..=(TIMELINE_PAGE_EVENTS as i64 + 1)).collect();
        let (page, before) = timeline_page(read, |id| *id);
        assert_eq!(page.len(), TIMELINE_PAGE_EVENTS);
        assert_eq!(
            page.first(),
            Some(&2),
            "the oldest one waits for the next page"
        );
        assert_eq!(before, Some(2));
        let (short, none) = timeline_page(vec![1, 2, 3], |id| *id);
        assert_eq!((short, none), (vec![1, 2, 3], None));
    }
}
