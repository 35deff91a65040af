//! The queue consumer: posts each notification to the IM webhook, acks what
//! the webhook took, and asks for a later retry of what it did not (backing
//! off as the message ages). After the queue's last retry a message goes to
//! the dead-letter queue, whose batches this same handler records in D1.

use helpline_shared::clock::EpochMillis;
use helpline_shared::notify::{retry_delay_seconds, Notification};
use worker::{
    Env, Fetch, Headers, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder, RawMessage,
    Request, RequestInit,
};

use crate::config::Config;

/// The dead-letter queue's name ends so (wrangler.toml names both queues).
const DEAD_LETTER_SUFFIX: &str = "-dlq";

pub async fn deliver(batch: MessageBatch<Notification>, env: &Env, now: EpochMillis) {
    let dead_letters = batch.queue().ends_with(DEAD_LETTER_SUFFIX);
    let url = Config::from_env(env).im_webhook_url.clone();
    // Each message on its own: one that does not decode (a body from another
    // version, say) must not take the valid ones down with it.
    for raw in batch.raw_iter() {
        let decoded = serde_wasm_bindgen::from_value::<Notification>(raw.body());
        let notification = match decoded {
            Ok(notification) if !dead_letters => notification,
            Ok(notification) => {
                let body = serde_json::to_string(&notification).unwrap_or_default();
                bury(env, &raw, &body, now).await;
                continue;
            }
            Err(err) => {
                // It will never decode: keep it as it came, for a lead to see.
                worker::console_error!("notifications: an undecodable message: {err}");
                let body = worker::js_sys::JSON::stringify(&raw.body())
                    .map(String::from)
                    .unwrap_or_default();
                bury(env, &raw, &body, now).await;
                continue;
            }
        };
        if url.is_empty() {
            worker::console_log!(
                "notifications: no IM_WEBHOOK_URL; dropped \"{}\"",
                notification.text
            );
            raw.ack();
            continue;
        }
        match post(&url, &notification).await {
            Ok(()) => raw.ack(),
            Err(why) => {
                let age = now - raw.timestamp().as_millis() as i64;
                let delay = retry_delay_seconds(age);
                worker::console_warn!("notifications: webhook refused ({why}); retry in {delay} s");
                raw.retry_with_options(
                    &QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(delay)
                        .build(),
                );
            }
        }
    }
}

async fn post(url: &str, notification: &Notification) -> Result<(), String> {
    let headers = Headers::new();
    headers
        .set("Content-Type", "application/json")
        .map_err(|e| e.to_string())?;
    let body = notification.webhook_body().to_string();
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let response = Fetch::Request(request)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match response.status_code() {
        200..=299 => Ok(()),
        status => Err(format!("HTTP {status}")),
    }
}

/// Keeps a notification that could not be delivered (or decoded), once per
/// message id; retried by the queue if even that fails.
async fn bury(env: &Env, message: &RawMessage, body: &str, now: EpochMillis) {
    let stored = match env.d1("DB") {
        Ok(db) => super::store::bury(&db, &message.id(), body, now).await,
        Err(err) => Err(err.into()),
    };
    match stored {
        Ok(()) => message.ack(),
        Err(err) => {
            worker::console_error!("notifications: could not record a dead letter: {err}");
            message.retry();
        }
    }
}
