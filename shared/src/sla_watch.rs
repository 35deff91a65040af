//! Watching SLAs: which alerts a case is owed at a moment — a warning when a
//! target's window is mostly used (80% by default), a breach when it is missed —
//! given which it already had. Each alert is owed once: the flags record what
//! was raised, and a second sweep over the same case raises nothing new.

use crate::clock::{iso, EpochMillis};
use crate::escalation::{EscalationPolicy, EscalationRoute};
use crate::lifecycle::CaseStatus;
use crate::notify::{CaseLine, Notification, NotificationKind};
use crate::priority::Priority;
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

/// The first moment each alert is owed, as stored with the case: the sweep
/// finds every case owed an alert with one indexed comparison per kind
/// (`due <= now`), whatever the backlog, instead of reading cases one by one.
/// `None`: not owed from this state (already raised, met on time, moot, or
/// the clock is paused). Valid until the case changes; every write of a case
/// stores it anew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertSchedule {
    pub first_response_warning: Option<EpochMillis>,
    pub first_response_breach: Option<EpochMillis>,
    pub resolution_warning: Option<EpochMillis>,
    pub resolution_breach: Option<EpochMillis>,
}

impl AlertSchedule {
    /// When `alert` is owed.
    pub fn of(&self, alert: SlaAlert) -> Option<EpochMillis> {
        match alert {
            SlaAlert::FirstResponseWarning => self.first_response_warning,
            SlaAlert::FirstResponseBreached => self.first_response_breach,
            SlaAlert::ResolutionWarning => self.resolution_warning,
            SlaAlert::ResolutionBreached => self.resolution_breach,
        }
    }

    /// The alerts owed at `at` (in the order they happen), as [`alerts_due`]
    /// would answer for the same state: a warning whose breach is owed too
    /// is moot.
    pub fn due_at(&self, at: EpochMillis) -> Vec<SlaAlert> {
        let owed = |alert| self.of(alert).is_some_and(|t| t <= at);
        SlaAlert::ALL
            .into_iter()
            .filter(|alert| owed(*alert))
            .filter(|alert| match alert {
                SlaAlert::FirstResponseWarning => !owed(SlaAlert::FirstResponseBreached),
                SlaAlert::ResolutionWarning => !owed(SlaAlert::ResolutionBreached),
                _ => true,
            })
            .collect()
    }
}

/// The [`AlertSchedule`] of a case in this state, with `raised` the alerts it
/// has had. It holds from `now` on until the case changes: nothing in it moves
/// with time alone (a paused clock owes nothing new until it resumes, and a
/// resumed one is a change).
pub fn alert_schedule(
    clock: &SlaClock,
    target: SlaTarget,
    status: CaseStatus,
    raised: i64,
    warn_at: f64,
) -> AlertSchedule {
    if !status.is_open() {
        return AlertSchedule::default();
    }
    let not_raised =
        |alert: SlaAlert, at: Option<EpochMillis>| at.filter(|_| raised & alert.bit() == 0);
    // (warning, breach) for one target: a breach is owed from the first
    // millisecond past the window (pauses added), a warning from `warn_at`
    // of it; a target met (or a clock paused) before its window ran out
    // owes nothing, one met late owes its breach.
    let target_times = |met: Option<EpochMillis>, window: i64| {
        let shift_at = |at: EpochMillis| clock.paused_total(at);
        match (met, clock.paused_since) {
            (Some(at), _) => {
                let due = clock.created_at + window + shift_at(at);
                (None, (at > due).then_some(due + 1))
            }
            (None, Some(since)) => {
                let due = clock.created_at + window + clock.paused_ms;
                (None, (since > due).then_some(due + 1))
            }
            (None, None) => {
                let start = clock.created_at + clock.paused_ms;
                (
                    Some(start + (window as f64 * warn_at) as i64),
                    Some(start + window + 1),
                )
            }
        }
    };
    let (fr_warn, fr_breach) = target_times(clock.first_response_at, target.first_response_ms);
    let (res_warn, res_breach) = target_times(clock.resolved_at, target.resolution_ms);
    // A warning after its breach was raised would come after the fact.
    let moot = |breach: SlaAlert, warning: Option<EpochMillis>| {
        warning.filter(|_| raised & breach.bit() == 0)
    };
    AlertSchedule {
        first_response_warning: not_raised(
            SlaAlert::FirstResponseWarning,
            moot(SlaAlert::FirstResponseBreached, fr_warn),
        ),
        first_response_breach: not_raised(SlaAlert::FirstResponseBreached, fr_breach),
        resolution_warning: not_raised(
            SlaAlert::ResolutionWarning,
            moot(SlaAlert::ResolutionBreached, res_warn),
        ),
        resolution_breach: not_raised(SlaAlert::ResolutionBreached, res_breach),
    }
}

/// The team channel's message for an alert the sweep raised on a case that
/// is `status` now: a breach the policy escalated alerts whom the route
/// names; an unclaimed case's alert pages the lead on shift when its priority
/// pages; anything else is told to the channel without mentions.
pub fn alert_notification(
    policy: &EscalationPolicy,
    case: CaseLine,
    alert: SlaAlert,
    status: CaseStatus,
    escalated: Option<&EscalationRoute>,
    now: EpochMillis,
) -> Notification {
    let priority = Priority::parse(&case.priority);
    let unclaimed_page =
        status == CaseStatus::Queued && priority.is_some_and(|p| policy.pages_unclaimed(p));
    let (kind, mentions) = match escalated {
        Some(route) => (NotificationKind::SlaBreached, route.notify.clone()),
        None if unclaimed_page => (NotificationKind::Page, policy.lead_handles(now)),
        None if alert.is_breach() => (NotificationKind::SlaBreached, vec![]),
        None => (NotificationKind::SlaWarning, vec![]),
    };
    let detail = match escalated {
        Some(route) => format!(
            "{}; escalated to {} ({})",
            alert.describe(),
            route.team_name,
            route.holder
        ),
        None => alert.describe().to_string(),
    };
    Notification::about_case(kind, case, &detail, mentions, iso(now))
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
    fn the_schedule_names_the_first_moment_of_each_alert() {
        let clock = SlaClock::started(T0);
        let s = alert_schedule(&clock, p1(), CaseStatus::Queued, 0, DEFAULT_WARN_AT);
        assert_eq!(s.first_response_warning, Some(T0 + 12 * MIN));
        assert_eq!(s.first_response_breach, Some(T0 + 15 * MIN + 1));
        assert_eq!(s.resolution_breach, Some(T0 + 240 * MIN + 1));
        let raised = SlaAlert::FirstResponseBreached.bit();
        let after = alert_schedule(&clock, p1(), CaseStatus::Queued, raised, DEFAULT_WARN_AT);
        assert_eq!(
            (after.first_response_warning, after.first_response_breach),
            (None, None),
            "a raised breach is not owed again, and its warning is moot"
        );
        assert_eq!(
            alert_schedule(&clock, p1(), CaseStatus::Resolved, 0, DEFAULT_WARN_AT),
            AlertSchedule::default()
        );
    }

    mod schedule_agrees_with_alerts_due {
        use super::*;
        use proptest::prelude::*;

        fn status() -> impl Strategy<Value = CaseStatus> {
            prop::sample::select(CaseStatus::ALL.to_vec())
        }

        proptest! {
            /// Whatever the case's state, the stored schedule answers at
            /// every later moment what `alerts_due` answers then (until the
            /// case changes), so the set-based sweep raises what the rule says.
            #[test]
            fn at_every_later_moment(
                paused_ms in 0i64..10 * 60 * MIN,
                pause_started in prop::option::of(0i64..600 * MIN),
                first_response in prop::option::of(0i64..600 * MIN),
                resolved in prop::option::of(0i64..600 * MIN),
                status in status(),
                raised in 0i64..16,
                written_after in 0i64..600 * MIN,
                later in 0i64..600 * MIN,
            ) {
                let clock = SlaClock {
                    created_at: T0,
                    paused_ms,
                    paused_since: pause_started.map(|at| T0 + at),
                    first_response_at: first_response.map(|at| T0 + at),
                    resolved_at: resolved.map(|at| T0 + at),
                };
                // The state was written once everything in it had happened.
                let latest = [pause_started, first_response, resolved]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(0);
                let written = T0 + latest + written_after;
                // A breach is only ever raised once it happened (and stays
                // happened: nothing but a change of the case moves it).
                let happened = clock.breaches(p1(), written);
                let raised = raised
                    & !(if happened.first_response { 0 } else { SlaAlert::FirstResponseBreached.bit() })
                    & !(if happened.resolution { 0 } else { SlaAlert::ResolutionBreached.bit() });
                let schedule = alert_schedule(&clock, p1(), status, raised, DEFAULT_WARN_AT);
                let at = written + later;
                prop_assert_eq!(
                    schedule.due_at(at),
                    alerts_due(&clock, p1(), status, raised, at, DEFAULT_WARN_AT)
                );
            }
        }
    }

    fn line(priority: &str) -> CaseLine {
        CaseLine {
            id: 7,
            case_ref: "HL-1007".into(),
            priority: priority.into(),
            platform: "ads-console".into(),
            title: "Export fails".into(),
        }
    }

    #[test]
    fn an_escalated_breach_alerts_the_route_an_unclaimed_p1_pages_the_lead() {
        use crate::escalation::EscalationPolicy;
        let policy = EscalationPolicy::default();
        let breach = SlaAlert::FirstResponseBreached;
        let route = policy.on_breach(Priority::P1, false, T0).unwrap();
        let escalated = alert_notification(
            &policy,
            line("P1"),
            breach,
            CaseStatus::Queued,
            Some(&route),
            T0,
        );
        assert_eq!(escalated.kind, NotificationKind::SlaBreached);
        assert_eq!(escalated.mentions, route.notify);
        assert!(
            escalated.text.contains("escalated to"),
            "{}",
            escalated.text
        );

        let warning = SlaAlert::FirstResponseWarning;
        let page = alert_notification(&policy, line("P1"), warning, CaseStatus::Queued, None, T0);
        assert_eq!(page.kind, NotificationKind::Page);
        assert_eq!(page.mentions, policy.lead_handles(T0));
        let claimed = alert_notification(
            &policy,
            line("P1"),
            warning,
            CaseStatus::InProgress,
            None,
            T0,
        );
        assert_eq!(
            (claimed.kind, claimed.mentions.len()),
            (NotificationKind::SlaWarning, 0)
        );
        let p3 = alert_notification(&policy, line("P3"), breach, CaseStatus::Queued, None, T0);
        assert_eq!(
            (p3.kind, p3.mentions.len()),
            (NotificationKind::SlaBreached, 0)
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
