//! The case lifecycle as one state machine: which action moves a case from
//! which status to which, and who may take it. Anything not listed here is
//! refused (the API answers 409).
//!
//! queued → in_progress (claimed) → waiting_on_user ⇄ in_progress → escalated →
//! in_progress → resolved → closed; a reporter's message reopens a resolved case.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// queued → in_progress (claimed) → waiting_on_user ⇄ in_progress → escalated → in_progress →
/// resolved → closed; a reporter's message reopens a resolved case (back to queued). `queued`,
/// `in_progress`, `waiting_on_user` and `escalated` are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Queued,
    InProgress,
    WaitingOnUser,
    Escalated,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        Self::Queued,
        Self::InProgress,
        Self::WaitingOnUser,
        Self::Escalated,
        Self::Resolved,
        Self::Closed,
    ];

    /// The value stored in D1 and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::InProgress => "in_progress",
            Self::WaitingOnUser => "waiting_on_user",
            Self::Escalated => "escalated",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether someone still owes the reporter an answer.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// Whether a specialist holds the case.
    pub fn is_held(self) -> bool {
        matches!(
            self,
            Self::InProgress | Self::WaitingOnUser | Self::Escalated
        )
    }
}

/// Something that changes a case's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// A specialist takes the most urgent queued case.
    Claim,
    /// The holder gives the case back to the queue.
    Release,
    /// The holder hands the case to another team or level.
    Escalate,
    /// The holder (or a lead) hands the case to a colleague.
    Assign,
    /// A specialist moves the case to a status (waiting, resolved, closed…).
    SetStatus(CaseStatus),
    /// The reporter writes a message.
    ReporterMessage,
    /// The reporter rates a resolved case, which confirms and closes it.
    Feedback,
    /// Nobody renewed the claim in time; the case goes back to the queue.
    LeaseExpired,
}

impl CaseAction {
    pub fn name(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Release => "release",
            Self::Escalate => "escalate",
            Self::Assign => "assign",
            Self::SetStatus(_) => "set_status",
            Self::ReporterMessage => "reporter_message",
            Self::Feedback => "feedback",
            Self::LeaseExpired => "lease_expired",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("a case that is {} cannot take the action '{}'{}", from.as_str(), action.name(), target_text(*action))]
    NotAllowed {
        from: CaseStatus,
        action: CaseAction,
    },
}

fn target_text(action: CaseAction) -> String {
    match action {
        CaseAction::SetStatus(to) => format!(" to {}", to.as_str()),
        _ => String::new(),
    }
}

/// The status after `action`, or why the action is not allowed from `from`.
pub fn next_status(from: CaseStatus, action: CaseAction) -> Result<CaseStatus, TransitionError> {
    use CaseAction as A;
    use CaseStatus as S;
    let to = match (from, action) {
        (S::Queued, A::Claim | A::Assign) => Some(S::InProgress),
        // A handover changes who works the case, not where it stands.
        (S::InProgress | S::WaitingOnUser | S::Escalated, A::Assign) => Some(from),
        (S::InProgress, A::Release | A::LeaseExpired) => Some(S::Queued),
        (S::InProgress | S::WaitingOnUser | S::Escalated, A::Escalate) => Some(S::Escalated),
        (S::InProgress, A::SetStatus(to @ (S::WaitingOnUser | S::Resolved))) => Some(to),
        (S::WaitingOnUser, A::SetStatus(to @ (S::InProgress | S::Resolved))) => Some(to),
        (S::Escalated, A::SetStatus(to @ (S::InProgress | S::WaitingOnUser | S::Resolved))) => {
            Some(to)
        }
        (S::Resolved, A::SetStatus(to @ (S::InProgress | S::Closed))) => Some(to),
        // The reporter answered: the case is back with the specialist.
        (S::WaitingOnUser, A::ReporterMessage) => Some(S::InProgress),
        // A reply to a resolved case means it was not: back to the queue.
        (S::Resolved, A::ReporterMessage) => Some(S::Queued),
        (S::Queued | S::InProgress | S::Escalated, A::ReporterMessage) => Some(from),
        (S::Resolved, A::Feedback) => Some(S::Closed),
        _ => None,
    };
    to.ok_or(TransitionError::NotAllowed { from, action })
}

/// A specialist's role; each includes the powers of the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Specialist,
    Lead,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Specialist, Role::Lead, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Specialist => "specialist",
            Self::Lead => "lead",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// Whether a specialist may work on (reply to, change, release, escalate) a
/// case: its holder may, and so may a lead or an admin, who cover for others.
pub fn may_work_on(role: Role, is_holder: bool) -> bool {
    is_holder || role >= Role::Lead
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_of_the_design_is_allowed() {
        use CaseAction as A;
        use CaseStatus as S;
        let path = [
            (A::Claim, S::InProgress),
            (A::SetStatus(S::WaitingOnUser), S::WaitingOnUser),
            (A::ReporterMessage, S::InProgress),
            (A::Escalate, S::Escalated),
            (A::SetStatus(S::InProgress), S::InProgress),
            (A::SetStatus(S::Resolved), S::Resolved),
            (A::Feedback, S::Closed),
        ];
        let mut status = S::Queued;
        for (action, expected) in path {
            status = next_status(status, action).unwrap();
            assert_eq!(status, expected);
        }
    }

    #[test]
    fn a_reporter_message_reopens_a_resolved_case_to_the_queue() {
        assert_eq!(
            next_status(CaseStatus::Resolved, CaseAction::ReporterMessage),
            Ok(CaseStatus::Queued)
        );
    }

    #[test]
    fn a_closed_case_takes_no_action() {
        for action in all_actions() {
            assert!(
                next_status(CaseStatus::Closed, action).is_err(),
                "{action:?}"
            );
        }
    }

    #[test]
    fn a_queued_case_must_be_claimed_before_it_is_worked() {
        assert!(next_status(
            CaseStatus::Queued,
            CaseAction::SetStatus(CaseStatus::Resolved)
        )
        .is_err());
        assert!(next_status(CaseStatus::Queued, CaseAction::Escalate).is_err());
        assert!(next_status(CaseStatus::Queued, CaseAction::Release).is_err());
    }

    #[test]
    fn holders_and_leads_may_work_on_a_case_others_may_not() {
        assert!(may_work_on(Role::Specialist, true));
        assert!(!may_work_on(Role::Specialist, false));
        assert!(may_work_on(Role::Lead, false));
        assert!(may_work_on(Role::Admin, false));
    }

    fn all_actions() -> Vec<CaseAction> {
        let mut actions = vec![
            CaseAction::Claim,
            CaseAction::Release,
            CaseAction::Escalate,
            CaseAction::ReporterMessage,
            CaseAction::Feedback,
            CaseAction::LeaseExpired,
        ];
        actions.extend(CaseStatus::ALL.map(CaseAction::SetStatus));
        actions
    }

    proptest! {
        /// Whatever sequence of actions is tried, a case only ever moves along
        /// allowed edges, and once closed it stays closed.
        #[test]
        fn any_action_sequence_stays_on_allowed_edges(picks in proptest::collection::vec(0usize..12, 0..40)) {
            let actions = all_actions();
            let mut status = CaseStatus::Queued;
            for pick in picks {
                let action = actions[pick % actions.len()];
                match next_status(status, action) {
                    Ok(next) => {
                        prop_assert_ne!(status, CaseStatus::Closed);
                        if let CaseAction::SetStatus(to) = action { prop_assert_eq!(next, to); }
                        status = next;
                    }
                    Err(TransitionError::NotAllowed { from, .. }) => prop_assert_eq!(from, status),
                }
            }
        }
    }
}
