//! Watching SLAs: which alerts a case is owed at a moment — a warning when a
//! target's window is mostly used (80% by default), a breach when it is missed —
//! given which it already had. Each alert is owed once: the flags record what
//! was raised, and a second sweep over the same case raises nothing new.

use crate::clock::EpochMillis;
use crate::lifecycle::CaseStatus;
use crate::sla::{SlaClock, SlaPolicy, SlaTarget};

/// Warn when this share of a target's window has gone by.
pub const DEFAULT_WARN_AT: f64 = 0.8;

/// One alert a case can be owed; each is a bit in the stored flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaAlert {
    FirstResponseWarning,
    FirstResponseBreached,
    ResolutionWarning,
    ResolutionBreached,
}

impl SlaAlert {
    pub const ALL: [SlaAlert; 4] = [
        Self::FirstResponseWarning,
        Self::FirstResponseBreached,
        Self::ResolutionWarning,
        Self::ResolutionBreached,
    ];

    /// The bit recording that this alert was raised.
    pub fn bit(self) -> i64 {
        match self {
            Self::FirstResponseWarning => 1,
            Self::FirstResponseBreached => 2,
            Self::ResolutionWarning => 4,
            Self::ResolutionBreached => 8,
        }
    }

    pub fn is_breach(self) -> bool {
        matches!(self, Self::FirstResponseBreached | Self::ResolutionBreached)
    }

    /// What the audit trail says.
    pub fn describe(self) -> &'static str {
        match self {
            Self::FirstResponseWarning => "first response due soon",
            Self::FirstResponseBreached => "first response target missed",
            Self::ResolutionWarning => "resolution due soon",
            Self::ResolutionBreached => "resolution target missed",
        }
    }
}

/// The alerts owed at `now` that the `raised` flags do not record yet, in the
/// order they happen. Resolved and closed cases are owed nothing more; a
/// paused clock owes no warning (nobody can act), but a miss stays a miss.
pub fn alerts_due(
    clock: &SlaClock,
    target: SlaTarget,
    status: CaseStatus,
    raised: i64,
    now: EpochMillis,
    warn_at: f64,
) -> Vec<SlaAlert> {
    if !status.is_open() {
        return Vec::new();
    }
    let breaches = clock.breaches(target, now);
    let shift = clock.paused_total(now);
    let warned = |met: Option<EpochMillis>, window: i64| {
        met.is_none()
            && !clock.is_paused()
            && now >= clock.created_at + (window as f64 * warn_at) as i64 + shift
    };
    let owed = [
        (
            SlaAlert::FirstResponseWarning,
            warned(clock.first_response_at, target.first_response_ms),
        ),
        (SlaAlert::FirstResponseBreached, breaches.first_response),
        (
            SlaAlert::ResolutionWarning,
            warned(clock.resolved_at, target.resolution_ms),
        ),
        (SlaAlert::ResolutionBreached, breaches.resolution),
    ];
    owed.into_iter()
        // A breach makes the warning moot: it is not raised after the fact.
        .filter(|(alert, due)| *due && raised & alert.bit() == 0)
        .filter(|(alert, _)| match alert {
            SlaAlert::FirstResponseWarning => !breaches.first_response,
            SlaAlert::ResolutionWarning => !breaches.resolution,
            _ => true,
        })
        .map(|(alert, _)| alert)
        .collect()
}

/// How far ahead of a case's next deadline a sweep must look to catch its
/// warnings: the largest share of any window that comes after the warning.
pub fn look_ahead_ms(policy: &SlaPolicy, warn_at: f64) -> i64 {
    let longest = [policy.p1, policy.p2, policy.p3, policy.p4]
        .iter()
        .map(|t| t.first_response_ms.max(t.resolution_ms))
        .max()
        .unwrap_or(0);
    (longest as f64 * (1.0 - warn_at)).ceil() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Priority;

    const T0: EpochMillis = 1_795_600_000_000;
    const MIN: i64 = 60_000;

    fn p1() -> SlaTarget {
        SlaPolicy::default().target(Priority::P1)
    }

    fn due(clock: &SlaClock, raised: i64, now: EpochMillis) -> Vec<SlaAlert> {
        alerts_due(
            clock,
            p1(),
            CaseStatus::Queued,
            raised,
            now,
            DEFAULT_WARN_AT,
        )
    }

    #[test]
    fn p1_warns_at_12_minutes_and_breaches_after_15() {
        let clock = SlaClock::started(T0);
        assert!(due(&clock, 0, T0 + 12 * MIN - 1).is_empty());
        assert_eq!(
            due(&clock, 0, T0 + 12 * MIN),
            vec![SlaAlert::FirstResponseWarning]
        );
        assert_eq!(
            due(&clock, 1, T0 + 15 * MIN + 1),
            vec![SlaAlert::FirstResponseBreached]
        );
    }

    #[test]
    fn each_alert_is_owed_once() {
        let clock = SlaClock::started(T0);
        let later = T0 + 5 * 60 * MIN;
        let first = due(&clock, 0, later);
        assert_eq!(
            first,
            vec![
                SlaAlert::FirstResponseBreached,
                SlaAlert::ResolutionBreached
            ],
            "warnings for targets already missed are not raised"
        );
        let raised = first.iter().fold(0, |flags, a| flags | a.bit());
        assert!(due(&clock, raised, later + MIN).is_empty());
    }

    #[test]
    fn a_paused_clock_owes_no_warning_and_moves_the_deadline() {
        let mut clock = SlaClock::started(T0);
        clock.record_first_response(T0 + MIN);
        clock.on_status_change(
            CaseStatus::InProgress,
            CaseStatus::WaitingOnUser,
            T0 + 2 * MIN,
        );
        // 3 h 30 into a 4 h resolution window, but paused since minute 2.
        let at = T0 + 210 * MIN;
        assert!(alerts_due(
            &clock,
            p1(),
            CaseStatus::WaitingOnUser,
            0,
            at,
            DEFAULT_WARN_AT
        )
        .is_empty());
        clock.on_status_change(CaseStatus::WaitingOnUser, CaseStatus::InProgress, at);
        // Resumed with 3 h 58 left: no warning until 80% of the window is used.
        assert!(due(&clock, 0, at + 60 * MIN).is_empty());
        assert_eq!(
            due(&clock, 0, at + 190 * MIN),
            vec![SlaAlert::ResolutionWarning]
        );
    }

    #[test]
    fn resolved_cases_are_owed_nothing() {
        let clock = SlaClock::started(T0);
        let late = T0 + 10 * 60 * MIN;
        assert!(
            alerts_due(&clock, p1(), CaseStatus::Resolved, 0, late, DEFAULT_WARN_AT).is_empty()
        );
    }

    #[test]
    fn the_sweep_looks_ahead_a_fifth_of_the_longest_window() {
        assert_eq!(look_ahead_ms(&SlaPolicy::default(), 0.8), 72 * 60 * MIN / 5);
    }

    /// A sweep every minute over an unanswered case of each priority, with
    /// the default policies: every alert comes once, at its time, and only a
    /// P1/P2 breach escalates, once.
    #[test]
    fn minute_sweeps_over_each_priority_alert_once_each_and_escalate_p1_p2() {
        use crate::escalation::EscalationPolicy;
        let policy = SlaPolicy::default();
        let escalation = EscalationPolicy::default();
        for priority in [Priority::P1, Priority::P2, Priority::P3, Priority::P4] {
            let target = policy.target(priority);
            let clock = SlaClock::started(T0);
            let mut raised = 0;
            let mut seen = Vec::new();
            let mut escalations = 0;
            let mut now = T0;
            while now <= T0 + target.resolution_ms + 2 * MIN {
                for alert in alerts_due(
                    &clock,
                    target,
                    CaseStatus::Queued,
                    raised,
                    now,
                    DEFAULT_WARN_AT,
                ) {
                    raised |= alert.bit();
                    seen.push((alert, now - T0));
                    if alert.is_breach()
                        && escalation
                            .on_breach(priority, escalations > 0, now)
                            .is_some()
                    {
                        escalations += 1;
                    }
                }
                now += MIN;
            }
            let at = |window: i64| window * 4 / 5;
            // A breach is seen at the first sweep after the target.
            let after = |window: i64| window + MIN - window % MIN;
            assert_eq!(
                seen,
                vec![
                    (SlaAlert::FirstResponseWarning, at(target.first_response_ms)),
                    (
                        SlaAlert::FirstResponseBreached,
                        after(target.first_response_ms)
                    ),
                    (SlaAlert::ResolutionWarning, at(target.resolution_ms)),
                    (SlaAlert::ResolutionBreached, after(target.resolution_ms)),
                ],
                "{priority:?}"
            );
            let expected = usize::from(matches!(priority, Priority::P1 | Priority::P2));
            assert_eq!(escalations, expected, "{priority:?}");
        }
    }
}
