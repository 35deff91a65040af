//! Sends that wait: a case the widget could not deliver (offline, a timeout, a
//! 5xx) waits in an outbox (kept in the browser's localStorage) with its
//! idempotency key, and is retried with backoff and whenever the browser comes
//! back online — the same key every time, so a retry never makes a twin. A
//! refusal (4xx) is not retried: it names a field the user must fix.

use serde::{Deserialize, Serialize};

use crate::clock::EpochMillis;

/// What an attempt to deliver a case came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// The API refused it: show why; retrying cannot help.
    Refused,
    /// Try again later: no answer, a timeout, too many requests, a server error.
    Retry,
}

/// What an attempt's HTTP status (None: no answer at all) means.
pub fn delivery(status: Option<u16>) -> Delivery {
    match status {
        Some(200..=299) => Delivery::Delivered,
        // Timeouts and rate limits pass; the idempotency key makes retries safe.
        Some(408 | 425 | 429) => Delivery::Retry,
        Some(400..=499) => Delivery::Refused,
        _ => Delivery::Retry,
    }
}

/// Milliseconds to wait after the `attempts`-th failure: 2 s doubling to at
/// most 5 minutes.
pub fn backoff_ms(attempts: u32) -> i64 {
    (2_000_i64 << attempts.saturating_sub(1).min(8)).min(300_000)
}

/// A case waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSend {
    pub idempotency_key: String,
    /// The `POST /v1/cases` body as first sent (JSON): kept as it is, so every
    /// retry sends exactly the same thing.
    pub body: String,
    pub attempts: u32,
    pub queued_at: EpochMillis,
    pub next_attempt_at: EpochMillis,
}

/// Every case waiting on this device, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub pending: Vec<PendingSend>,
}

impl Outbox {
    /// Puts a case in the outbox after a failed first attempt (replacing one
    /// with the same key: it is the same draft).
    pub fn queue(&mut self, idempotency_key: &str, body: String, now: EpochMillis) {
        self.pending
            .retain(|p| p.idempotency_key != idempotency_key);
        self.pending.push(PendingSend {
            idempotency_key: idempotency_key.to_string(),
            body,
            attempts: 1,
            queued_at: now,
            next_attempt_at: now + backoff_ms(1),
        });
    }

    /// The sends whose time has come (all of them when `everything`, as when
    /// the browser is back online).
    pub fn due(&self, now: EpochMillis, everything: bool) -> Vec<PendingSend> {
        self.pending
            .iter()
            .filter(|p| everything || p.next_attempt_at <= now)
            .cloned()
            .collect()
    }

    /// Records what an attempt came to: delivered and refused sends leave the
    /// outbox, the others wait longer.
    pub fn record(&mut self, idempotency_key: &str, outcome: Delivery, now: EpochMillis) {
        match outcome {
            Delivery::Delivered | Delivery::Refused => self
                .pending
                .retain(|p| p.idempotency_key != idempotency_key),
            Delivery::Retry => {
                for p in self
                    .pending
                    .iter_mut()
                    .filter(|p| p.idempotency_key == idempotency_key)
                {
                    p.attempts += 1;
                    p.next_attempt_at = now + backoff_ms(p.attempts);
                }
            }
        }
    }

    /// When the next retry is due, if anything waits.
    pub fn next_due(&self) -> Option<EpochMillis> {
        self.pending.iter().map(|p| p.next_attempt_at).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> String {
        format!(r#"{{"description":"{text}","platform":"ads-console","reporter":{{"id":"u-1"}}}}"#)
    }

    #[test]
    fn statuses_say_whether_to_retry() {
        assert_eq!(delivery(Some(201)), Delivery::Delivered);
        assert_eq!(delivery(Some(200)), Delivery::Delivered);
        assert_eq!(delivery(Some(422)), Delivery::Refused);
        assert_eq!(delivery(Some(409)), Delivery::Refused);
        assert_eq!(delivery(Some(429)), Delivery::Retry);
        assert_eq!(delivery(Some(503)), Delivery::Retry);
        assert_eq!(delivery(None), Delivery::Retry);
    }

    #[test]
    fn backoff_doubles_to_five_minutes() {
        let waits: Vec<i64> = (1..=10).map(backoff_ms).collect();
        assert_eq!(&waits[..5], &[2_000, 4_000, 8_000, 16_000, 32_000]);
        assert_eq!(waits[9], 300_000);
    }

    #[test]
    fn a_waiting_send_keeps_its_key_until_it_is_delivered() {
        let mut outbox = Outbox::default();
        outbox.queue("k1", request("printer on fire"), 1_000);
        outbox.queue("k1", request("printer on fire!"), 1_500);
        assert_eq!(outbox.pending.len(), 1, "one draft, one entry");
        assert!(
            outbox.due(2_000, false).is_empty(),
            "not before its backoff"
        );
        assert_eq!(
            outbox.due(2_000, true).len(),
            1,
            "all of it when back online"
        );
        let due = outbox.due(3_500, false);
        assert_eq!(due[0].idempotency_key, "k1");
        outbox.record("k1", Delivery::Retry, 3_500);
        assert_eq!(outbox.pending[0].attempts, 2);
        assert_eq!(outbox.next_due(), Some(3_500 + 4_000));
        outbox.record("k1", Delivery::Delivered, 8_000);
        assert!(outbox.pending.is_empty());
    }

    #[test]
    fn a_refused_send_leaves_the_outbox() {
        let mut outbox = Outbox::default();
        outbox.queue("k1", request("x"), 0);
        outbox.queue("k2", request("y"), 0);
        outbox.record("k1", Delivery::Refused, 10);
        assert_eq!(outbox.pending.len(), 1);
        assert_eq!(outbox.pending[0].idempotency_key, "k2");
    }

    #[test]
    fn the_outbox_survives_a_reload_as_json() {
        let mut outbox = Outbox::default();
        outbox.queue("k1", request("x"), 0);
        let json = serde_json::to_string(&outbox).unwrap();
        assert_eq!(serde_json::from_str::<Outbox>(&json).unwrap(), outbox);
    }
}
