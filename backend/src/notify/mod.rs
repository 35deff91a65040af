//! Notifications to the team's IM channel, through a Cloudflare Queue: the
//! API and the cron only enqueue ([`enqueue`]), and the queue's consumer
//! ([`deliver`]) posts to the webhook with retries; what still fails lands in
//! the dead-letter queue and then in D1 for a lead to see
//! (`GET /v1/notifications/dead`). What each message says is decided in
//! `helpline_shared::notify`.

pub mod api;
mod deliver;

use helpline_shared::notify::Notification;
use worker::{Env, MessageBuilder};

pub use deliver::deliver;

/// The queue binding notifications go to (wrangler.toml).
const BINDING: &str = "NOTIFICATIONS";

/// Hands notifications to the queue. A failure here is logged and swallowed:
/// the change that caused the notification is already stored, and the API
/// request must not fail because the team channel could not be told.
pub async fn enqueue(env: &Env, notifications: Vec<Notification>) {
    if notifications.is_empty() {
        return;
    }
    let queue = match env.queue(BINDING) {
        Ok(queue) => queue,
        Err(err) => {
            worker::console_error!("notifications: no queue binding {BINDING}: {err}");
            return;
        }
    };
    for notification in notifications {
        if let Err(err) = queue
            .send(MessageBuilder::new(notification.clone()).build())
            .await
        {
            worker::console_error!(
                "notifications: could not enqueue \"{}\": {err}",
                notification.text
            );
        }
    }
}
