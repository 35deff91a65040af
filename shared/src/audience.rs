//! Who may see which case, and what each audience sees of it: a reporter
//! only their own cases, without the team's internals (SLA, escalation, who
//! holds it, internal events, the answers they tried); a specialist
//! everything. Pure functions over a
//! stored case and a viewer; the Worker only loads and answers.

use crate::api::{
    ActorView, CaseEventView, CaseSummary, CaseView, EscalationView, ReporterView, SlaView,
    SpecialistSummary, TriedAnswer,
};
use crate::case::human_ref;
use crate::clock::{iso, EpochMillis};
use crate::escalation::EscalationPolicy;
use crate::events::timeline_page;
use crate::queue::NO_DEADLINE_RANK;
use crate::record::{CaseRecord, EventRecord, TriedAnswerRecord};
use crate::sla::SlaPolicy;

/// Who is looking at a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a> {
    /// The reporter with this id.
    Reporter(&'a str),
    Specialist,
}

impl Viewer<'_> {
    fn is_team(self) -> bool {
        self == Viewer::Specialist
    }

    /// Whether the timeline shown holds only public events.
    pub fn public_only(self) -> bool {
        !self.is_team()
    }
}

/// Whether `viewer` may see `case` at all. Another reporter's case is to be
/// answered as "not found", so ids reveal nothing about what exists.
pub fn may_see(case: &CaseRecord, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Reporter(id) => id == case.reporter_id,
        Viewer::Specialist => true,
    }
}

fn holder(case: &CaseRecord) -> Option<SpecialistSummary> {
    Some(SpecialistSummary {
        id: case.assignee_id?,
        name: case.assignee_name.clone()?,
        role: case.assignee_role?,
    })
}

fn sla_view(case: &CaseRecord, policy: &SlaPolicy, now: EpochMillis) -> SlaView {
    let clock = case.sla();
    let target = policy.target(case.priority);
    let due = clock.due(target, now);
    let breaches = clock.breaches(target, now);
    SlaView {
        first_response_due: due.first_response.map(iso),
        resolution_due: due.resolution.map(iso),
        first_response_at: clock.first_response_at.map(iso),
        resolved_at: clock.resolved_at.map(iso),
        paused: clock.is_paused(),
        first_response_breached: breaches.first_response,
        resolution_breached: breaches.resolution,
    }
}

fn escalation_view(
    case: &CaseRecord,
    policy: &EscalationPolicy,
    now: EpochMillis,
) -> Option<EscalationView> {
    let escalation = case.escalation()?;
    let route = policy.route(&escalation.team, escalation.level, now).ok();
    Some(EscalationView {
        team: escalation.team,
        level: escalation.level,
        reason: escalation.reason,
        team_name: route.as_ref().map(|r| r.team_name.clone()),
        holder: route.map(|r| r.holder),
    })
}

fn event_view(event: EventRecord) -> CaseEventView {
    CaseEventView {
        id: event.id,
        kind: event.kind,
        actor: ActorView {
            kind: event.actor_kind.as_str().into(),
            name: event.actor_name,
        },
        body: event.body,
        from_status: event.from_status,
        to_status: event.to_status,
        at: iso(event.at_ms),
    }
}

/// The policies a case view reads (the SLA targets and the escalation rota).
pub struct Policies<'a> {
    pub sla: &'a SlaPolicy,
    pub escalation: &'a EscalationPolicy,
}

/// `case` with its timeline (newest page of `events`) as `viewer` sees it.
pub fn case_view(
    case: &CaseRecord,
    events: Vec<EventRecord>,
    tried: Vec<TriedAnswerRecord>,
    viewer: Viewer,
    policies: &Policies,
    now: EpochMillis,
) -> CaseView {
    let team = viewer.is_team();
    let (events, events_before) = timeline_page(events, |e| e.id);
    CaseView {
        id: case.id,
        reference: human_ref(case.id),
        title: case.title.clone(),
        description: case.description.clone(),
        platform: case.platform.clone(),
        category: case.category.clone(),
        priority: case.priority,
        impact: case.impact,
        urgency: case.urgency,
        status: case.status,
        reporter: ReporterView {
            id: case.reporter_id.clone(),
            name: case.reporter_name.clone(),
            email: case.reporter_email.clone(),
            verified: case.reporter_verified == 1,
        },
        context: serde_json::from_str(&case.context).unwrap_or_default(),
        assignee: holder(case).filter(|_| team),
        escalation: escalation_view(case, policies.escalation, now).filter(|_| team),
        sla: team.then(|| sla_view(case, policies.sla, now)),
        rating: case.rating(),
        version: case.version,
        created_at: iso(case.created_ms),
        updated_at: iso(case.updated_ms),
        events: events
            .into_iter()
            .filter(|e| team || e.kind.is_public())
            .map(event_view)
            .collect(),
        events_before,
        // What the reporter tried is theirs to know and the team's to use.
        tried_answers: tried
            .into_iter()
            .filter(|_| team)
            .map(|t| TriedAnswer {
                slug: t.article_slug,
                title: t.title,
                query: t.query,
                at: iso(t.at_ms),
            })
            .collect(),
    }
}

/// `case` as one line of a list `viewer` reads.
pub fn case_summary(case: &CaseRecord, viewer: Viewer) -> CaseSummary {
    let team = viewer.is_team();
    CaseSummary {
        id: case.id,
        reference: human_ref(case.id),
        title: case.title.clone(),
        platform: case.platform.clone(),
        category: case.category.clone(),
        priority: case.priority,
        status: case.status,
        reporter_id: case.reporter_id.clone(),
        reporter_name: case.reporter_name.clone(),
        assignee: holder(case).filter(|_| team),
        next_due: (team && case.queue_rank < NO_DEADLINE_RANK).then(|| iso(case.queue_rank)),
        created_at: iso(case.created_ms),
        updated_at: iso(case.updated_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::CaseEventKind;
    use crate::record::ActorKind;

    fn held_escalated_case() -> CaseRecord {
        CaseRecord::fixture()
    }

    fn event(id: i64, kind: CaseEventKind) -> EventRecord {
        EventRecord {
            id,
            kind,
            actor_kind: ActorKind::Specialist,
            actor_name: Some("Sam".into()),
            body: Some("text".into()),
            from_status: None,
            to_status: None,
            at_ms: id,
        }
    }

    fn policies() -> (SlaPolicy, EscalationPolicy) {
        (SlaPolicy::default(), EscalationPolicy::default())
    }

    #[test]
    fn a_reporter_sees_their_own_case_only() {
        let case = held_escalated_case();
        assert!(may_see(&case, Viewer::Reporter("u-dana")));
        assert!(!may_see(&case, Viewer::Reporter("u-erik")));
        assert!(!may_see(&case, Viewer::Reporter("")));
        assert!(may_see(&case, Viewer::Specialist));
    }

    #[test]
    fn the_reporter_view_leaves_out_the_teams_internals() {
        let (sla, escalation) = policies();
        let policies = Policies {
            sla: &sla,
            escalation: &escalation,
        };
        let events = vec![
            event(1, CaseEventKind::Created),
            event(2, CaseEventKind::Claimed),
            event(3, CaseEventKind::Noted),
            event(4, CaseEventKind::Replied),
            event(5, CaseEventKind::Escalated),
        ];
        let case = held_escalated_case();
        let tried = vec![TriedAnswerRecord {
            article_slug: "reset-budget".into(),
            title: Some("Reset a budget".into()),
            query: "budget will not save".into(),
            at_ms: 1_000,
        }];
        let seen = case_view(
            &case,
            events.clone(),
            tried.clone(),
            Viewer::Reporter("u-dana"),
            &policies,
            5_000,
        );
        assert_eq!(seen.assignee, None);
        assert_eq!(seen.escalation, None);
        assert_eq!(seen.sla, None);
        assert!(seen.tried_answers.is_empty());
        let kinds: Vec<_> = seen.events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [CaseEventKind::Created, CaseEventKind::Replied]);
        // What the reporter wrote and sent is theirs to see.
        assert_eq!(seen.context.url.as_deref(), Some("https://ads.example/x"));

        let team = case_view(&case, events, tried, Viewer::Specialist, &policies, 5_000);
        assert_eq!(team.tried_answers[0].slug, "reset-budget");
        assert_eq!(team.tried_answers[0].at, iso(1_000));
        assert_eq!(team.assignee.unwrap().name, "Sam");
        assert_eq!(team.escalation.unwrap().level, 2);
        assert!(team.sla.unwrap().first_response_at.is_some());
        assert_eq!(team.events.len(), 5);
    }

    #[test]
    fn a_summary_shows_the_holder_and_next_deadline_to_the_team_only() {
        let case = held_escalated_case();
        let reporter = case_summary(&case, Viewer::Reporter("u-dana"));
        assert_eq!((reporter.assignee, reporter.next_due), (None, None));
        let team = case_summary(&case, Viewer::Specialist);
        assert_eq!(team.assignee.unwrap().id, 3);
        assert_eq!(team.next_due, Some(iso(9_000)));
    }
}
