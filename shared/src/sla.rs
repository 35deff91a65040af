//! The SLA clock: when a case's first response and resolution are due, how long
//! is left, and whether either was breached. Time only moves when the caller
//! says so (every function takes `now`), and the clock stops while the case
//! waits on the user, because the team cannot act then.

use crate::clock::EpochMillis;
use crate::lifecycle::CaseStatus;
use crate::priority::Priority;
use serde::{Deserialize, Serialize};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// Targets for one priority, in milliseconds of working time (24/7 shifts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub first_response_ms: i64,
    pub resolution_ms: i64,
}

/// Targets per priority. The default is the design's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub p1: SlaTarget,
    pub p2: SlaTarget,
    pub p3: SlaTarget,
    pub p4: SlaTarget,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        let target = |first: i64, resolution: i64| SlaTarget {
            first_response_ms: first,
            resolution_ms: resolution,
        };
        SlaPolicy {
            p1: target(15 * MINUTE, 4 * HOUR),
            p2: target(HOUR, 8 * HOUR),
            p3: target(4 * HOUR, 48 * HOUR),
            p4: target(8 * HOUR, 72 * HOUR),
        }
    }
}

impl SlaPolicy {
    pub fn target(&self, priority: Priority) -> SlaTarget {
        match priority {
            Priority::P1 => self.p1,
            Priority::P2 => self.p2,
            Priority::P3 => self.p3,
            Priority::P4 => self.p4,
        }
    }
}

/// A case's SLA state as stored with the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlaClock {
    pub created_at: EpochMillis,
    /// Total time spent waiting on the user, excluding a pause still running.
    pub paused_ms: i64,
    /// When the current wait on the user began, if the clock is stopped.
    pub paused_since: Option<EpochMillis>,
    pub first_response_at: Option<EpochMillis>,
    pub resolved_at: Option<EpochMillis>,
}

/// When each target falls due (`None` once met), after pauses up to `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaDue {
    pub first_response: Option<EpochMillis>,
    pub resolution: Option<EpochMillis>,
}

/// Which targets were missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaBreaches {
    pub first_response: bool,
    pub resolution: bool,
}

impl SlaClock {
    pub fn started(at: EpochMillis) -> Self {
        SlaClock {
            created_at: at,
            ..Self::default()
        }
    }

    /// Time paused so far, counting a pause still running up to `now`.
    pub fn paused_total(&self, now: EpochMillis) -> i64 {
        self.paused_ms + self.paused_since.map_or(0, |since| (now - since).max(0))
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    /// The due times of the targets not yet met.
    pub fn due(&self, target: SlaTarget, now: EpochMillis) -> SlaDue {
        let shift = self.paused_total(now);
        SlaDue {
            first_response: self
                .first_response_at
                .is_none()
                .then_some(self.created_at + target.first_response_ms + shift),
            resolution: self
                .resolved_at
                .is_none()
                .then_some(self.created_at + target.resolution_ms + shift),
        }
    }

    /// The next deadline that the team is working against, or `None` when the
    /// clock is stopped or both targets are met. The queue orders by this.
    pub fn next_due(&self, target: SlaTarget, now: EpochMillis) -> Option<EpochMillis> {
        if self.is_paused() {
            return None;
        }
        let due = self.due(target, now);
        match (due.first_response, due.resolution) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Milliseconds until the next deadline (negative once it has passed).
    pub fn remaining(&self, target: SlaTarget, now: EpochMillis) -> Option<i64> {
        self.next_due(target, now).map(|due| due - now)
    }

    /// Which targets were missed, met late, or are overdue at `now`.
    pub fn breaches(&self, target: SlaTarget, now: EpochMillis) -> SlaBreaches {
        let shift_at = |at: EpochMillis| self.paused_total(at);
        let late = |met: Option<EpochMillis>, window: i64| {
            let at = met.unwrap_or(now);
            at > self.created_at + window + shift_at(at)
        };
        SlaBreaches {
            first_response: late(self.first_response_at, target.first_response_ms),
            resolution: late(self.resolved_at, target.resolution_ms),
        }
    }

    /// Records the first public reply; later replies change nothing.
    pub fn record_first_response(&mut self, now: EpochMillis) {
        self.first_response_at.get_or_insert(now);
    }

    /// Keeps the clock in step with a status change made at `now`: stopped
    /// while waiting on the user, resolution time set on resolve and cleared
    /// on reopen.
    pub fn on_status_change(&mut self, from: CaseStatus, to: CaseStatus, now: EpochMillis) {
        if from == to {
            return;
        }
        if let Some(since) = self.paused_since.take() {
            self.paused_ms += (now - since).max(0);
        }
        if to == CaseStatus::WaitingOnUser {
            self.paused_since = Some(now);
        }
        match to {
            CaseStatus::Resolved => self.resolved_at = Some(now),
            CaseStatus::Closed => {
                self.resolved_at.get_or_insert(now);
            }
            _ => self.resolved_at = None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: EpochMillis = 1_795_600_000_000;

    fn clock() -> SlaClock {
        SlaClock::started(T0)
    }

    #[test]
    fn p1_first_response_due_in_15_minutes_and_resolution_in_4_hours() {
        let due = clock().due(SlaPolicy::default().target(Priority::P1), T0);
        assert_eq!(due.first_response, Some(T0 + 15 * MINUTE));
        assert_eq!(due.resolution, Some(T0 + 4 * HOUR));
    }

    #[test]
    fn each_priority_has_the_design_targets() {
        let p = SlaPolicy::default();
        let hours = |ms: i64| ms as f64 / HOUR as f64;
        let table: Vec<_> = Priority::ALL
            .iter()
            .map(|&pr| {
                (
                    hours(p.target(pr).first_response_ms),
                    hours(p.target(pr).resolution_ms),
                )
            })
            .collect();
        assert_eq!(
            table,
            vec![(0.25, 4.0), (1.0, 8.0), (4.0, 48.0), (8.0, 72.0)]
        );
    }

    #[test]
    fn waiting_on_user_pauses_the_clock() {
        let target = SlaPolicy::default().target(Priority::P2);
        let mut c = clock();
        c.record_first_response(T0 + 10 * MINUTE);
        c.on_status_change(CaseStatus::InProgress, CaseStatus::WaitingOnUser, T0 + HOUR);
        assert_eq!(
            c.next_due(target, T0 + 2 * HOUR),
            None,
            "no deadline while paused"
        );
        // Three hours waiting on the user do not count against the 8 h.
        c.on_status_change(
            CaseStatus::WaitingOnUser,
            CaseStatus::InProgress,
            T0 + 4 * HOUR,
        );
        assert_eq!(
            c.due(target, T0 + 5 * HOUR).resolution,
            Some(T0 + 11 * HOUR)
        );
        assert!(!c.breaches(target, T0 + 10 * HOUR).resolution);
        assert!(c.breaches(target, T0 + 11 * HOUR + 1).resolution);
    }

    #[test]
    fn a_late_first_response_stays_a_breach_after_it_is_given() {
        let target = SlaPolicy::default().target(Priority::P1);
        let mut c = clock();
        assert!(!c.breaches(target, T0 + 15 * MINUTE).first_response);
        assert!(c.breaches(target, T0 + 15 * MINUTE + 1).first_response);
        c.record_first_response(T0 + 20 * MINUTE);
        c.record_first_response(T0 + 30 * MINUTE);
        assert_eq!(
            c.first_response_at,
            Some(T0 + 20 * MINUTE),
            "first reply only"
        );
        assert!(c.breaches(target, T0 + HOUR).first_response);
    }

    #[test]
    fn the_next_deadline_is_the_earlier_unmet_target() {
        let target = SlaPolicy::default().target(Priority::P3);
        let mut c = clock();
        assert_eq!(c.next_due(target, T0), Some(T0 + 4 * HOUR));
        c.record_first_response(T0 + MINUTE);
        assert_eq!(c.next_due(target, T0), Some(T0 + 48 * HOUR));
        assert_eq!(c.remaining(target, T0 + 47 * HOUR), Some(HOUR));
    }

    #[test]
    fn resolving_stops_the_resolution_clock_and_reopening_restarts_it() {
        let target = SlaPolicy::default().target(Priority::P4);
        let mut c = clock();
        c.record_first_response(T0);
        c.on_status_change(CaseStatus::InProgress, CaseStatus::Resolved, T0 + HOUR);
        assert_eq!(c.next_due(target, T0 + 100 * HOUR), None);
        assert!(!c.breaches(target, T0 + 100 * HOUR).resolution);
        c.on_status_change(CaseStatus::Resolved, CaseStatus::Queued, T0 + 2 * HOUR);
        assert_eq!(c.resolved_at, None);
        assert!(c.breaches(target, T0 + 100 * HOUR).resolution);
    }
}
