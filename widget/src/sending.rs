//! Sending a case so that nothing is lost: the first attempt at once; if the
//! API cannot be reached (offline, a timeout, a 5xx) the case waits in the
//! outbox in localStorage and goes again with backoff, and at once when the
//! browser is back online — with the same idempotency key, so however many
//! times it goes, it is one case. The rules are `helpline_shared::outbox`.

use std::cell::Cell;
use std::time::Duration;

use helpline_shared::api::{CaseCreated, CreateCaseRequest};
use helpline_shared::browser_store::{self, Kept};
use helpline_shared::outbox::{Delivery, Outbox};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{create_case, SendError};
use crate::{bridge, storage, WidgetConfig};

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    Delivered(CaseCreated),
    /// In the outbox: it will go when support can be reached.
    Waiting,
    Refused(SendError),
}

/// How often the outbox is looked at for retries that are due.
const TICK: Duration = Duration::from_secs(2);

thread_local! {
    /// One retry round at a time.
    static RETRYING: Cell<bool> = const { Cell::new(false) };
}

fn outbox_key(config: &WidgetConfig) -> String {
    browser_store::key(Kept::Outbox, &config.platform, &config.user.id)
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}

fn delivered(created: &CaseCreated) {
    if let Some(detail) = crate::json::stringify(created) {
        bridge::emit("caseCreated", &detail);
    }
}

/// The outbox as signals for the screens: whether a case waits in it, and
/// what became of the last send, whether it went at once or from the outbox.
#[derive(Clone, Copy)]
pub struct Sender {
    pub waiting: RwSignal<bool>,
    pub outcome: RwSignal<Option<Sent>>,
}

impl Sender {
    /// Starts the outbox: what an earlier visit left is retried as its time
    /// comes, and all of it whenever the browser comes back online.
    pub fn start(config: WidgetConfig) -> Sender {
        let sender = Sender {
            waiting: RwSignal::new(
                !storage::load::<Outbox>(&outbox_key(&config))
                    .pending
                    .is_empty(),
            ),
            outcome: RwSignal::new(None),
        };
        let config = StoredValue::new(config);
        let retry = move |everything: bool| {
            let config = config.get_value();
            spawn_local(async move { sender.retry(&config, everything).await });
        };
        // A new page is a new chance: what an earlier visit left goes now.
        retry(true);
        let _ = set_interval_with_handle(move || retry(false), TICK);
        let online = window_event_listener(leptos::ev::online, move |_| retry(true));
        // The widget lives as long as the page.
        std::mem::forget(online);
        sender
    }

    /// Sends a case now; if support cannot be reached, keeps it for later.
    /// What became of it is also in `outcome`.
    pub async fn send(
        &self,
        config: &WidgetConfig,
        request: &CreateCaseRequest,
        key: &str,
    ) -> Sent {
        self.outcome.set(None);
        // Serialised once: the outbox keeps these very bytes for its retries.
        let body = crate::json::stringify(request).unwrap_or_default();
        let sent = match create_case(config, &body, key).await {
            Ok(created) => {
                delivered(&created);
                Sent::Delivered(created)
            }
            Err(refused @ SendError::Refused { .. }) => Sent::Refused(refused),
            Err(SendError::Unavailable { .. }) => {
                let mut outbox: Outbox = storage::load(&outbox_key(config));
                outbox.queue(key, body, now());
                storage::save(&outbox_key(config), &outbox);
                self.waiting.set(true);
                Sent::Waiting
            }
        };
        self.outcome.set(Some(sent.clone()));
        sent
    }

    async fn retry(&self, config: &WidgetConfig, everything: bool) {
        if RETRYING.with(|r| r.replace(true)) {
            return;
        }
        let key = outbox_key(config);
        let due = storage::load::<Outbox>(&key).due(now(), everything);
        for send in due {
            let outcome = match create_case(config, &send.body, &send.idempotency_key).await {
                Ok(created) => {
                    delivered(&created);
                    self.outcome.set(Some(Sent::Delivered(created)));
                    Delivery::Delivered
                }
                Err(SendError::Refused { .. }) => Delivery::Refused,
                Err(SendError::Unavailable { .. }) => Delivery::Retry,
            };
            // Read again: another tab may have changed it meanwhile.
            let mut outbox: Outbox = storage::load(&key);
            outbox.record(&send.idempotency_key, outcome, now());
            storage::save(&key, &outbox);
            self.waiting.set(!outbox.pending.is_empty());
            if outcome == Delivery::Retry && !everything {
                break;
            }
        }
        RETRYING.with(|r| r.set(false));
    }
}
