//! The queue: views with their counts (`helpline_shared::workspace`), and a
//! row per case with its SLA countdown, ticking every second, coloured by how
//! near the next deadline is.

use std::time::Duration;

use helpline_shared::workspace::{deadline, QueueView};
use leptos::prelude::*;

use crate::app::Desk;

fn now() -> i64 {
    js_sys::Date::now() as i64
}

#[component]
pub fn QueueTable(desk: Desk) -> impl IntoView {
    let view_shown = RwSignal::new(QueueView::AllOpen);
    // Whoever signs in starts from every open case.
    Effect::new(move |_| {
        desk.api.track();
        view_shown.set(QueueView::AllOpen);
    });
    let clock = RwSignal::new(now());
    let _ = set_interval_with_handle(move || clock.set(now()), Duration::from_secs(1));
    let me = move || {
        desk.queue
            .with(|q| q.as_ref().map_or(0, |q| q.specialist.id))
    };
    let views = move || {
        QueueView::ALL
            .into_iter()
            .map(|view| {
                let count = desk.queue.with(|q| {
                    q.as_ref()
                        .map_or(0, |q| view.count(&q.cases, me(), clock.get()))
                });
                view! {
                    <button type="button" class="view" data-view=view.label()
                        aria-pressed=move || (view_shown.get() == view).to_string()
                        on:click=move |_| view_shown.set(view)>
                        {view.label()} " " <span class="count">{count}</span>
                    </button>
                }
            })
            .collect_view()
    };
    let rows = move || {
        let (me, at, shown) = (me(), clock.get(), view_shown.get());
        desk.queue.with(|q| {
            q.iter()
                .flat_map(|q| q.cases.iter())
                .filter(|case| shown.holds(case, me, at))
                .map(|case| {
                    let id = case.id;
                    let due = deadline(case.next_due.as_deref(), at);
                    view! {
                        <tr tabindex="0" data-id=id
                            on:click=move |_| desk.open_case(id)
                            on:keydown=move |ev| if ev.key() == "Enter" { desk.open_case(id) }>
                            <td>{case.reference.clone()}</td>
                            <td>{case.priority.as_str()}</td>
                            <td>{case.title.clone()}</td>
                            <td>{case.status.as_str().replace('_', " ")}</td>
                            <td>{case.assignee.as_ref().map(|a| a.name.clone())}</td>
                            <td>{case.platform.clone()}</td>
                            <td>{case.reporter_name.clone().unwrap_or_else(|| case.reporter_id.clone())}</td>
                            <td class=due.class()>{due.words()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="queue-pane" aria-label="Queue">
            <nav class="views" aria-label="Queue views">{views}</nav>
            <table id="queue">
                <thead>
                    <tr>
                        <th>"Ref"</th><th>"Priority"</th><th>"Title"</th><th>"Status"</th>
                        <th>"Holder"</th><th>"Platform"</th><th>"Reporter"</th><th>"Next SLA deadline"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
