//! Turning stored cases into what each audience may see. A reporter's view
//! leaves out the team's internals: SLA, escalation, assignee and internal
//! events; a specialist sees everything.

use helpline_shared::api::{
    ActorView, CaseEventView, CaseSummary, CaseView, EscalationView, ReporterView, SlaView,
    SpecialistSummary,
};
use helpline_shared::case::human_ref;
use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::escalation::EscalationPolicy;
use helpline_shared::events::{timeline_page, CaseEventKind};
use helpline_shared::lifecycle::{CaseStatus, Role};
use helpline_shared::queue::NO_DEADLINE_RANK;
use helpline_shared::sla::SlaPolicy;

use super::store::{CaseRow, EventRow};
use crate::error::ApiResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Reporter,
    Specialist,
}

fn assignee(row: &CaseRow) -> Option<SpecialistSummary> {
    Some(SpecialistSummary {
        id: row.assignee_id?,
        name: row.assignee_name.clone()?,
        role: Role::parse(row.assignee_role.as_deref()?)?,
    })
}

fn parse_enum<T: serde::de::DeserializeOwned>(value: &str) -> ApiResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|e| worker::Error::RustError(format!("stored value {value}: {e}")).into())
}

fn sla_view(row: &CaseRow, policy: &SlaPolicy, now: EpochMillis) -> ApiResult<SlaView> {
    let clock = row.sla();
    let target = policy.target(row.priority()?);
    let due = clock.due(target, now);
    let breaches = clock.breaches(target, now);
    Ok(SlaView {
        first_response_due: due.first_response.map(iso),
        resolution_due: due.resolution.map(iso),
        first_response_at: clock.first_response_at.map(iso),
        resolved_at: clock.resolved_at.map(iso),
        paused: clock.is_paused(),
        first_response_breached: breaches.first_response,
        resolution_breached: breaches.resolution,
    })
}

fn event_view(event: EventRow) -> ApiResult<CaseEventView> {
    Ok(CaseEventView {
        id: event.id,
        kind: CaseEventKind::parse(&event.kind)
            .ok_or_else(|| worker::Error::RustError(format!("stored event kind {}", event.kind)))?,
        actor: ActorView {
            kind: event.actor_kind,
            name: event.actor_name,
        },
        body: event.body,
        from_status: event.from_status.as_deref().and_then(CaseStatus::parse),
        to_status: event.to_status.as_deref().and_then(CaseStatus::parse),
        at: iso(event.at_ms),
    })
}

pub fn case_view(
    row: &CaseRow,
    events: Vec<EventRow>,
    audience: Audience,
    policy: &SlaPolicy,
    escalation: &EscalationPolicy,
    now: EpochMillis,
) -> ApiResult<CaseView> {
    let for_team = audience == Audience::Specialist;
    let (events, events_before) = timeline_page(events, |e| e.id);
    Ok(CaseView {
        id: row.id,
        reference: human_ref(row.id),
        title: row.title.clone(),
        description: row.description.clone(),
        platform: row.platform.clone(),
        category: row.category.clone(),
        priority: row.priority()?,
        impact: parse_enum(&row.impact)?,
        urgency: parse_enum(&row.urgency)?,
        status: row.status()?,
        reporter: ReporterView {
            id: row.reporter_id.clone(),
            name: row.reporter_name.clone(),
            email: row.reporter_email.clone(),
            verified: row.reporter_verified == 1,
        },
        context: serde_json::from_str(&row.context).unwrap_or_default(),
        assignee: if for_team { assignee(row) } else { None },
        escalation: match (
            for_team,
            &row.escalation_team,
            row.escalation_level,
            &row.escalation_reason,
        ) {
            (true, Some(team), Some(level), Some(reason)) => {
                let level = level.clamp(0, 255) as u8;
                let route = escalation.route(team, level, now).ok();
                Some(EscalationView {
                    team: team.clone(),
                    level,
                    reason: reason.clone(),
                    team_name: route.as_ref().map(|r| r.team_name.clone()),
                    holder: route.map(|r| r.holder),
                })
            }
            _ => None,
        },
        sla: if for_team {
            Some(sla_view(row, policy, now)?)
        } else {
            None
        },
        rating: row.rating.map(|r| r.clamp(0, 5) as u8),
        version: row.version,
        created_at: iso(row.created_ms),
        updated_at: iso(row.updated_ms),
        events: events
            .into_iter()
            .filter(|e| for_team || CaseEventKind::parse(&e.kind).is_some_and(|k| k.is_public()))
            .map(event_view)
            .collect::<ApiResult<_>>()?,
        events_before,
    })
}

pub fn summary(row: &CaseRow, audience: Audience) -> ApiResult<CaseSummary> {
    let for_team = audience == Audience::Specialist;
    Ok(CaseSummary {
        id: row.id,
        reference: human_ref(row.id),
        title: row.title.clone(),
        platform: row.platform.clone(),
        category: row.category.clone(),
        priority: row.priority()?,
        status: row.status()?,
        reporter_id: row.reporter_id.clone(),
        reporter_name: row.reporter_name.clone(),
        assignee: if for_team { assignee(row) } else { None },
        next_due: (for_team && row.queue_rank < NO_DEADLINE_RANK).then(|| iso(row.queue_rank)),
        created_at: iso(row.created_ms),
        updated_at: iso(row.updated_ms),
    })
}
