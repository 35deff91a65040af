//! SOP assist beside the composer: the published articles that best match
//! the open case (the Worker's SOP search, the widget's engine, over the
//! case's title and the start of its description), each insertable into the
//! reply as its steps; and the answers the reporter already read in the
//! widget and said did not help, marked, so nobody sends them again.

use helpline_shared::sop::SopHit;
use helpline_shared::workspace::assist_query;
use leptos::prelude::*;

use crate::app::Desk;

/// How many matching articles are offered.
const OFFERED: usize = 4;

#[component]
pub fn SopAssist(desk: Desk, message: RwSignal<String>) -> impl IntoView {
    let hits = RwSignal::new(Vec::<SopHit>::new());
    // Searched again only when another case opens, not at each change to it.
    let opened = Memo::new(move |_| {
        desk.open.with(|c| {
            c.as_ref()
                .map(|c| (c.id, assist_query(&c.title, &c.description)))
        })
    });
    Effect::new(move |_| {
        let Some((_, query)) = opened.get() else {
            return;
        };
        desk.with_api(move |api| async move {
            let mut found = api.sop_search(&query).await?.hits;
            found.truncate(OFFERED);
            hits.set(found);
            Ok(())
        });
    });
    let tried = move || {
        desk.open.with(|c| {
            c.as_ref()
                .map(|c| c.tried_answers.clone())
                .unwrap_or_default()
        })
    };
    let insert = move |slug: String| {
        desk.with_api(move |api| async move {
            let article = api.sop_article(&slug).await?;
            message.update(|m| {
                if !m.trim().is_empty() {
                    m.push_str("\n\n");
                }
                m.push_str(&article.body_markdown);
            });
            desk.status
                .set(format!("Inserted the steps of “{}”.", article.title));
            Ok(())
        })
    };
    let tried_items = move || {
        tried()
            .into_iter()
            .map(|t| {
                let title = t.title.unwrap_or_else(|| t.slug.clone());
                view! {
                    <li data-slug=t.slug>
                        <strong>{title}</strong>
                        " — did not help (they had typed: “" {t.query} "”)"
                    </li>
                }
            })
            .collect_view()
    };
    let hit_items = move || {
        let tried = tried();
        hits.get()
            .into_iter()
            .map(|hit| {
                let already = tried.iter().any(|t| t.slug == hit.slug);
                let slug = hit.slug.clone();
                view! {
                    <li data-slug=hit.slug.clone() class:tried=already>
                        <span>{hit.title}</span>
                        <span class="tried-mark" hidden=!already>" (already tried by the reporter)"</span>
                        <button type="button" class="insert"
                            on:click=move |_| insert(slug.clone())>"Insert steps"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <aside id="assist" class="assist" aria-label="SOP assist">
            <div hidden=move || tried().is_empty()>
                <h3>"Answers the reporter already tried"</h3>
                <ul id="tried">{tried_items}</ul>
            </div>
            <h3>"Matching SOPs"</h3>
            <p class="meta" hidden=move || !hits.with(Vec::is_empty)>"No published SOP matches this case."</p>
            <ul id="sop-hits">{hit_items}</ul>
        </aside>
    }
}
