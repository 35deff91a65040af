//! What the team channel hears of an incident (a burst of look-alike cases,
//! detected by `malfunction`): one message when it opens, mentioning the lead
//! on shift; then at most a periodic count; and who resolved it. Its cases
//! are told through it, never one page each.

use crate::clock::{iso, EpochMillis};
use crate::escalation::EscalationPolicy;
use crate::malfunction::{incident_title, MalfunctionRule};
use crate::notify::{for_new_case, CaseLine, Notification, NotificationKind};
use crate::priority::Priority;

/// Where an incident stands (stored by these names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentStatus {
    Open,
    Resolved,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
        }
    }
}

/// How often the channel hears an open incident's count, at most.
pub const GROWTH_EVERY_MS: EpochMillis = 10 * 60_000;

fn about(id: i64, text: String, mentions: Vec<String>, now: EpochMillis) -> Notification {
    let mut notification =
        Notification::general(NotificationKind::Incident, text, mentions, iso(now));
    notification.incident_id = Some(id);
    notification
}

/// The incident `id` of `signature` just opened under `rule`.
pub fn opened(
    rule: MalfunctionRule,
    id: i64,
    signature: &str,
    lead_handles: Vec<String>,
    now: EpochMillis,
) -> Notification {
    let text = format!(
        "#{id} {}: {} or more similar cases within {} min (GET /v1/incidents/{id})",
        incident_title(signature),
        rule.threshold(),
        rule.window_minutes.max(1)
    );
    about(id, text, lead_handles, now)
}

/// Which incident a new case's arrival touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// It belongs to no incident.
    Alone,
    /// It opened incident `id` (with the burst before it).
    Opened(i64),
    /// It joined an incident already open.
    Joined,
}

/// What the channel hears when a case arrives: a case of an incident is told
/// through it (the incident's opening message, then its periodic count),
/// never a page each; any other urgent case is announced or pages the lead.
pub fn for_arrival(
    arrival: Arrival,
    (policy, rule): (&EscalationPolicy, MalfunctionRule),
    case: &CaseLine,
    (priority, signature): (Priority, &str),
    now: EpochMillis,
) -> Vec<Notification> {
    match arrival {
        Arrival::Opened(id) => vec![opened(rule, id, signature, policy.lead_handles(now), now)],
        Arrival::Joined => vec![],
        Arrival::Alone => for_new_case(policy, case, priority, now),
    }
}

/// More cases joined the open incident since it was last told.
pub fn grown(id: i64, title: &str, cases: i64, now: EpochMillis) -> Notification {
    let text = format!("#{id} {title}: {cases} similar cases so far (GET /v1/incidents/{id})");
    about(id, text, vec![], now)
}

/// `by` resolved the incident, with what they said if anything.
pub fn resolved(
    id: i64,
    title: &str,
    by: &str,
    resolution: Option<&str>,
    now: EpochMillis,
) -> Notification {
    let said = resolution.map(|r| format!(": {r}")).unwrap_or_default();
    about(
        id,
        format!("#{id} {title} resolved by {by}{said}"),
        vec![],
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opened_incident_says_its_rule_and_pages_the_lead() {
        let rule = MalfunctionRule {
            threshold: 5,
            window_minutes: 15,
        };
        let told = opened(rule, 7, "ads|billing|Error: 502", vec!["@mei".into()], 0);
        assert_eq!(told.kind, NotificationKind::Incident);
        assert_eq!(told.incident_id, Some(7));
        assert_eq!(told.mentions, ["@mei"]);
        assert!(told.text.contains("#7 "), "{}", told.text);
        assert!(told.text.contains("5 or more similar cases within 15 min"));
        assert!(told.text.contains("GET /v1/incidents/7"));
    }

    #[test]
    fn growth_and_resolution_mention_nobody() {
        let grown = grown(7, "ads: 502", 41, 0);
        assert!(grown.mentions.is_empty());
        assert!(grown
            .text
            .ends_with("#7 ads: 502: 41 similar cases so far (GET /v1/incidents/7)"));
        let done = resolved(7, "ads: 502", "Lee", Some("rolled back"), 0);
        assert!(done
            .text
            .ends_with("#7 ads: 502 resolved by Lee: rolled back"));
        let quiet = resolved(7, "ads: 502", "Lee", None, 0);
        assert!(quiet.text.ends_with("resolved by Lee"));
    }

    #[test]
    fn a_case_of_an_incident_is_told_through_it() {
        let policy = EscalationPolicy::default();
        let rule = MalfunctionRule::default();
        let line = CaseLine {
            id: 1,
            case_ref: "HL-1".into(),
            priority: "P1".into(),
            platform: "ads".into(),
            title: "down".into(),
        };
        let told = |arrival| {
            for_arrival(arrival, (&policy, rule), &line, (Priority::P1, "ads|x"), 0)
                .into_iter()
                .map(|n| n.kind)
                .collect::<Vec<_>>()
        };
        assert_eq!(told(Arrival::Opened(9)), [NotificationKind::Incident]);
        assert_eq!(told(Arrival::Joined), []);
        assert_eq!(told(Arrival::Alone), [NotificationKind::Page]);
    }
}
