//! One sweep: every SLA alert owed now, raised over all cases at once.

use helpline_shared::api::SweepReport;
use helpline_shared::clock::EpochMillis;
use worker::Env;

use super::store::{raise_statements, BreachEscalation, RAISE_ORDER};
use crate::config::Config;
use crate::error::ApiResult;
use crate::notify;

pub async fn sweep(env: &Env, now: EpochMillis) -> ApiResult<SweepReport> {
    let config = Config::from_env(env);
    let db = env.d1("DB")?;
    let policy = &config.escalation;
    let route = policy
        .breach_escalates
        .first()
        .and_then(|p| policy.on_breach(*p, false, now));
    let escalation = route.as_ref().map(|route| BreachEscalation {
        route,
        priorities: &policy.breach_escalates,
    });
    let mut batch = Vec::new();
    let mut raises = Vec::new();
    for alert in RAISE_ORDER {
        raises.push((alert, batch.len()));
        batch.extend(raise_statements(&db, alert, escalation.as_ref(), now)?);
    }
    let results = db.batch(batch).await?;
    let mut report = SweepReport::default();
    for (alert, at) in raises {
        let raised = results.get(at).map_or(0, crate::d1::changes);
        if alert.is_breach() {
            report.breaches += raised;
        } else {
            report.warnings += raised;
        }
    }
    notify::drain(env, now).await;
    Ok(report)
}
