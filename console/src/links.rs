//! Troubleshooting links: on the open case, the addresses its platform's
//! templates fill from it (the user's record in the platform's admin tool,
//! its logs around the case's time), one click away; and on the Team screen,
//! the templates, which admins add and remove. The Worker fills them
//! (`helpline_shared::troubleshooting`): only `https`, every value encoded.

use helpline_shared::api::{CreateLinkRequest, LinkTemplateView, TroubleshootingLink};
use leptos::prelude::*;

use crate::app::Desk;

/// The open case's links, read again when another case opens.
#[component]
pub fn CaseLinksView(desk: Desk) -> impl IntoView {
    let links = RwSignal::new(Vec::<TroubleshootingLink>::new());
    let opened = Memo::new(move |_| desk.open.with(|c| c.as_ref().map(|c| c.id)));
    Effect::new(move |_| {
        links.set(Vec::new());
        let Some(id) = opened.get() else {
            return;
        };
        desk.with_api(move |api| async move {
            let found = api.case_links(id).await?.links;
            // Only what the case on screen is still this one's.
            if opened.get_untracked() == Some(id) {
                links.set(found);
            }
            Ok(())
        });
    });
    let items = move || {
        links
            .get()
            .into_iter()
            .filter(|l| l.url.starts_with("https://"))
            .map(|l| {
                view! {
                    <li><a href=l.url target="_blank" rel="noopener noreferrer">{l.label}</a></li>
                }
            })
            .collect_view()
    };
    view! {
        <section id="case-links" class="case-links" hidden=move || links.with(Vec::is_empty)
            aria-labelledby="case-links-heading">
            <h3 id="case-links-heading">"Troubleshooting"</h3>
            <ul>{items}</ul>
        </section>
    }
}

/// The link templates, for admins to add and remove.
#[component]
pub fn LinkTemplates(desk: Desk) -> impl IntoView {
    let kept = RwSignal::new(Vec::<LinkTemplateView>::new());
    let load = move || {
        desk.with_api(move |api| async move {
            kept.set(api.link_templates().await?.templates);
            Ok(())
        })
    };
    load();
    let platform = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let template = RwSignal::new(String::new());
    let add = move || {
        let body = CreateLinkRequest {
            platform: platform.get_untracked(),
            label: label.get_untracked(),
            template: template.get_untracked(),
        };
        desk.with_api(move |api| async move {
            let added = api.create_link(&body).await?;
            label.set(String::new());
            template.set(String::new());
            desk.status.set(format!(
                "“{}” shows on {} cases now.",
                added.label, added.platform
            ));
            load();
            Ok(())
        });
    };
    let remove = move |gone: LinkTemplateView| {
        desk.with_api(move |api| async move {
            api.remove_link(gone.id).await?;
            desk.status.set(format!("“{}” is removed.", gone.label));
            load();
            Ok(())
        });
    };
    let items = move || {
        kept.get()
            .into_iter()
            .map(|t| {
                let line = format!("{} · {} · {}", t.platform, t.label, t.template);
                let id = t.id;
                view! {
                    <li data-id=id>
                        <span>{line}</span>
                        <button type="button" class="remove-link"
                            on:click=move |_| remove(t.clone())>"Remove"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let field = |id: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id>{name}</label>
            <input id=id type="text" required
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <h3 id="links-heading">"Troubleshooting links"</h3>
        <p class="meta">
            "An https address per platform (* for every one); {reporter_id}, {platform}, \
             {page_url}, {case_ref}, {created_at}, {from} and {to} (15 minutes either side), \
             {from_ms} and {to_ms} are filled from the case."
        </p>
        <ul id="link-templates" class="link-templates" aria-labelledby="links-heading">{items}</ul>
        <form id="add-link" class="act" on:submit=move |ev| { ev.prevent_default(); add(); }>
            {field("link-platform", "Platform", platform)}
            {field("link-label", "Label", label)}
            {field("link-template", "Address", template)}
            <button type="submit">"Add link"</button>
        </form>
    }
}
