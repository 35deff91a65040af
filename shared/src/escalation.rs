//! The escalation policy, as data an operator edits (`ESCALATION_POLICY`):
//! the teams a case can be handed to, their levels and who each level alerts;
//! the support leads' rota (who is on shift at an hour); and what the SLA watch
//! does on its own — which priorities escalate to the lead on a breach, which
//! page while nobody has claimed them, and which announce themselves on arrival.

use serde::{Deserialize, Serialize};

use crate::change::MAX_ESCALATION_LEVEL;
use crate::clock::{utc, EpochMillis};
use crate::priority::Priority;
use crate::ValidationError;
use chrono::Timelike;

/// `GET /v1/escalation/policy` answer: the teams a case can be escalated to, the support leads'
/// rota, and what the SLA watch does on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EscalationPolicy {
    /// The teams `POST /v1/cases/{id}/escalate` may name, with their levels.
    pub teams: Vec<EscalationTeam>,
    /// Support leads by shift (UTC hours); the first shift covering an hour holds it.
    pub leads: Vec<LeadShift>,
    /// Who is alerted when no lead shift covers the hour.
    pub fallback: Vec<String>,
    /// A breach of these priorities escalates the case to the lead on shift.
    pub breach_escalates: Vec<Priority>,
    /// These page the lead on shift on arrival and at each warning while unclaimed.
    pub page_unclaimed: Vec<Priority>,
    /// New cases of these priorities are announced in the team channel.
    pub announce_new: Vec<Priority>,
}

/// A team a case can be escalated to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EscalationTeam {
    /// What `POST /v1/cases/{id}/escalate` names (`platform-engineering`).
    pub key: String,
    /// For people (`Platform engineering`).
    pub name: String,
    /// Its levels, lowest first.
    pub levels: Vec<EscalationLevel>,
}

/// One level of a team: who holds the case there and whom it alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EscalationLevel {
    /// What `POST /v1/cases/{id}/escalate` names as `level` (1 to 3).
    pub level: u8,
    /// Who holds the case at this level ("On-call engineer").
    pub holder: String,
    /// IM handles alerted when a case reaches this level.
    pub notify: Vec<String>,
}

/// A support lead's shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LeadShift {
    pub name: String,
    /// The lead's IM handle (`@mei`).
    pub handle: String,
    /// Start hour (inclusive) and end hour (exclusive), UTC; 22 → 6 wraps midnight.
    #[cfg_attr(feature = "openapi", schemars(range(max = 24)))]
    pub from_hour: u8,
    /// The shift's end, UTC (exclusive); a shift from 22 to 6 wraps midnight.
    #[cfg_attr(feature = "openapi", schemars(range(max = 24)))]
    pub to_hour: u8,
}

/// The escalation a breach makes on its own.
pub const LEAD_TEAM: &str = "support-leads";

impl Default for EscalationPolicy {
    fn default() -> Self {
        let team = |key: &str, name: &str, handle: &str| EscalationTeam {
            key: key.into(),
            name: name.into(),
            levels: [
                (1, "On-call engineer", "oncall"),
                (2, "Team lead", "lead"),
                (3, "Engineering manager", "manager"),
            ]
            .into_iter()
            .map(|(level, holder, who)| EscalationLevel {
                level,
                holder: holder.into(),
                notify: vec![format!("@{handle}-{who}")],
            })
            .collect(),
        };
        let shift = |name: &str, from_hour, to_hour| LeadShift {
            name: name.into(),
            handle: format!("@{}", name.to_lowercase()),
            from_hour,
            to_hour,
        };
        EscalationPolicy {
            teams: vec![
                team("platform-engineering", "Platform engineering", "platform"),
                team("data", "Data", "data"),
                team("access", "Access management", "access"),
                team("ts-tooling", "T&S tooling", "ts-tooling"),
                EscalationTeam {
                    key: LEAD_TEAM.into(),
                    name: "Support leads".into(),
                    levels: vec![EscalationLevel {
                        level: 1,
                        holder: "Lead on shift".into(),
                        notify: vec![],
                    }],
                },
            ],
            leads: vec![
                shift("Mei", 0, 8),
                shift("Lars", 8, 16),
                shift("Ana", 16, 24),
            ],
            fallback: vec!["@support-leads".into()],
            breach_escalates: vec![Priority::P1, Priority::P2],
            page_unclaimed: vec![Priority::P1],
            announce_new: vec![Priority::P1, Priority::P2],
        }
    }
}

/// Where an escalation lands: the team and level, and who to alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRoute {
    pub team: String,
    pub team_name: String,
    pub level: u8,
    pub holder: String,
    pub notify: Vec<String>,
}

impl EscalationPolicy {
    /// Checks a requested escalation against the policy; errors name the field.
    pub fn route(
        &self,
        team: &str,
        level: u8,
        now: EpochMillis,
    ) -> Result<EscalationRoute, ValidationError> {
        let found =
            self.teams
                .iter()
                .find(|t| t.key == team.trim())
                .ok_or(ValidationError::Invalid {
                    field: "team",
                    reason: "not a team in the escalation policy (see GET /v1/escalation/policy)",
                })?;
        let step = found
            .levels
            .iter()
            .find(|l| l.level == level && level <= MAX_ESCALATION_LEVEL)
            .ok_or(ValidationError::Invalid {
                field: "level",
                reason: "not a level of that team in the escalation policy",
            })?;
        let mut notify = step.notify.clone();
        if found.key == LEAD_TEAM {
            notify.extend(self.lead_handles(now));
        }
        Ok(EscalationRoute {
            team: found.key.clone(),
            team_name: found.name.clone(),
            level,
            holder: step.holder.clone(),
            notify,
        })
    }

    /// The lead whose shift covers `now`, if any.
    pub fn lead_on_shift(&self, now: EpochMillis) -> Option<&LeadShift> {
        let hour = utc(now).hour() as u8;
        self.leads.iter().find(|s| s.covers(hour))
    }

    /// Whom to alert for something the lead on shift must see.
    pub fn lead_handles(&self, now: EpochMillis) -> Vec<String> {
        match self.lead_on_shift(now) {
            Some(lead) => vec![lead.handle.clone()],
            None => self.fallback.clone(),
        }
    }

    /// The escalation a breach of `priority` makes by itself, if any: none
    /// when the case is already escalated (a person's escalation stands, and a
    /// second breach does not escalate again).
    pub fn on_breach(
        &self,
        priority: Priority,
        already_escalated: bool,
        now: EpochMillis,
    ) -> Option<EscalationRoute> {
        if already_escalated || !self.breach_escalates.contains(&priority) {
            return None;
        }
        self.route(LEAD_TEAM, 1, now).ok()
    }

    /// Whether a case of `priority` that nobody has claimed pages the lead.
    pub fn pages_unclaimed(&self, priority: Priority) -> bool {
        self.page_unclaimed.contains(&priority)
    }

    pub fn announces(&self, priority: Priority) -> bool {
        self.announce_new.contains(&priority)
    }
}

impl LeadShift {
    fn covers(&self, hour: u8) -> bool {
        if self.from_hour <= self.to_hour {
            (self.from_hour..self.to_hour).contains(&hour)
        } else {
            hour >= self.from_hour || hour < self.to_hour
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    // 2026-11-26T00:00:00Z.
    const MIDNIGHT: i64 = 1_795_651_200_000;

    #[test]
    fn a_known_team_and_level_route_to_who_holds_it() {
        let route = EscalationPolicy::default()
            .route("data", 2, MIDNIGHT)
            .unwrap();
        assert_eq!(route.team_name, "Data");
        assert_eq!(route.holder, "Team lead");
        assert_eq!(route.notify, vec!["@data-lead".to_string()]);
    }

    #[test]
    fn unknown_teams_and_levels_name_their_field() {
        let policy = EscalationPolicy::default();
        assert_eq!(policy.route("sales", 1, 0).unwrap_err().field(), "team");
        assert_eq!(policy.route("data", 4, 0).unwrap_err().field(), "level");
        assert_eq!(policy.route(LEAD_TEAM, 2, 0).unwrap_err().field(), "level");
    }

    #[test]
    fn the_lead_on_shift_follows_the_rota_and_wraps_midnight() {
        let mut policy = EscalationPolicy::default();
        assert_eq!(
            policy.lead_on_shift(MIDNIGHT + 3 * HOUR).unwrap().name,
            "Mei"
        );
        assert_eq!(
            policy.lead_on_shift(MIDNIGHT + 9 * HOUR).unwrap().name,
            "Lars"
        );
        assert_eq!(
            policy.lead_on_shift(MIDNIGHT + 23 * HOUR).unwrap().name,
            "Ana"
        );
        policy.leads = vec![LeadShift {
            name: "Night".into(),
            handle: "@night".into(),
            from_hour: 22,
            to_hour: 6,
        }];
        assert_eq!(policy.lead_handles(MIDNIGHT + 23 * HOUR), vec!["@night"]);
        assert_eq!(policy.lead_handles(MIDNIGHT + 5 * HOUR), vec!["@night"]);
        assert_eq!(
            policy.lead_handles(MIDNIGHT + 12 * HOUR),
            vec!["@support-leads"]
        );
    }

    #[test]
    fn breaches_of_p1_and_p2_escalate_to_the_lead_on_shift_only() {
        let policy = EscalationPolicy::default();
        let route = policy
            .on_breach(Priority::P2, false, MIDNIGHT + 10 * HOUR)
            .unwrap();
        assert_eq!(route.team, LEAD_TEAM);
        assert_eq!(route.notify, vec!["@lars"]);
        assert!(policy.on_breach(Priority::P3, false, MIDNIGHT).is_none());
        assert!(policy.on_breach(Priority::P1, true, MIDNIGHT).is_none());
        assert!(policy.pages_unclaimed(Priority::P1) && !policy.pages_unclaimed(Priority::P2));
    }

    #[test]
    fn the_policy_reads_from_json() {
        let json = serde_json::to_string(&EscalationPolicy::default()).unwrap();
        let back: EscalationPolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, EscalationPolicy::default());
    }
}
