//! Today and the daily report: the report of any date and time zone as the
//! Worker renders it (figures, charts, SLA, key tickets, incidents — the page
//! a lead gets), in a frame that runs no script; and the same report as
//! Markdown, to copy into IM or an email. Nothing is rendered twice: the
//! console shows what `helpline_shared::report` wrote.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::app::Desk;

#[component]
pub fn ReportPane(desk: Desk) -> impl IntoView {
    // Empty: today, in the desk's time zone (the Worker's setting).
    let date = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let page = RwSignal::new(String::new());
    let markdown = RwSignal::new(String::new());
    let heading = RwSignal::new("Today so far".to_owned());
    let show = move || {
        let (day, tz) = (date.get_untracked(), zone.get_untracked());
        desk.with_api(move |api| async move {
            let html = api.report(&day, &tz, "html").await?;
            markdown.set(api.report(&day, &tz, "markdown").await?);
            page.set(html);
            heading.set(if day.is_empty() {
                "Today so far".into()
            } else {
                format!("The day {day}")
            });
            Ok(())
        });
    };
    show();
    let copy = move |_| {
        let text = markdown.get_untracked();
        spawn_local(async move {
            let Some(window) = web_sys::window() else {
                return;
            };
            let written = JsFuture::from(window.navigator().clipboard().write_text(&text)).await;
            desk.status.set(match written {
                Ok(_) => "The report's Markdown is copied.".into(),
                Err(_) => "The browser refused to copy: select the Markdown and copy it.".into(),
            });
        });
    };
    view! {
        <section class="report-pane" aria-labelledby="report-heading">
            <h2 id="report-heading">{move || heading.get()}</h2>
            <form id="report-day" class="report-day"
                on:submit=move |ev| {
                    ev.prevent_default();
                    show();
                }>
                <label for="report-date">"Date"</label>
                <input id="report-date" type="date" prop:value=move || date.get()
                    on:input=move |ev| date.set(event_target_value(&ev))/>
                <label for="report-tz">"Time zone"</label>
                <input id="report-tz" placeholder="the desk's, or e.g. Asia/Shanghai"
                    prop:value=move || zone.get()
                    on:input=move |ev| zone.set(event_target_value(&ev))/>
                <button type="submit">"Show"</button>
            </form>
            <iframe id="report-frame" title="The daily report" sandbox=""
                srcdoc=move || page.get()></iframe>
            <label for="report-markdown">"Markdown, for IM or email"</label>
            <textarea id="report-markdown" readonly rows="8"
                prop:value=move || markdown.get()></textarea>
            <button type="button" id="copy-markdown" on:click=copy>"Copy the Markdown"</button>
        </section>
    }
}
