//! The team channel's pace: how many messages a minute it takes, and the
//! digest that stands for the rest. A burst (2,000 look-alike P1s, a sweep
//! over a lapsed backlog) must not bury the channel, and nothing may vanish
//! silently either: what is held back is sent as one message that counts it.

use std::collections::BTreeMap;

use crate::clock::{iso, EpochMillis};
use crate::notify::{Notification, NotificationKind};

/// Messages a minute the channel takes by default (Slack's incoming webhooks
/// take about one a second; a person reads far fewer).
pub const DEFAULT_MESSAGES_PER_MINUTE: u32 = 20;

/// How many case references a digest quotes before it says "and N more".
const DIGEST_REFS_MAX: usize = 10;

/// What to do with `pending` notifications when the channel can take
/// `allowance` more messages this minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPlan {
    /// The oldest this many go out one by one.
    pub one_by_one: usize,
    /// The rest go as one digest.
    pub digest: bool,
}

pub fn plan_delivery(pending: usize, allowance: u32) -> DeliveryPlan {
    let allowance = allowance as usize;
    if pending <= allowance {
        DeliveryPlan {
            one_by_one: pending,
            digest: false,
        }
    } else if allowance == 0 {
        // Nothing this minute: everything waits for the next.
        DeliveryPlan {
            one_by_one: 0,
            digest: false,
        }
    } else {
        DeliveryPlan {
            one_by_one: allowance - 1,
            digest: true,
        }
    }
}

/// One message for `held` notifications (plus `more` not read, counted only):
/// how many of each kind, and the first cases' references.
pub fn digest(held: &[Notification], more: usize, now: EpochMillis) -> Notification {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for n in held {
        *kinds.entry(kind_name(n.kind)).or_default() += 1;
    }
    let counts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let mut refs: Vec<&str> = held
        .iter()
        .filter_map(|n| n.case.as_ref().map(|c| c.case_ref.as_str()))
        .collect();
    refs.dedup();
    let total = held.len() + more;
    let mut text = format!(
        "{total} notifications held back by the channel's rate limit: {}",
        counts.join(", ")
    );
    if more > 0 {
        text.push_str(&format!(", {more} more"));
    }
    if !refs.is_empty() {
        let shown = refs.len().min(DIGEST_REFS_MAX);
        text.push_str(&format!(". Cases: {}", refs[..shown].join(", ")));
        if refs.len() > shown {
            text.push_str(&format!(" and {} more", refs.len() - shown));
        }
    }
    text.push_str(". The queue has them all.");
    let mut mentions: Vec<String> = held.iter().flat_map(|n| n.mentions.clone()).collect();
    mentions.sort();
    mentions.dedup();
    Notification::general(NotificationKind::Digest, text, mentions, iso(now))
}

fn kind_name(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::NewCase => "new cases",
        NotificationKind::Page => "pages",
        NotificationKind::SlaWarning => "SLA warnings",
        NotificationKind::SlaBreached => "SLA breaches",
        NotificationKind::Escalated => "escalations",
        NotificationKind::Incident => "incident updates",
        NotificationKind::Reply => "replies",
        NotificationKind::HandedOver => "handovers",
        NotificationKind::ShiftEnded => "shift ends",
        NotificationKind::DailyReport => "daily reports",
        NotificationKind::Digest => "digests",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::CaseLine;

    fn page(n: i64) -> Notification {
        Notification::about_case(
            NotificationKind::Page,
            CaseLine {
                id: n,
                case_ref: format!("HL-{}", 1000 + n),
                priority: "P1".into(),
                platform: "ads".into(),
                title: "down".into(),
            },
            "",
            vec!["@mei".into()],
            "2026-12-01T00:00:00Z".into(),
        )
    }

    #[test]
    fn within_the_allowance_everything_goes_one_by_one() {
        assert_eq!(
            plan_delivery(5, 20),
            DeliveryPlan {
                one_by_one: 5,
                digest: false
            }
        );
    }

    #[test]
    fn past_the_allowance_the_last_message_is_a_digest_of_the_rest() {
        assert_eq!(
            plan_delivery(2_107, 20),
            DeliveryPlan {
                one_by_one: 19,
                digest: true
            }
        );
        assert_eq!(
            plan_delivery(3, 0),
            DeliveryPlan {
                one_by_one: 0,
                digest: false
            },
            "a spent minute holds everything for the next"
        );
    }

    #[test]
    fn a_digest_counts_what_it_holds_and_quotes_the_first_cases() {
        let held: Vec<_> = (1..=12).map(page).collect();
        let d = digest(&held, 2_000, 0);
        assert_eq!(d.kind, NotificationKind::Digest);
        assert!(d.text.contains("2012 notifications"), "{}", d.text);
        assert!(d.text.contains("12 pages"), "{}", d.text);
        assert!(d.text.contains("HL-1001, HL-1002"), "{}", d.text);
        assert!(d.text.contains("and 2 more"), "{}", d.text);
        assert_eq!(
            d.mentions,
            vec!["@mei".to_string()],
            "one mention, not twelve"
        );
    }
}
