//! `POST /v1/shift/end`: every case a specialist names goes to a colleague or
//! back to the queue, each by the rules of its own handover or release
//! (`service::change`), and the team channel hears of it once
//! (`shift::ShiftSummary`), not once per case.

use helpline_shared::api::{EndShiftRequest, ShiftEnded, ShiftOutcome, ShiftOutcomeKind};
use helpline_shared::change::{CaseCommand, Colleague};
use helpline_shared::clock::iso;
use helpline_shared::lifecycle::Role;
use helpline_shared::notify::NotificationKind;
use helpline_shared::shift::{self, ShiftSummary};
use worker::Response;

use super::service::{self, Caller};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{http, notify};

pub async fn end(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    let specialist = ctx.specialist(Role::Specialist).await?;
    let request: EndShiftRequest = http::read_json(&mut ctx.req).await?;
    shift::check(&request)?;
    let by = specialist.name.clone();
    let caller = Caller::Specialist(specialist);
    let (mut outcomes, mut summary) = (Vec::new(), ShiftSummary::default());
    let mut told = Vec::new();
    let mut colleagues: Vec<(i64, Option<Colleague>)> = Vec::new();
    for asked in &request.cases {
        // An id that is no active colleague is the handover's own refusal;
        // each colleague is looked up once.
        let to = match asked.to {
            None => None,
            Some(id) => match colleagues.iter().find(|(known, _)| *known == id) {
                Some((_, colleague)) => Some(colleague.clone()),
                None => match service::colleague(&ctx.db, id).await {
                    Ok(found) => {
                        colleagues.push((id, found.clone()));
                        Some(found)
                    }
                    Err(failed) => {
                        outcomes.push(refused(asked.case_id, &failed));
                        continue;
                    }
                },
            },
        };
        let command = match &to {
            Some(colleague) => CaseCommand::Assign {
                to: colleague.clone(),
                note: request.note.clone(),
            },
            None => CaseCommand::Release,
        };
        let changed =
            service::change(ctx.env, &ctx.config, asked.case_id, command, &caller, None).await;
        let outcome = match changed {
            Ok(changed) => {
                let case = changed.saved.0.line().case_ref;
                // Each handover's own message is folded into the one below.
                told.extend(
                    changed
                        .notifications
                        .into_iter()
                        .filter(|n| n.kind != NotificationKind::HandedOver),
                );
                match to.flatten() {
                    Some(colleague) => {
                        summary.handed.push((case, colleague.name));
                        ShiftOutcomeKind::HandedOver
                    }
                    None => {
                        summary.released.push(case);
                        ShiftOutcomeKind::Released
                    }
                }
            }
            // One case that cannot go stays listed; the others still go.
            Err(failed) => {
                outcomes.push(refused(asked.case_id, &failed));
                continue;
            }
        };
        outcomes.push(ShiftOutcome {
            case_id: asked.case_id,
            outcome,
            refusal: None,
        });
    }
    told.extend(summary.notification(&by, request.note.as_deref(), iso(http::now())));
    notify::enqueue(ctx.env, told).await;
    http::json(200, &ShiftEnded { outcomes })
}

/// A case that stays where it was, with the refusal its own request would have had.
fn refused(case_id: i64, error: &ApiError) -> ShiftOutcome {
    ShiftOutcome {
        case_id,
        outcome: ShiftOutcomeKind::Refused,
        refusal: Some(error.refusal()),
    }
}
