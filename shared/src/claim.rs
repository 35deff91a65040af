//! Claim leases: a specialist who claims a case holds it for a while; every
//! action of theirs on it renews the lease, and a lease nobody renews lets the
//! case go back to the queue, so a case is never stuck with someone who left.

use crate::clock::EpochMillis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLease {
    pub duration_ms: i64,
}

impl Default for ClaimLease {
    /// Half an hour: long enough to troubleshoot, short for a case in limbo.
    fn default() -> Self {
        ClaimLease {
            duration_ms: 30 * 60_000,
        }
    }
}

impl ClaimLease {
    pub fn from_seconds(seconds: i64) -> Self {
        ClaimLease {
            duration_ms: seconds.max(1) * 1_000,
        }
    }

    /// When a lease taken or renewed at `now` runs out.
    pub fn expires_at(&self, now: EpochMillis) -> EpochMillis {
        now + self.duration_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_runs_for_its_duration_from_the_last_renewal() {
        let lease = ClaimLease::from_seconds(90);
        assert_eq!(lease.expires_at(1_000), 91_000);
        assert_eq!(ClaimLease::default().expires_at(0), 1_800_000);
        assert_eq!(ClaimLease::from_seconds(0).duration_ms, 1_000);
    }
}
