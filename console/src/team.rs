//! The team, for admins: the active specialists and their roles; a new one
//! created (their token shown this once, to copy and hand over); one revoked
//! (their open cases go back to the queue).

use helpline_shared::api::{CreateSpecialistRequest, SpecialistCreated, SpecialistSummary};
use helpline_shared::lifecycle::Role;
use leptos::prelude::*;

use crate::app::Desk;
use crate::links::LinkTemplates;

impl Desk {
    fn load_team(self, list: RwSignal<Vec<SpecialistSummary>>) {
        self.with_api(move |api| async move {
            let specialists = api.specialists().await?.specialists;
            self.team.set(Some(specialists.clone()));
            list.set(specialists);
            Ok(())
        });
    }
}

const ROLES: [Role; 3] = [Role::Specialist, Role::Lead, Role::Admin];

#[component]
pub fn TeamPane(desk: Desk) -> impl IntoView {
    let list = RwSignal::new(Vec::<SpecialistSummary>::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Specialist.as_str().to_owned());
    let created = RwSignal::new(None::<SpecialistCreated>);
    desk.load_team(list);
    let me = move || desk.queue.with(|q| q.as_ref().map(|q| q.specialist.id));
    let create = move || {
        let body = CreateSpecialistRequest {
            name: name.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Specialist),
        };
        desk.with_api(move |api| async move {
            let made = api.create_specialist(&body).await?;
            name.set(String::new());
            desk.status.set(format!(
                "{} can sign in with the token below: it is shown this once.",
                made.specialist.name
            ));
            created.set(Some(made));
            desk.load_team(list);
            Ok(())
        });
    };
    let revoke = move |who: SpecialistSummary| {
        desk.with_api(move |api| async move {
            api.revoke_specialist(who.id).await?;
            desk.status.set(format!(
                "{}'s token is revoked; their open cases are back in the queue.",
                who.name
            ));
            desk.load_team(list);
            desk.refresh_queue();
            Ok(())
        });
    };
    let rows = move || {
        let me = me();
        list.get()
            .into_iter()
            .map(|s| {
                let id = s.id;
                let (name, role) = (s.name.clone(), s.role.as_str());
                view! {
                    <tr data-id=id>
                        <td>{name}</td>
                        <td>{role}</td>
                        <td>
                            <button type="button" class="revoke" hidden=me == Some(id)
                                on:click=move |_| revoke(s.clone())>"Revoke"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let token = move || created.with(|c| c.as_ref().map(|c| c.token.clone()).unwrap_or_default());
    view! {
        <section id="team" class="team-pane" aria-labelledby="team-heading">
            <h2 id="team-heading">"Team"</h2>
            <table id="team-list">
                <thead><tr><th>"Name"</th><th>"Role"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <form id="hire" class="act" on:submit=move |ev| { ev.prevent_default(); create(); }>
                <label for="hire-name">"New specialist's name"</label>
                <input id="hire-name" type="text" required
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
                <select id="hire-role" aria-label="Role" on:change=move |ev| role.set(event_target_value(&ev))>
                    {ROLES.into_iter().map(|r| view! { <option value=r.as_str()>{r.as_str()}</option> }).collect_view()}
                </select>
                <button type="submit">"Create"</button>
            </form>
            <p hidden=move || created.with(Option::is_none)>
                "Their token (shown this once): " <code id="new-token">{token}</code>
            </p>
            <LinkTemplates desk/>
        </section>
    }
}
