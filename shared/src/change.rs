//! What a command does to a case: given the case's current state, who acts and
//! when, the new state and the events to append, or why it is refused. The
//! Worker loads the state, calls [`apply`], and writes the result in one batch;
//! every rule about who may do what to a case is here or in `lifecycle`.

use thiserror::Error;

use crate::claim::ClaimLease;
use crate::clock::EpochMillis;
use crate::events::CaseEventKind;
use crate::lifecycle::{may_work_on, next_status, CaseAction, CaseStatus, Role, TransitionError};
use crate::limits::{
    FEEDBACK_COMMENT_MAX_CHARS, MESSAGE_MAX_CHARS, NAME_MAX_CHARS, REASON_MAX_CHARS,
};
use crate::priority::Priority;
use crate::sla::SlaClock;
use crate::text;
use crate::ValidationError;

/// The highest escalation level (1 = on-call engineer … 3 = engineering lead).
pub const MAX_ESCALATION_LEVEL: u8 = 3;

/// The part of a case that commands change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub status: CaseStatus,
    pub priority: Priority,
    pub sla: SlaClock,
    pub assignee_id: Option<i64>,
    pub lease_expires_at: Option<EpochMillis>,
    pub escalation: Option<Escalation>,
    pub rating: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub team: String,
    pub level: u8,
    pub reason: String,
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Specialist {
        id: i64,
        role: Role,
    },
    /// The case's own reporter (the route has checked ownership).
    Reporter,
}

/// An active specialist a case may be handed to, as the Worker found them
/// by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
}

/// What someone asks to do to a case (claims are made atomically by the queue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseCommand {
    Release,
    /// Hand the case to `to` (`None`: no active specialist has the id asked
    /// for; a revoked one is no colleague to hand work to).
    Assign {
        to: Option<Colleague>,
        note: Option<String>,
    },
    Reply {
        body: String,
    },
    Note {
        body: String,
    },
    /// One public message to every case of an incident, by any specialist,
    /// whoever holds each case (it answers them all the same way).
    Broadcast {
        body: String,
    },
    SetStatus {
        to: CaseStatus,
    },
    Escalate {
        team: String,
        level: u8,
        reason: String,
    },
    ReporterMessage {
        body: String,
    },
    Feedback {
        rating: u8,
        comment: Option<String>,
    },
}

/// An event to append, without its actor and time (the writer adds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: CaseEventKind,
    pub body: Option<String>,
    pub from_status: Option<CaseStatus>,
    pub to_status: Option<CaseStatus>,
}

impl NewEvent {
    fn plain(kind: CaseEventKind, body: Option<String>) -> Self {
        NewEvent {
            kind,
            body,
            from_status: None,
            to_status: None,
        }
    }

    fn status(from: CaseStatus, to: CaseStatus) -> Self {
        NewEvent {
            kind: CaseEventKind::StatusChanged,
            body: None,
            from_status: Some(from),
            to_status: Some(to),
        }
    }
}

/// The outcome of a command: the state to store and the events to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChange {
    pub state: CaseState,
    pub events: Vec<NewEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChangeError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("only the specialist holding this case, or a lead, may do that")]
    NotHolder,
    #[error("only specialists may do that")]
    SpecialistsOnly,
    #[error("only the reporter may do that")]
    ReporterOnly,
    #[error("this case was already rated")]
    AlreadyRated,
}

fn message(field: &'static str, body: &str) -> Result<String, ValidationError> {
    text::required(field, body, MESSAGE_MAX_CHARS, true)
}

/// Applies `command` by `actor` at `now` to a case in `state`. Whether the
/// action is possible at all is checked before who may take it, so a case that
/// must be claimed first says so to everyone (409), not "not yours" (403).
pub fn apply(
    state: &CaseState,
    command: CaseCommand,
    actor: Actor,
    now: EpochMillis,
    lease: ClaimLease,
) -> Result<CaseChange, ChangeError> {
    let mut step = Step {
        before: state,
        next: state.clone(),
        events: Vec::new(),
        actor,
        now,
        lease,
    };
    match command {
        CaseCommand::Release => step.release()?,
        CaseCommand::Assign { to, note } => step.assign(to, note.as_deref())?,
        CaseCommand::Reply { body } => step.reply(&body)?,
        CaseCommand::Broadcast { body } => step.broadcast(&body)?,
        CaseCommand::Note { body } => step.note(&body)?,
        CaseCommand::SetStatus { to } => step.set_status(to)?,
        CaseCommand::Escalate {
            team,
            level,
            reason,
        } => step.escalate(&team, level, &reason)?,
        CaseCommand::ReporterMessage { body } => step.reporter_message(&body)?,
        CaseCommand::Feedback { rating, comment } => step.feedback(rating, comment.as_deref())?,
    }
    Ok(CaseChange {
        state: step.next,
        events: step.events,
    })
}

/// One command being applied: the case before, the case after so far, and
/// the events it appends.
struct Step<'a> {
    before: &'a CaseState,
    next: CaseState,
    events: Vec<NewEvent>,
    actor: Actor,
    now: EpochMillis,
    lease: ClaimLease,
}

impl Step<'_> {
    fn from(&self) -> CaseStatus {
        self.before.status
    }

    /// The acting specialist's id, if they may work on the case.
    fn holder(&self) -> Result<i64, ChangeError> {
        match self.actor {
            Actor::Specialist { id, role } => {
                if may_work_on(role, self.before.assignee_id == Some(id)) {
                    Ok(id)
                } else {
                    Err(ChangeError::NotHolder)
                }
            }
            Actor::Reporter => Err(ChangeError::SpecialistsOnly),
        }
    }

    fn specialist_only(&self) -> Result<(), ChangeError> {
        match self.actor {
            Actor::Specialist { .. } => Ok(()),
            Actor::Reporter => Err(ChangeError::SpecialistsOnly),
        }
    }

    fn reporter_only(&self) -> Result<(), ChangeError> {
        match self.actor {
            Actor::Reporter => Ok(()),
            Actor::Specialist { .. } => Err(ChangeError::ReporterOnly),
        }
    }

    /// A holder who acts on their case keeps it: the lease runs from now.
    fn renew(&mut self, by: i64) {
        if self.next.assignee_id == Some(by) && self.next.status.is_held() {
            self.next.lease_expires_at = Some(self.lease.expires_at(self.now));
        }
    }

    /// Moves to the status `action` leads to, with the SLA clock following.
    fn go(&mut self, action: CaseAction) -> Result<(), ChangeError> {
        self.next.status = next_status(self.from(), action)?;
        self.next
            .sla
            .on_status_change(self.from(), self.next.status, self.now);
        Ok(())
    }

    /// Refused: the case is not in a status where this can be done.
    fn not_now(&self) -> ChangeError {
        TransitionError::NotAllowed {
            from: self.from(),
            action: CaseAction::SetStatus(self.from()),
        }
        .into()
    }

    fn push(&mut self, kind: CaseEventKind, body: Option<String>) {
        self.events.push(NewEvent::plain(kind, body));
    }

    fn release(&mut self) -> Result<(), ChangeError> {
        self.next.status = next_status(self.from(), CaseAction::Release)?;
        self.holder()?;
        self.next.assignee_id = None;
        self.next.lease_expires_at = None;
        self.push(CaseEventKind::Released, None);
        Ok(())
    }

    /// The holder, or a lead (who may also hand out a queued case), gives the
    /// case to an active colleague, who holds it with a whole lease from now;
    /// the internal event says to whom, and why.
    fn assign(&mut self, to: Option<Colleague>, note: Option<&str>) -> Result<(), ChangeError> {
        self.go(CaseAction::Assign)?;
        self.holder()?;
        let to = to.ok_or(ValidationError::Invalid {
            field: "specialist_id",
            reason: "name an active specialist",
        })?;
        if self.before.assignee_id == Some(to.id) {
            return Err(ValidationError::Invalid {
                field: "specialist_id",
                reason: "that specialist holds this case already",
            }
            .into());
        }
        let note = text::optional("note", note, MESSAGE_MAX_CHARS)?;
        self.next.assignee_id = Some(to.id);
        self.next.lease_expires_at = Some(self.lease.expires_at(self.now));
        let (from, next) = (self.from(), self.next.status);
        if from != next {
            self.events.push(NewEvent::status(from, next));
        }
        let said = match note {
            Some(note) => format!("to {}: {note}", to.name),
            None => format!("to {}", to.name),
        };
        self.push(CaseEventKind::Assigned, Some(said));
        Ok(())
    }

    fn reply(&mut self, body: &str) -> Result<(), ChangeError> {
        if !self.from().is_held() {
            return Err(self.not_now());
        }
        let by = self.holder()?;
        let body = message("body", body)?;
        self.next.sla.record_first_response(self.now);
        self.renew(by);
        self.push(CaseEventKind::Replied, Some(body));
        Ok(())
    }

    /// One reply to every case of an incident, by any specialist.
    fn broadcast(&mut self, body: &str) -> Result<(), ChangeError> {
        self.specialist_only()?;
        if self.from() == CaseStatus::Closed {
            return Err(self.not_now());
        }
        let body = message("body", body)?;
        self.next.sla.record_first_response(self.now);
        self.push(CaseEventKind::Replied, Some(body));
        Ok(())
    }

    fn note(&mut self, body: &str) -> Result<(), ChangeError> {
        self.specialist_only()?;
        let body = message("body", body)?;
        self.push(CaseEventKind::Noted, Some(body));
        Ok(())
    }

    fn set_status(&mut self, to: CaseStatus) -> Result<(), ChangeError> {
        self.next.status = next_status(self.from(), CaseAction::SetStatus(to))?;
        let by = self.holder()?;
        self.next.sla.on_status_change(self.from(), to, self.now);
        if !to.is_held() {
            self.next.lease_expires_at = None;
        }
        self.renew(by);
        self.events.push(NewEvent::status(self.from(), to));
        Ok(())
    }

    fn escalate(&mut self, team: &str, level: u8, reason: &str) -> Result<(), ChangeError> {
        self.next.status = next_status(self.from(), CaseAction::Escalate)?;
        let by = self.holder()?;
        let team = text::required("team", team, NAME_MAX_CHARS, false)?;
        let reason = text::required("reason", reason, REASON_MAX_CHARS, true)?;
        if !(1..=MAX_ESCALATION_LEVEL).contains(&level) {
            return Err(ValidationError::Invalid {
                field: "level",
                reason: "levels run from 1 to 3",
            }
            .into());
        }
        let (from, to) = (self.from(), self.next.status);
        self.next.sla.on_status_change(from, to, self.now);
        self.renew(by);
        if from != to {
            self.events.push(NewEvent::status(from, to));
        }
        let said = format!("{team} (level {level}): {reason}");
        self.push(CaseEventKind::Escalated, Some(said));
        self.next.escalation = Some(Escalation {
            team,
            level,
            reason,
        });
        Ok(())
    }

    fn reporter_message(&mut self, body: &str) -> Result<(), ChangeError> {
        self.reporter_only()?;
        let body = message("body", body)?;
        self.go(CaseAction::ReporterMessage)?;
        let (from, to) = (self.from(), self.next.status);
        self.push(CaseEventKind::ReporterMessage, Some(body));
        if from == CaseStatus::Resolved {
            // Reopened: back to the queue for whoever is free first.
            self.next.assignee_id = None;
            self.next.lease_expires_at = None;
            self.events.push(NewEvent {
                kind: CaseEventKind::Reopened,
                body: None,
                from_status: Some(from),
                to_status: Some(to),
            });
        } else if from != to {
            self.events.push(NewEvent::status(from, to));
        }
        // The answer the holder waited for hands the case back to them, with
        // a whole lease from now: whatever lease they had ran out while the
        // case waited, and must not let a stranger claim it.
        if from == CaseStatus::WaitingOnUser && self.next.assignee_id.is_some() {
            self.next.lease_expires_at = Some(self.lease.expires_at(self.now));
        }
        Ok(())
    }

    fn feedback(&mut self, rating: u8, comment: Option<&str>) -> Result<(), ChangeError> {
        self.reporter_only()?;
        if self.before.rating.is_some() {
            return Err(ChangeError::AlreadyRated);
        }
        if !(1..=5).contains(&rating) {
            return Err(ValidationError::Invalid {
                field: "rating",
                reason: "rate from 1 to 5",
            }
            .into());
        }
        let comment = text::optional("comment", comment, FEEDBACK_COMMENT_MAX_CHARS)?;
        self.go(CaseAction::Feedback)?;
        self.next.rating = Some(rating);
        self.next.lease_expires_at = None;
        self.events.push(NewEvent {
            kind: CaseEventKind::Feedback,
            body: Some(match comment {
                Some(c) => format!("{rating}/5: {c}"),
                None => format!("{rating}/5"),
            }),
            from_status: Some(self.from()),
            to_status: Some(self.next.status),
        });
        Ok(())
    }
}

/// A case whose holder can no longer work it (their access was revoked) goes
/// back to the queue for whoever is free first, whatever it was waiting on:
/// a paused clock runs again (the team owes the next step now), an
/// escalation stays on record, and the events say why.
pub fn returned_to_queue(state: &CaseState, why: &str, now: EpochMillis) -> CaseChange {
    let mut next = state.clone();
    let from = state.status;
    next.status = CaseStatus::Queued;
    next.sla.on_status_change(from, CaseStatus::Queued, now);
    next.assignee_id = None;
    next.lease_expires_at = None;
    let mut events = vec![NewEvent::plain(
        CaseEventKind::Released,
        Some(why.to_owned()),
    )];
    if from != CaseStatus::Queued {
        events.push(NewEvent::status(from, CaseStatus::Queued));
    }
    CaseChange {
        state: next,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: EpochMillis = 1_795_600_000_000;

    #[test]
    fn a_revoked_holders_waiting_case_returns_to_the_queue_with_its_clock_running() {
        let mut waiting = held(CaseStatus::InProgress);
        waiting.sla.on_status_change(
            CaseStatus::InProgress,
            CaseStatus::WaitingOnUser,
            T0 + 60_000,
        );
        waiting.status = CaseStatus::WaitingOnUser;
        let back = returned_to_queue(&waiting, "access revoked", T0 + 120_000);
        assert_eq!(back.state.status, CaseStatus::Queued);
        assert_eq!(
            (back.state.assignee_id, back.state.lease_expires_at),
            (None, None)
        );
        assert!(!back.state.sla.is_paused());
        assert_eq!(back.state.sla.paused_ms, 60_000);
        assert_eq!(
            back.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![CaseEventKind::Released, CaseEventKind::StatusChanged]
        );
        let mut escalated = held(CaseStatus::Escalated);
        escalated.escalation = Some(Escalation {
            team: "data".into(),
            level: 1,
            reason: "lag".into(),
        });
        let back = returned_to_queue(&escalated, "access revoked", T0);
        assert_eq!(back.state.status, CaseStatus::Queued);
        assert!(
            back.state.escalation.is_some(),
            "the escalation stays on record"
        );
    }
    const ME: Actor = Actor::Specialist {
        id: 7,
        role: Role::Specialist,
    };
    const OTHER: Actor = Actor::Specialist {
        id: 8,
        role: Role::Specialist,
    };
    const LEAD: Actor = Actor::Specialist {
        id: 9,
        role: Role::Lead,
    };

    fn held(status: CaseStatus) -> CaseState {
        CaseState {
            status,
            priority: Priority::P2,
            sla: SlaClock::started(T0),
            assignee_id: Some(7),
            lease_expires_at: Some(T0 + 1),
            escalation: None,
            rating: None,
        }
    }

    fn run(
        state: &CaseState,
        command: CaseCommand,
        actor: Actor,
    ) -> Result<CaseChange, ChangeError> {
        apply(state, command, actor, T0 + 60_000, ClaimLease::default())
    }

    fn reply(body: &str) -> CaseCommand {
        CaseCommand::Reply { body: body.into() }
    }

    fn note(body: &str) -> CaseCommand {
        CaseCommand::Note { body: body.into() }
    }

    fn from_reporter(body: &str) -> CaseCommand {
        CaseCommand::ReporterMessage { body: body.into() }
    }

    fn assign_to(id: i64, active: bool, note: Option<&str>) -> CaseCommand {
        CaseCommand::Assign {
            to: active.then(|| Colleague {
                id,
                name: format!("Colleague {id}"),
            }),
            note: note.map(Into::into),
        }
    }

    #[test]
    fn the_holder_hands_a_case_to_an_active_colleague_with_a_note() {
        let waiting = held(CaseStatus::WaitingOnUser);
        let change = run(&waiting, assign_to(8, true, Some("  call at 9  ")), ME).unwrap();
        assert_eq!(
            change.state.status,
            CaseStatus::WaitingOnUser,
            "where it stood"
        );
        assert_eq!(change.state.assignee_id, Some(8));
        assert_eq!(change.state.lease_expires_at, Some(T0 + 60_000 + 1_800_000));
        assert_eq!(change.events.len(), 1);
        assert_eq!(change.events[0].kind, CaseEventKind::Assigned);
        assert!(!change.events[0].kind.is_public());
        assert_eq!(
            change.events[0].body.as_deref(),
            Some("to Colleague 8: call at 9")
        );
        let bare = run(&waiting, assign_to(8, true, None), ME).unwrap();
        assert_eq!(bare.events[0].body.as_deref(), Some("to Colleague 8"));
    }

    #[test]
    fn a_handover_needs_the_holder_or_a_lead_and_an_active_other_colleague() {
        let case = held(CaseStatus::InProgress);
        assert_eq!(
            run(&case, assign_to(9, true, None), OTHER),
            Err(ChangeError::NotHolder)
        );
        assert!(run(&case, assign_to(8, true, None), LEAD).is_ok());
        for command in [assign_to(8, false, None), assign_to(7, true, None)] {
            let refused = run(&case, command, ME).unwrap_err();
            assert!(
                matches!(&refused, ChangeError::Invalid(e) if e.field() == "specialist_id"),
                "{refused:?}"
            );
        }
        let long = "x".repeat(MESSAGE_MAX_CHARS + 1);
        assert!(matches!(
            run(&case, assign_to(8, true, Some(&long)), ME),
            Err(ChangeError::Invalid(e)) if e.field() == "note"
        ));
        assert_eq!(
            run(&case, assign_to(8, true, None), Actor::Reporter),
            Err(ChangeError::SpecialistsOnly)
        );
    }

    #[test]
    fn a_lead_hands_out_a_queued_case_and_nobody_a_resolved_one() {
        let mut queued = held(CaseStatus::Queued);
        queued.assignee_id = None;
        queued.lease_expires_at = None;
        assert_eq!(
            run(&queued, assign_to(8, true, None), ME),
            Err(ChangeError::NotHolder),
            "a specialist claims instead"
        );
        let change = run(&queued, assign_to(8, true, None), LEAD).unwrap();
        assert_eq!(change.state.status, CaseStatus::InProgress);
        assert_eq!(change.state.assignee_id, Some(8));
        assert_eq!(
            change.events.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![CaseEventKind::StatusChanged, CaseEventKind::Assigned]
        );
        assert!(matches!(
            run(&held(CaseStatus::Resolved), assign_to(8, true, None), LEAD),
            Err(ChangeError::Transition(_))
        ));
    }

    #[test]
    fn first_public_reply_records_first_response_and_renews_the_lease() {
        let change = run(&held(CaseStatus::InProgress), reply("Looking now"), ME).unwrap();
        assert_eq!(change.state.sla.first_response_at, Some(T0 + 60_000));
        assert_eq!(change.state.lease_expires_at, Some(T0 + 60_000 + 1_800_000));
        assert_eq!(change.events[0].kind, CaseEventKind::Replied);
    }

    #[test]
    fn an_incident_broadcast_answers_any_open_case_but_not_for_reporters() {
        let broadcast = || CaseCommand::Broadcast {
            body: "We are fixing the outage".into(),
        };
        let mut queued = held(CaseStatus::Queued);
        queued.assignee_id = None;
        let change = run(&queued, broadcast(), OTHER).unwrap();
        assert_eq!(change.state.status, CaseStatus::Queued);
        assert_eq!(change.state.sla.first_response_at, Some(T0 + 60_000));
        assert_eq!(change.events[0].kind, CaseEventKind::Replied);
        assert!(run(&held(CaseStatus::Closed), broadcast(), LEAD).is_err());
        assert_eq!(
            run(&queued, broadcast(), Actor::Reporter),
            Err(ChangeError::SpecialistsOnly)
        );
    }

    #[test]
    fn only_the_holder_or_a_lead_may_reply() {
        let state = held(CaseStatus::InProgress);
        assert_eq!(run(&state, reply("hi"), OTHER), Err(ChangeError::NotHolder));
        assert!(run(&state, reply("hi"), LEAD).is_ok());
        assert_eq!(
            run(&state, reply("hi"), Actor::Reporter),
            Err(ChangeError::SpecialistsOnly)
        );
    }

    #[test]
    fn any_specialist_may_note_but_notes_are_internal() {
        let change = run(&held(CaseStatus::Escalated), note("db lag"), OTHER).unwrap();
        assert!(!change.events[0].kind.is_public());
        assert_eq!(change.state, held(CaseStatus::Escalated));
    }

    #[test]
    fn an_empty_reply_names_the_body() {
        let err = run(&held(CaseStatus::InProgress), reply("  "), ME).unwrap_err();
        assert_eq!(
            err,
            ChangeError::Invalid(ValidationError::Required { field: "body" })
        );
    }

    #[test]
    fn waiting_on_user_pauses_and_the_reporters_answer_resumes() {
        let waiting = run(
            &held(CaseStatus::InProgress),
            CaseCommand::SetStatus {
                to: CaseStatus::WaitingOnUser,
            },
            ME,
        )
        .unwrap();
        assert!(waiting.state.sla.is_paused());
        let answered = apply(
            &waiting.state,
            from_reporter("here is the file"),
            Actor::Reporter,
            T0 + 3_600_000,
            ClaimLease::default(),
        )
        .unwrap();
        assert_eq!(answered.state.status, CaseStatus::InProgress);
        assert!(!answered.state.sla.is_paused());
        assert_eq!(answered.state.sla.paused_ms, 3_600_000 - 60_000);
    }

    #[test]
    fn the_reporters_answer_keeps_a_waiting_case_with_its_holder_for_a_whole_lease() {
        let mut waiting = held(CaseStatus::WaitingOnUser);
        // The lease ran out long ago, while the case waited on the user.
        waiting.lease_expires_at = Some(T0 + 1);
        let answer_at = T0 + 5 * 3_600_000;
        let answered = apply(
            &waiting,
            from_reporter("here is the file"),
            Actor::Reporter,
            answer_at,
            ClaimLease::default(),
        )
        .unwrap();
        assert_eq!(answered.state.status, CaseStatus::InProgress);
        assert_eq!(answered.state.assignee_id, Some(7));
        assert_eq!(
            answered.state.lease_expires_at,
            Some(ClaimLease::default().expires_at(answer_at))
        );
    }

    #[test]
    fn a_reporter_message_on_a_resolved_case_reopens_it_to_the_queue() {
        let change = run(
            &held(CaseStatus::Resolved),
            from_reporter("still broken"),
            Actor::Reporter,
        )
        .unwrap();
        assert_eq!(change.state.status, CaseStatus::Queued);
        assert_eq!(change.state.assignee_id, None);
        let kinds: Vec<_> = change.events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![CaseEventKind::ReporterMessage, CaseEventKind::Reopened]
        );
    }

    #[test]
    fn escalation_records_team_level_and_reason_and_keeps_the_clock() {
        let state = held(CaseStatus::InProgress);
        let change = run(
            &state,
            CaseCommand::Escalate {
                team: "platform-engineering".into(),
                level: 2,
                reason: "500s from export service".into(),
            },
            ME,
        )
        .unwrap();
        assert_eq!(change.state.status, CaseStatus::Escalated);
        assert_eq!(change.state.sla, state.sla);
        assert_eq!(change.state.escalation.unwrap().level, 2);
        let err = run(
            &state,
            CaseCommand::Escalate {
                team: "x".into(),
                level: 4,
                reason: "r".into(),
            },
            ME,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ChangeError::Invalid(ValidationError::Invalid {
                field: "level",
                reason: "levels run from 1 to 3"
            })
        );
    }

    #[test]
    fn feedback_closes_a_resolved_case_once() {
        let change = rate(&held(CaseStatus::Resolved), 5, Some("fast!")).unwrap();
        assert_eq!(change.state.status, CaseStatus::Closed);
        assert_eq!(change.state.rating, Some(5));
        assert_eq!(rate(&change.state, 4, None), Err(ChangeError::AlreadyRated));
        let bad = rate(&held(CaseStatus::Resolved), 0, None);
        assert!(matches!(bad, Err(ChangeError::Invalid(e)) if e.field() == "rating"));
    }

    /// The reporter's feedback on `case`.
    fn rate(
        case: &CaseState,
        rating: u8,
        comment: Option<&str>,
    ) -> Result<CaseChange, ChangeError> {
        let comment = comment.map(str::to_owned);
        run(
            case,
            CaseCommand::Feedback { rating, comment },
            Actor::Reporter,
        )
    }

    #[test]
    fn feedback_on_an_open_case_is_an_illegal_transition() {
        let err = rate(&held(CaseStatus::InProgress), 5, None).unwrap_err();
        assert!(matches!(err, ChangeError::Transition(_)));
    }

    #[test]
    fn release_returns_the_case_to_the_queue_unassigned() {
        let change = run(&held(CaseStatus::InProgress), CaseCommand::Release, ME).unwrap();
        assert_eq!(change.state.status, CaseStatus::Queued);
        assert_eq!(
            (change.state.assignee_id, change.state.lease_expires_at),
            (None, None)
        );
    }
}
