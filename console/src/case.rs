//! One case, worked end to end: its header (priority, status, holder,
//! escalation, both SLA clocks), the description, the captured context as a
//! person reads it, the timeline with the team's internal entries set apart,
//! and the actions (a handover among them). Everything from the API is shown as text, never as
//! markup. A stale write reloads the case and keeps what was typed.

use crate::api::{CaseRequest, Failure};
use crate::app::Desk;
use crate::assist::SopAssist;
use crate::links::CaseLinksView;
use helpline_shared::api::{
    AssignRequest, CaseView, EscalateRequest, MessageRequest, SlaView, StatusRequest,
};
use helpline_shared::context::ContextPart;
use helpline_shared::lifecycle::CaseStatus;
use leptos::prelude::*;

/// The statuses a specialist may set here.
const NEXT_STATUSES: [CaseStatus; 4] = [
    CaseStatus::WaitingOnUser,
    CaseStatus::InProgress,
    CaseStatus::Resolved,
    CaseStatus::Closed,
];

fn words(status: CaseStatus) -> String {
    status.as_str().replace('_', " ")
}

/// A timestamp as the browser's local time.
fn local(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    date.to_locale_string("default", &js_sys::Object::new())
        .as_string()
        .unwrap_or_else(|| iso.to_owned())
}

fn meta(case: &CaseView) -> String {
    let reporter = &case.reporter;
    let mut line = format!(
        "{} · {} · {} · reported by {}",
        case.priority.as_str(),
        words(case.status),
        case.platform,
        reporter.name.as_deref().unwrap_or(&reporter.id)
    );
    if !reporter.verified && (reporter.name.is_some() || reporter.email.is_some()) {
        line.push_str(" (name and email unverified)");
    }
    if let Some(email) = &reporter.email {
        line.push_str(&format!(" <{email}>"));
    }
    if let Some(holder) = &case.assignee {
        line.push_str(&format!(" · held by {}", holder.name));
    }
    if let Some(escalation) = &case.escalation {
        let team = escalation.team_name.as_deref().unwrap_or(&escalation.team);
        line.push_str(&format!(
            " · escalated to {team} (level {}",
            escalation.level
        ));
        if let Some(holder) = &escalation.holder {
            line.push_str(&format!(", {holder}"));
        }
        line.push(')');
    }
    line
}

fn sla_line(sla: Option<&SlaView>) -> String {
    let Some(sla) = sla else {
        return String::new();
    };
    if sla.paused {
        return "SLA clock paused (waiting on the user)".into();
    }
    let first = match (&sla.first_response_at, &sla.first_response_due) {
        (Some(at), _) => format!("met {}", local(at)),
        (None, Some(due)) => local(due),
        (None, None) => "—".into(),
    };
    let resolution = sla
        .resolution_due
        .as_deref()
        .map_or_else(|| "—".to_owned(), local);
    let breached = if sla.first_response_breached || sla.resolution_breached {
        " · BREACHED"
    } else {
        ""
    };
    format!("First response due {first} · resolution due {resolution}{breached}")
}

/// The captured context as a list of what each part is and says; the page
/// and the page it came from as links.
fn context_view(case: &CaseView) -> impl IntoView {
    let items = case.context.items();
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|item| {
            let name = item.part.names()[0].to_owned();
            let is_link = matches!(item.part, ContextPart::Url | ContextPart::Referrer);
            let value = if is_link {
                let href = item.value.clone();
                view! { <a href=href target="_blank" rel="noopener noreferrer">{item.value}</a> }
                    .into_any()
            } else {
                view! { <span>{item.value}</span> }.into_any()
            };
            view! { <dt>{name}</dt><dd>{value}</dd> }
        })
        .collect_view();
    let json = serde_json::to_string_pretty(&case.context).unwrap_or_default();
    view! {
        <h3>"Captured context"</h3>
        <p class="meta" hidden=!empty>"Nothing was captured."</p>
        <dl id="case-context" class="context">{rows}</dl>
        <details><summary>"As JSON, to copy"</summary><pre class="context-json">{json}</pre></details>
    }
}

fn timeline(case: &CaseView) -> impl IntoView {
    case.events
        .iter()
        .map(|event| {
            let who = event
                .actor
                .name
                .clone()
                .unwrap_or_else(|| event.actor.kind.clone());
            let change = event
                .to_status
                .map(|s| format!(" → {}", words(s)))
                .unwrap_or_default();
            let body = event
                .body
                .as_ref()
                .map(|b| format!(": {b}"))
                .unwrap_or_default();
            let class = format!(
                "event event-{}{}",
                event.kind.as_str(),
                if event.kind.is_public() {
                    ""
                } else {
                    " internal"
                }
            );
            let line = format!(
                "{} · {} · {who}{change}{body}",
                local(&event.at),
                event.kind.as_str().replace('_', " ")
            );
            view! { <li class=class>{line}</li> }
        })
        .collect_view()
}

/// A handover to the colleague with id `to`, with `note` if there is one.
pub fn handover(to: &str, note: &str) -> CaseRequest {
    CaseRequest::Assign(AssignRequest {
        specialist_id: to.parse().unwrap_or_default(),
        note: (!note.trim().is_empty()).then(|| note.to_owned()),
    })
}

#[component]
pub fn CaseWorkspace(desk: Desk) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let next_status = RwSignal::new(CaseStatus::WaitingOnUser.as_str().to_owned());
    let team = RwSignal::new(String::new());
    let level = RwSignal::new("1".to_owned());
    let colleague = RwSignal::new(String::new());
    let act = move |action: &'static str| {
        let Some(case) = desk.open.get_untracked() else {
            return;
        };
        let text = message.get_untracked();
        let said = || MessageRequest { body: text.clone() };
        let request = match action {
            "reply" => CaseRequest::Reply(said()),
            "note" => CaseRequest::Note(said()),
            "status" => CaseRequest::Status(StatusRequest {
                status: CaseStatus::parse(&next_status.get_untracked())
                    .unwrap_or(CaseStatus::WaitingOnUser),
            }),
            "escalate" => CaseRequest::Escalate(EscalateRequest {
                team: team.get_untracked(),
                level: level.get_untracked().parse().unwrap_or(1),
                reason: text.clone(),
            }),
            "assign" => handover(&colleague.get_untracked(), &text),
            _ => CaseRequest::Release,
        };
        desk.with_api(move |api| async move {
            match api.act(&case, &request).await {
                Ok(changed) => {
                    if matches!(action, "reply" | "note" | "escalate" | "assign") {
                        message.set(String::new());
                        // Sent: colleagues should not read "is typing" any more.
                        desk.typed_at.set(0);
                    }
                    desk.status
                        .set(format!("Done: {action} on {}", changed.reference));
                    desk.open.set(Some(changed));
                    desk.refresh_queue();
                    Ok(())
                }
                Err(Failure::Stale) => {
                    desk.status.set(
                        "The case changed meanwhile: here it is as it is now; your text is kept."
                            .into(),
                    );
                    desk.open.set(Some(api.case(case.id).await?));
                    Ok(())
                }
                Err(failure) => Err(failure),
            }
        });
    };
    let teams = move || {
        desk.policy.with(|policy| {
            policy
                .iter()
                .flat_map(|p| p.teams.iter())
                .map(|t| view! { <option value=t.key.clone()>{t.name.clone()}</option> })
                .collect_view()
        })
    };
    // The first team is the choice until another is made.
    Effect::new(move |_| {
        if let Some(first) = desk.policy.with(|p| {
            p.as_ref()
                .and_then(|p| p.teams.first().map(|t| t.key.clone()))
        }) {
            if team.get_untracked().is_empty() {
                team.set(first);
            }
        }
    });
    // The case on screen and its holder: a choice of colleague is for one
    // case, and whoever holds it is not among those it can be handed to.
    let case_and_holder = Memo::new(move |_| {
        desk.open.with(|c| {
            c.as_ref()
                .map(|c| (c.id, c.assignee.as_ref().map(|a| a.id)))
        })
    });
    Effect::new(move |_| {
        case_and_holder.track();
        colleague.set(String::new());
    });
    let colleagues = move || {
        let holder = case_and_holder.get().and_then(|(_, holder)| holder);
        desk.colleagues_but(holder)
            .into_iter()
            .map(|(id, name)| {
                let value = id.clone();
                view! { <option value=id selected=move || colleague.get() == value>{name}</option> }
            })
            .collect_view()
    };
    let shown = move |f: fn(&CaseView) -> String| {
        move || desk.open.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    view! {
        <section id="case" class="case" aria-labelledby="case-title" hidden=move || desk.open.with(Option::is_none)>
            <h2 id="case-title">{shown(|c| format!("{} · {}", c.reference, c.title))}</h2>
            <p id="case-meta" class="meta">{shown(meta)}</p>
            <p id="case-sla" class="meta">{shown(|c| sla_line(c.sla.as_ref()))}</p>
            <p id="case-presence" class="presence" aria-live="polite">
                {move || desk.present.get()}
            </p>
            <pre id="case-description" class="description">{shown(|c| c.description.clone())}</pre>
            {move || desk.open.with(|c| c.as_ref().map(context_view))}
            <CaseLinksView desk/>
            <h3>"Timeline"</h3>
            <ol id="case-events" class="events">{move || desk.open.with(|c| c.as_ref().map(timeline))}</ol>
            <SopAssist desk message/>
            <form id="act" class="act" on:submit=|ev| ev.prevent_default()>
                <label for="message">"Message"</label>
                <textarea id="message" rows="4"
                    prop:value=move || message.get()
                    on:input=move |ev| {
                        message.set(event_target_value(&ev));
                        desk.typed_at.set(crate::app::now());
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            act("reply");
                        }
                    }></textarea>
                <div class="buttons">
                    <button type="button" data-action="reply" on:click=move |_| act("reply")>"Reply to the user"</button>
                    <button type="button" data-action="note" on:click=move |_| act("note")>"Add internal note"</button>
                </div>
                <div class="buttons">
                    <select id="next-status" aria-label="New status"
                        on:change=move |ev| next_status.set(event_target_value(&ev))>
                        {NEXT_STATUSES.into_iter().map(|s| view! { <option value=s.as_str()>{words(s)}</option> }).collect_view()}
                    </select>
                    <button type="button" data-action="status" on:click=move |_| act("status")>"Set status"</button>
                    <button type="button" data-action="release" on:click=move |_| act("release")>"Release to queue"</button>
                </div>
                <div class="buttons">
                    <select id="esc-team" aria-label="Escalation team"
                        prop:value=move || team.get()
                        on:change=move |ev| team.set(event_target_value(&ev))>{teams}</select>
                    <select id="esc-level" aria-label="Escalation level"
                        on:change=move |ev| level.set(event_target_value(&ev))>
                        <option>"1"</option><option>"2"</option><option>"3"</option>
                    </select>
                    <button type="button" data-action="escalate" on:click=move |_| act("escalate")>"Escalate (reason: the message)"</button>
                </div>
                <div class="buttons">
                    <select id="assign-to" aria-label="Hand over to"
                        on:change=move |ev| colleague.set(event_target_value(&ev))>
                        <option value="" selected=move || colleague.get().is_empty()>"Hand over to…"</option>
                        {colleagues}
                    </select>
                    <button type="button" data-action="assign" on:click=move |_| act("assign")>"Hand over (note: the message)"</button>
                </div>
            </form>
        </section>
    }
}
