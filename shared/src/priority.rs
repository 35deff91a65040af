//! How urgent a case is: the reporter's impact × urgency, looked up in a table,
//! then raised by strong signals in the text ("outage", "data loss"). Both
//! tables are data a lead can read and change here.

use serde::{Deserialize, Serialize};

/// How many people the problem touches, in the reporter's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Just me.
    Individual,
    /// My team.
    Team,
    /// Many users, or everyone on the platform.
    Organization,
}

/// How badly the reporter is held up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// I cannot work, no workaround.
    Blocked,
    /// Slowed down; a workaround exists.
    Degraded,
    /// A question or how-to.
    Question,
}

impl Impact {
    pub const ALL: [Impact; 3] = [Impact::Individual, Impact::Team, Impact::Organization];

    /// The wire name (`individual`, `team`, `organization`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Team => "team",
            Self::Organization => "organization",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == value)
    }
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Blocked, Urgency::Degraded, Urgency::Question];

    /// The wire name (`blocked`, `degraded`, `question`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blocked => "blocked",
            Self::Degraded => "degraded",
            Self::Question => "question",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == value)
    }
}

/// P1 (platform down) to P4 (a question). Orders most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(value))
    }
}

/// Impact × urgency → priority (the design's SLA table: one user blocked with no
/// workaround is P2; a platform down for many is P1).
pub const PRIORITY_MATRIX: [(Impact, Urgency, Priority); 9] = [
    (Impact::Organization, Urgency::Blocked, Priority::P1),
    (Impact::Organization, Urgency::Degraded, Priority::P2),
    (Impact::Organization, Urgency::Question, Priority::P3),
    (Impact::Team, Urgency::Blocked, Priority::P2),
    (Impact::Team, Urgency::Degraded, Priority::P3),
    (Impact::Team, Urgency::Question, Priority::P4),
    (Impact::Individual, Urgency::Blocked, Priority::P2),
    (Impact::Individual, Urgency::Degraded, Priority::P3),
    (Impact::Individual, Urgency::Question, Priority::P4),
];

/// Phrases that, found in the title or description, raise a case to at least
/// the given priority. Matched case-insensitively as substrings.
pub const TEXT_SIGNALS: [(&str, Priority); 16] = [
    ("outage", Priority::P1),
    ("all users", Priority::P1),
    ("everyone", Priority::P1),
    ("data loss", Priority::P1),
    ("security", Priority::P1),
    ("breach", Priority::P1),
    ("leak", Priority::P1),
    ("platform down", Priority::P1),
    ("所有用户", Priority::P1),
    ("宕机", Priority::P1),
    ("数据丢失", Priority::P1),
    ("安全", Priority::P1),
    ("cannot log in", Priority::P2),
    ("can't log in", Priority::P2),
    ("locked out", Priority::P2),
    ("无法登录", Priority::P2),
];

/// The priority of a case from what the reporter chose and what they wrote.
pub fn priority_for(impact: Impact, urgency: Urgency, text: &str) -> Priority {
    let from_matrix = PRIORITY_MATRIX
        .iter()
        .find(|(i, u, _)| *i == impact && *u == urgency)
        .map_or(Priority::P3, |(_, _, p)| *p);
    let lowered = text.to_lowercase();
    TEXT_SIGNALS
        .iter()
        .filter(|(phrase, _)| lowered.contains(phrase))
        .map(|(_, p)| *p)
        .fold(from_matrix, Ord::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_user_blocked_without_workaround_is_p2() {
        assert_eq!(
            priority_for(Impact::Individual, Urgency::Blocked, "cannot export"),
            Priority::P2
        );
    }

    #[test]
    fn many_users_blocked_is_p1_and_a_question_is_p4() {
        assert_eq!(
            priority_for(Impact::Organization, Urgency::Blocked, ""),
            Priority::P1
        );
        assert_eq!(
            priority_for(Impact::Individual, Urgency::Question, "how do I"),
            Priority::P4
        );
    }

    #[test]
    fn strong_signals_raise_but_never_lower() {
        assert_eq!(
            priority_for(
                Impact::Individual,
                Urgency::Question,
                "Possible DATA LOSS in exports"
            ),
            Priority::P1
        );
        assert_eq!(
            priority_for(Impact::Team, Urgency::Degraded, "我无法登录"),
            Priority::P2
        );
        assert_eq!(
            priority_for(Impact::Organization, Urgency::Blocked, "locked out"),
            Priority::P1
        );
    }

    #[test]
    fn every_impact_and_urgency_pair_is_in_the_matrix() {
        for i in [Impact::Individual, Impact::Team, Impact::Organization] {
            for u in [Urgency::Blocked, Urgency::Degraded, Urgency::Question] {
                assert_eq!(
                    PRIORITY_MATRIX
                        .iter()
                        .filter(|(a, b, _)| *a == i && *b == u)
                        .count(),
                    1
                );
            }
        }
    }

    #[test]
    fn priority_parses_its_own_names() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert_eq!(Priority::parse("P5"), None);
    }

    #[test]
    fn impact_and_urgency_names_are_the_wire_names() {
        for impact in Impact::ALL {
            let wire = serde_json::to_value(impact).unwrap();
            assert_eq!(wire, impact.as_str());
            assert_eq!(Impact::parse(impact.as_str()), Some(impact));
        }
        for urgency in Urgency::ALL {
            let wire = serde_json::to_value(urgency).unwrap();
            assert_eq!(wire, urgency.as_str());
            assert_eq!(Urgency::parse(urgency.as_str()), Some(urgency));
        }
        assert_eq!(Impact::parse("everyone"), None);
    }
}
