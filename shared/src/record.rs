//! A case and its events as stored: the rows D1 answers, decoded straight
//! into these types (stored enums by their names), so nothing downstream
//! parses a string. What each audience sees of them is `audience`.

use serde::{Deserialize, Serialize};

use crate::case::human_ref;
use crate::change::{CaseState, Escalation};
use crate::events::CaseEventKind;
use crate::lifecycle::{CaseStatus, Role};
use crate::notify::CaseLine;
use crate::priority::{Impact, Priority, Urgency};
use crate::sla::SlaClock;

/// A case row joined with its holder's name and role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub platform: String,
    pub category: Option<String>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub status: CaseStatus,
    pub reporter_id: String,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    /// 1 when the host signed the name and email (a token), else 0.
    #[serde(default)]
    pub reporter_verified: i64,
    /// The captured context, as JSON text.
    pub context: String,
    pub sla_paused_ms: i64,
    pub sla_paused_since_ms: Option<i64>,
    pub first_response_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub queue_rank: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub assignee_role: Option<Role>,
    pub lease_expires_ms: Option<i64>,
    pub escalation_team: Option<String>,
    pub escalation_level: Option<i64>,
    pub escalation_reason: Option<String>,
    pub rating: Option<i64>,
    /// Which SLA alerts were raised (bits of `sla_watch::SlaAlert`).
    #[serde(default)]
    pub sla_alerts: i64,
    pub version: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl CaseRecord {
    pub fn sla(&self) -> SlaClock {
        SlaClock {
            created_at: self.created_ms,
            paused_ms: self.sla_paused_ms,
            paused_since: self.sla_paused_since_ms,
            first_response_at: self.first_response_ms,
            resolved_at: self.resolved_ms,
        }
    }

    /// The case in one line, for a notification.
    pub fn line(&self) -> CaseLine {
        CaseLine {
            id: self.id,
            case_ref: human_ref(self.id),
            priority: self.priority.as_str().into(),
            platform: self.platform.clone(),
            title: self.title.clone(),
        }
    }

    /// The escalation on record, if the case has one.
    pub fn escalation(&self) -> Option<Escalation> {
        match (
            &self.escalation_team,
            self.escalation_level,
            &self.escalation_reason,
        ) {
            (Some(team), Some(level), Some(reason)) => Some(Escalation {
                team: team.clone(),
                level: level.clamp(0, u8::MAX as i64) as u8,
                reason: reason.clone(),
            }),
            _ => None,
        }
    }

    /// The reporter's rating, 1–5, if given.
    pub fn rating(&self) -> Option<u8> {
        self.rating.map(|r| r.clamp(0, 5) as u8)
    }

    /// The part of the case that commands change.
    pub fn state(&self) -> CaseState {
        CaseState {
            status: self.status,
            priority: self.priority,
            sla: self.sla(),
            assignee_id: self.assignee_id,
            lease_expires_at: self.lease_expires_ms,
            escalation: self.escalation(),
            rating: self.rating(),
        }
    }
}

/// Who wrote an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Reporter,
    Specialist,
    System,
}

impl ActorKind {
    /// The stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reporter => "reporter",
            Self::Specialist => "specialist",
            Self::System => "system",
        }
    }
}

/// One event of a case's timeline, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: i64,
    pub kind: CaseEventKind,
    pub actor_kind: ActorKind,
    pub actor_name: Option<String>,
    pub body: Option<String>,
    pub from_status: Option<CaseStatus>,
    pub to_status: Option<CaseStatus>,
    pub at_ms: i64,
}

/// An answer the reporter read in the widget and said did not help, as
/// stored (a deflection that did not solve), with the article's title now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriedAnswerRecord {
    pub article_slug: String,
    pub title: Option<String>,
    pub query: String,
    pub at_ms: i64,
}

/// A case held by Sam (a specialist) and escalated to `data`, for tests.
#[cfg(test)]
impl CaseRecord {
    pub(crate) fn fixture() -> CaseRecord {
        CaseRecord {
            id: 42,
            title: "Export stuck".into(),
            description: "since 9".into(),
            platform: "ads".into(),
            category: Some("billing".into()),
            impact: Impact::Team,
            urgency: Urgency::Blocked,
            priority: Priority::P2,
            status: CaseStatus::Escalated,
            reporter_id: "u-dana".into(),
            reporter_name: Some("Dana".into()),
            reporter_email: None,
            reporter_verified: 1,
            context: r#"{"url":"https://ads.example/x"}"#.into(),
            sla_paused_ms: 0,
            sla_paused_since_ms: None,
            first_response_ms: Some(1_000),
            resolved_ms: None,
            queue_rank: 9_000,
            assignee_id: Some(3),
            assignee_name: Some("Sam".into()),
            assignee_role: Some(Role::Specialist),
            lease_expires_ms: Some(99_000),
            escalation_team: Some("data".into()),
            escalation_level: Some(2),
            escalation_reason: Some("job stuck".into()),
            rating: None,
            sla_alerts: 0,
            version: 4,
            created_ms: 0,
            updated_ms: 2_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stored_row_decodes_with_its_enums_by_their_stored_names() {
        let row = json!({
            "id": 7, "title": "t", "description": "d", "platform": "ads", "category": null,
            "impact": "team", "urgency": "blocked", "priority": "P2", "status": "waiting_on_user",
            "reporter_id": "u-1", "reporter_name": null, "reporter_email": null,
            "context": "{}", "sla_paused_ms": 0, "sla_paused_since_ms": null,
            "first_response_ms": null, "resolved_ms": null, "queue_rank": 5,
            "assignee_id": 3, "assignee_name": "Sam", "assignee_role": "lead",
            "lease_expires_ms": null, "escalation_team": "data", "escalation_level": 2,
            "escalation_reason": "stuck", "rating": 9, "version": 1,
            "created_ms": 1, "updated_ms": 2
        });
        let case: CaseRecord = serde_json::from_value(row).unwrap();
        assert_eq!(case.priority, Priority::P2);
        assert_eq!(case.status, CaseStatus::WaitingOnUser);
        assert_eq!(
            (case.impact, case.urgency),
            (Impact::Team, Urgency::Blocked)
        );
        assert_eq!(case.assignee_role, Some(Role::Lead));
        assert_eq!(case.rating(), Some(5), "clamped");
        assert_eq!(case.escalation().unwrap().level, 2);
        assert_eq!(case.line().case_ref, human_ref(7));
    }

    #[test]
    fn a_stored_name_no_version_knows_does_not_decode() {
        let event = json!({
            "id": 1, "kind": "teleported", "actor_kind": "system", "actor_name": null,
            "body": null, "from_status": null, "to_status": null, "at_ms": 0
        });
        assert!(serde_json::from_value::<EventRecord>(event).is_err());
    }

    #[test]
    fn every_stored_name_is_the_serde_name() {
        let names = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        for s in CaseStatus::ALL {
            assert_eq!(names(serde_json::to_value(s).unwrap()), s.as_str());
        }
        for p in Priority::ALL {
            assert_eq!(names(serde_json::to_value(p).unwrap()), p.as_str());
        }
        for i in Impact::ALL {
            assert_eq!(names(serde_json::to_value(i).unwrap()), i.as_str());
        }
        for u in Urgency::ALL {
            assert_eq!(names(serde_json::to_value(u).unwrap()), u.as_str());
        }
        for r in [Role::Specialist, Role::Lead, Role::Admin] {
            assert_eq!(names(serde_json::to_value(r).unwrap()), r.as_str());
        }
        for a in [
            ActorKind::Reporter,
            ActorKind::Specialist,
            ActorKind::System,
        ] {
            assert_eq!(names(serde_json::to_value(a).unwrap()), a.as_str());
        }
        for k in CaseEventKind::ALL {
            assert_eq!(names(serde_json::to_value(k).unwrap()), k.as_str());
        }
    }
}
