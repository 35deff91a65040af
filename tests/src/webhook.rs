//! A real HTTP receiver standing in for the team's IM webhook: it listens on a
//! free loopback port, answers every POST with the status the test chose, and
//! keeps each body it was sent (also the refused ones, to count retries).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::loopback::{self, Answer, LoopbackServer};
use crate::Stack;

pub struct WebhookReceiver {
    pub url: String,
    received: Arc<Mutex<Vec<Value>>>,
    _server: LoopbackServer,
}

impl WebhookReceiver {
    /// Starts a receiver that answers every delivery with `status`.
    pub async fn start(status: u16) -> WebhookReceiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        let server = loopback::bind().await.serve(move |asked| {
            if let Ok(json) = serde_json::from_slice(&asked.body) {
                kept.lock().unwrap().push(json);
            }
            Answer::status(status).with_body("ok")
        });
        WebhookReceiver {
            url: server.url("/hook"),
            received,
            _server: server,
        }
    }

    /// The Worker var that sends the team's notifications here.
    pub fn channel_var(&self) -> (&'static str, String) {
        ("IM_WEBHOOK_URL", self.url.clone())
    }

    /// Every body received so far, in arrival order.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    /// Waits for `count` notifications of `kind`, then a little longer so a
    /// duplicate would show, asserts there are exactly `count`, returns them.
    pub async fn exactly(&self, kind: &str, count: usize) -> Vec<Value> {
        crate::eventually(kind, Duration::from_secs(20), || async {
            (self.of_kind(kind).len() >= count).then_some(())
        })
        .await;
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        let got = self.of_kind(kind);
        assert_eq!(got.len(), count, "{kind} notifications: {got:#?}");
        got
    }

    /// The bodies whose notification is of `kind` (`page`, `escalated`, …).
    pub fn of_kind(&self, kind: &str) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|body| body["helpline"]["kind"] == kind)
            .collect()
    }
}

impl Stack {
    /// A team channel that answers every delivery with `status`, and a stack
    /// telling it, with `vars` (name, value) beside the default ones.
    pub async fn with_channel<'a>(
        status: u16,
        vars: impl IntoIterator<Item = (&'a str, String)>,
    ) -> (Stack, WebhookReceiver) {
        let channel = WebhookReceiver::start(status).await;
        let stack = Stack::start_with_vars(vars.into_iter().chain([channel.channel_var()]));
        (stack, channel)
    }
}
