//! Incidents: the malfunctions the Worker opened from bursts of look-alike
//! cases, open ones first; one opened shows its cases (in the queue's rows),
//! one reply to all of them, and resolving it with what fixed it.

use helpline_shared::api::{IncidentDetail, IncidentView, ResolveIncidentRequest};
use leptos::prelude::*;

use crate::app::Desk;
use crate::queue::CaseTable;

impl Desk {
    fn load_incidents(self, list: RwSignal<Vec<IncidentView>>) {
        self.with_api(move |api| async move {
            let mut incidents = api.incidents().await?.incidents;
            // Open ones first, each side newest first as the API sends them.
            incidents.sort_by_key(|i| i.status != "open");
            list.set(incidents);
            Ok(())
        });
    }

    fn open_incident(self, id: i64, shown: RwSignal<Option<IncidentDetail>>) {
        self.with_api(move |api| async move {
            shown.set(Some(api.incident(id).await?));
            Ok(())
        });
    }
}

fn line(incident: &IncidentView) -> String {
    let mut line = format!(
        "{} · {} · {} cases · {}",
        incident.title, incident.platform, incident.cases, incident.status
    );
    if let Some(by) = &incident.resolved_by {
        line.push_str(&format!(" by {by}"));
    }
    if let Some(resolution) = &incident.resolution {
        line.push_str(&format!(": {resolution}"));
    }
    line
}

#[component]
pub fn IncidentsPane(desk: Desk) -> impl IntoView {
    let list = RwSignal::new(Vec::<IncidentView>::new());
    let shown = RwSignal::new(None::<IncidentDetail>);
    let reply = RwSignal::new(String::new());
    let resolution = RwSignal::new(String::new());
    desk.load_incidents(list);
    let items = move || {
        list.get()
            .into_iter()
            .map(|incident| {
                let id = incident.id;
                view! {
                    <li data-id=id class=format!("incident {}", incident.status)>
                        <button type="button" class="link"
                            on:click=move |_| desk.open_incident(id, shown)>{line(&incident)}</button>
                    </li>
                }
            })
            .collect_view()
    };
    let cases = Signal::derive(move || {
        shown.with(|d| d.as_ref().map(|d| d.cases.clone()).unwrap_or_default())
    });
    let heading = move || shown.with(|d| d.as_ref().map(|d| line(&d.incident)).unwrap_or_default());
    let open = move || shown.with(|d| d.as_ref().is_some_and(|d| d.incident.status == "open"));
    let act = move |action: &'static str| {
        let Some(id) = shown.with_untracked(|d| d.as_ref().map(|d| d.incident.id)) else {
            return;
        };
        desk.with_api(move |api| async move {
            if action == "reply" {
                let done = api.reply_to_incident(id, &reply.get_untracked()).await?;
                reply.set(String::new());
                desk.status.set(format!(
                    "Replied to {} cases ({} closed, skipped).",
                    done.replied, done.skipped
                ));
            } else {
                let said = resolution.get_untracked();
                let resolution_note = (!said.trim().is_empty()).then_some(said);
                let body = ResolveIncidentRequest {
                    resolution: resolution_note,
                };
                api.resolve_incident(id, &body).await?;
                resolution.set(String::new());
                desk.status.set("The incident is resolved.".into());
            }
            shown.set(Some(api.incident(id).await?));
            desk.load_incidents(list);
            desk.refresh_queue();
            Ok(())
        });
    };
    view! {
        <section id="incidents" class="incidents-pane" aria-labelledby="incidents-heading">
            <h2 id="incidents-heading">"Incidents"</h2>
            <p class="meta" hidden=move || !list.with(Vec::is_empty)>"No incident: no burst of look-alike cases."</p>
            <ul id="incident-list" class="incident-list">{items}</ul>
            <div id="incident" hidden=move || shown.with(Option::is_none)>
                <h3 id="incident-title">{heading}</h3>
                <CaseTable desk id="incident-cases" cases/>
                <div class="act" hidden=move || !open()>
                    <label for="incident-reply">"One reply to every case of the incident"</label>
                    <textarea id="incident-reply" rows="3"
                        prop:value=move || reply.get()
                        on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                    <button type="button" id="reply-all" on:click=move |_| act("reply")>"Reply to all"</button>
                    <label for="resolution">"What fixed it"</label>
                    <input id="resolution" type="text"
                        prop:value=move || resolution.get()
                        on:input=move |ev| resolution.set(event_target_value(&ev))/>
                    <button type="button" id="resolve-incident" on:click=move |_| act("resolve")>"Resolve the incident"</button>
                </div>
            </div>
        </section>
    }
}
