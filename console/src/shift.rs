//! The end of a shift: every case I hold, each handed to a colleague or
//! released to the queue, with one handover note for all — the team works in
//! shifts around the clock, and a case must never sit with someone who has
//! gone home. All of it goes in one request (`POST /v1/shift/end`), and the
//! team channel hears of the shift in one message.

use std::collections::BTreeMap;

use crate::app::{Desk, Pane};
use helpline_shared::api::{CaseSummary, EndShiftRequest, ShiftCase, ShiftOutcomeKind};
use helpline_shared::lifecycle::{next_status, CaseAction};
use helpline_shared::limits::SHIFT_CASES_MAX;
use leptos::prelude::*;

/// The choice that gives a case back to the queue; any other is a
/// colleague's id.
const TO_QUEUE: &str = "";

/// Whether `case` may go back to the queue (the lifecycle allows it only
/// from in progress); any other must go to a colleague.
fn may_release(case: &CaseSummary) -> bool {
    next_status(case.status, CaseAction::Release).is_ok()
}

impl Desk {
    /// The cases the signed-in specialist holds, into `held`.
    fn load_held(self, held: RwSignal<Option<Vec<CaseSummary>>>) {
        self.with_api(move |api| async move {
            held.set(Some(api.mine().await?.cases));
            Ok(())
        });
    }
}

#[component]
pub fn ShiftEnd(desk: Desk) -> impl IntoView {
    let held = RwSignal::new(None::<Vec<CaseSummary>>);
    let note = RwSignal::new(String::new());
    // What was chosen for each case; a case without a choice goes back to
    // the queue if it may, else waits for one: nobody is handed work they
    // were not chosen for.
    let chosen = RwSignal::new(BTreeMap::<i64, String>::new());
    desk.load_held(held);
    let me = move || desk.queue.with(|q| q.as_ref().map(|q| q.specialist.id));
    let colleagues = move || desk.colleagues_but(me());
    let choice = move |case: &CaseSummary| {
        chosen
            .with(|c| c.get(&case.id).cloned())
            .or_else(|| may_release(case).then(|| TO_QUEUE.to_owned()))
    };
    // Every case held has somewhere to go.
    let all_chosen = move || held.with(|h| h.iter().flatten().all(|case| choice(case).is_some()));
    let hand_over = move || {
        let listed = held.get_untracked().unwrap_or_default();
        let cases: Vec<ShiftCase> = listed
            .iter()
            .filter_map(|case| {
                let to = choice(case)?;
                Some(ShiftCase {
                    case_id: case.id,
                    to: to.parse().ok(),
                })
            })
            .collect();
        let note = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
        desk.with_api(move |api| async move {
            let mut outcomes = Vec::new();
            for part in cases.chunks(SHIFT_CASES_MAX) {
                let request = EndShiftRequest {
                    cases: part.to_vec(),
                    note: note.clone(),
                };
                outcomes.extend(api.end_shift(&request).await?.outcomes);
            }
            let count = |kind| outcomes.iter().filter(|o| o.outcome == kind).count();
            let mut said = format!(
                "Handed over {}, released {}.",
                count(ShiftOutcomeKind::HandedOver),
                count(ShiftOutcomeKind::Released)
            );
            // One case that could not go stays listed, saying why.
            let failed: Vec<String> = outcomes
                .iter()
                .filter_map(|o| {
                    let refusal = o.refusal.as_ref()?;
                    let case = listed.iter().find(|c| c.id == o.case_id)?;
                    Some(format!("{}: {}", case.reference, refusal.message))
                })
                .collect();
            if !failed.is_empty() {
                said.push_str(&format!(" Still yours: {}.", failed.join("; ")));
            }
            desk.status.set(said);
            desk.refresh_queue();
            held.set(Some(api.mine().await?.cases));
            Ok(())
        });
    };
    let row = move |case: CaseSummary| {
        let id = case.id;
        let label = format!("Where {} goes", case.reference);
        let first = if may_release(&case) {
            let case = case.clone();
            view! {
                <option value=TO_QUEUE selected=move || choice(&case).as_deref() == Some(TO_QUEUE)>
                    "Back to the queue"
                </option>
            }
            .into_any()
        } else {
            view! { <option value="" disabled selected>"Choose a colleague…"</option> }.into_any()
        };
        let options = {
            let case = case.clone();
            move || {
                colleagues()
                    .into_iter()
                    .map(|(value, name)| {
                        let case = case.clone();
                        let selected = {
                            let value = value.clone();
                            move || choice(&case).as_deref() == Some(value.as_str())
                        };
                        view! { <option value=value selected=selected>{name}</option> }
                    })
                    .collect_view()
            }
        };
        view! {
            <li class="held" data-id=id>
                <span>{format!("{} · {} · {}", case.reference, case.title, case.status.as_str().replace('_', " "))}</span>
                <select class="handover-to" aria-label=label
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        chosen.update(|c| { c.insert(id, value); });
                    }>
                    {first}
                    {options}
                </select>
            </li>
        }
    };
    let cases = move || held.get().unwrap_or_default();
    let nothing_held = move || held.with(|h| h.as_ref().is_some_and(Vec::is_empty));
    view! {
        <section id="shift" class="shift-pane" aria-labelledby="shift-heading">
            <div class="found-bar">
                <h2 id="shift-heading">"End of shift: the cases you hold"</h2>
                <button type="button" id="back-from-shift"
                    on:click=move |_| desk.pane.set(Pane::Queue)>"Back to the queue"</button>
            </div>
            <p id="nothing-held" hidden=move || !nothing_held()>"You hold no case: nothing to hand over."</p>
            <ul id="held" class="held-list">
                <For each=cases key=|case| (case.id, case.updated_at.clone()) children=row/>
            </ul>
            <label for="handover-note">"Handover note (for every case handed over)"</label>
            <textarea id="handover-note" rows="3"
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            <p class="meta" hidden=move || nothing_held() || all_chosen()>
                "A case waiting on its user or escalated cannot go back to the queue: choose a colleague for it."
            </p>
            <button type="button" id="hand-over-all" disabled=move || nothing_held() || !all_chosen()
                on:click=move |_| hand_over()>"Hand over and release"</button>
        </section>
    }
}
