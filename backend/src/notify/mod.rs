//! Notifications to the team's IM channel. A write records what the channel
//! owes in `pending_notifications` ([`pending`]; the SLA sweep in its own
//! batch, other writes through [`enqueue`] right after theirs), and a drain
//! ([`drain`], after such a write and at every cron tick) hands it to the
//! Cloudflare Queue at the channel's pace, past which one digest counts the
//! rest. The queue's consumer ([`deliver`]) posts to the webhook with
//! retries; what still fails lands in the dead-letter queue and then in D1 for
//! a lead to see (`GET /v1/notifications/dead`). What each message says is
//! decided in `helpline_shared::notify`, `sla_watch` and `channel`.

pub mod api;
mod deliver;
pub mod store;

use std::collections::HashMap;

use helpline_shared::channel::{digest, plan_delivery};
use helpline_shared::clock::EpochMillis;
use helpline_shared::notify::Notification;
use helpline_shared::sla_watch::{alert_notification, SlaAlert};
use worker::{Env, MessageBuilder, Queue};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

pub use deliver::deliver;
use store::PendingRow;

/// The queue binding notifications go to (wrangler.toml).
const BINDING: &str = "NOTIFICATIONS";

/// Records notifications as owed and drains. A failure here is logged and
/// swallowed: the change that caused them is already stored, and the API
/// request must not fail because the team channel could not be told.
pub async fn enqueue(env: &Env, notifications: Vec<Notification>) {
    if notifications.is_empty() {
        return;
    }
    let now = crate::http::now();
    let stored = async {
        let bodies = notifications
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        store::add(&env.d1("DB")?, &bodies, now).await
    };
    if let Err(err) = stored.await {
        worker::console_error!(
            "notifications: could not record {} as owed: {err}",
            notifications.len()
        );
        return;
    }
    drain(env, now).await;
}

/// Hands what is owed to the Queue, at the channel's pace. Logged, never
/// failing: what it could not send stays owed for the next drain.
pub async fn drain(env: &Env, now: EpochMillis) {
    if let Err(err) = try_drain(env, now).await {
        worker::console_error!("notifications: drain failed, left for the next: {err}");
    }
}

async fn try_drain(env: &Env, now: EpochMillis) -> ApiResult<()> {
    let config = Config::from_env(env);
    let db = env.d1("DB")?;
    let claimed = store::claim(&db, now).await?;
    if claimed.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = claimed.iter().map(|r| r.id).collect();
    let waiting = if claimed.len() as i64 == store::CLAIM_MAX {
        store::count_free(&db, now).await?
    } else {
        0
    };
    let owed = claimed.len() + waiting;
    let wanted = owed.min(config.im_messages_per_minute as usize) as u32;
    let granted = store::reserve(&db, wanted, config.im_messages_per_minute, now).await?;
    let plan = plan_delivery(owed, granted);
    if plan.one_by_one == 0 && !plan.digest {
        // The minute is spent: everything waits for the next.
        return store::release(&db, &ids).await;
    }
    let notifications = compose(&db, &config, &claimed).await?;
    // The plan counts rows waiting beyond this claim too; only claimed ones go
    // one by one, the rest are folded into the digest.
    let one_by_one = plan.one_by_one.min(notifications.len());
    let queue = env.queue(BINDING)?;
    let mut sent = 0u32;
    let mut done = Vec::new();
    let mut refused = false;
    for (id, notification) in &notifications[..one_by_one] {
        if let Some(notification) = notification {
            // A refused one stays owed for the next drain; the rest still go.
            if let Err(err) = send(&queue, notification).await {
                worker::console_error!("notifications: the queue refused one: {err}");
                refused = true;
                continue;
            }
            sent += 1;
        }
        done.push(*id);
    }
    // What went is no longer owed, whatever happens to the digest.
    store::remove(&db, &done).await?;
    let mut left: Vec<i64> = ids.into_iter().filter(|id| !done.contains(id)).collect();
    if plan.digest && !refused {
        let rest = &notifications[one_by_one..];
        let held: Vec<Notification> = rest.iter().filter_map(|(_, n)| n.clone()).collect();
        // The rows beyond this claim are claimed too, and leave only once the
        // digest that counts them was taken.
        let folded = if waiting > 0 {
            store::claim_all_free(&db, now).await?
        } else {
            Vec::new()
        };
        match send(&queue, &digest(&held, folded.len(), now)).await {
            Ok(()) => {
                sent += 1;
                let mut gone: Vec<i64> = rest.iter().map(|(id, _)| *id).collect();
                gone.extend(&folded);
                store::remove(&db, &gone).await?;
                left.retain(|id| !gone.contains(id));
            }
            Err(err) => {
                worker::console_error!(
                    "notifications: the queue refused a digest of {}: {err}",
                    held.len() + folded.len()
                );
                left.extend(folded);
            }
        }
    }
    store::release(&db, &left).await?;
    store::unreserve(&db, granted.saturating_sub(sent), now).await
}

async fn send(queue: &Queue, notification: &Notification) -> worker::Result<()> {
    queue
        .send(MessageBuilder::new(notification.clone()).build())
        .await
}

/// Each claimed row as its notification (`None`: nothing to say any more,
/// e.g. its case is gone, or a body that no longer decodes, logged).
async fn compose(
    db: &worker::D1Database,
    config: &Config,
    rows: &[PendingRow],
) -> ApiResult<Vec<(i64, Option<Notification>)>> {
    let case_ids: Vec<i64> = rows.iter().filter_map(|r| r.case_id).collect();
    let cases: HashMap<i64, _> = if case_ids.is_empty() {
        HashMap::new()
    } else {
        store::cases(db, &case_ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect()
    };
    let policy = &config.escalation;
    Ok(rows
        .iter()
        .map(|row| {
            let notification = match (&row.body, row.case_id, row.alert) {
                (Some(body), _, _) => serde_json::from_str(body)
                    .map_err(|err| {
                        worker::console_error!("notifications: dropped an undecodable one: {err}")
                    })
                    .ok(),
                (None, Some(case_id), Some(bit)) => {
                    let alert = SlaAlert::ALL.into_iter().find(|a| a.bit() == bit);
                    match (cases.get(&case_id), alert) {
                        (Some(case), Some(alert)) => {
                            let route = (row.escalated == 1)
                                .then(|| policy.on_breach(case.priority, false, row.created_ms))
                                .flatten();
                            Some(alert_notification(
                                policy,
                                case.line(),
                                alert,
                                case.status,
                                route.as_ref(),
                                row.created_ms,
                            ))
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            (row.id, notification)
        })
        .collect())
}
