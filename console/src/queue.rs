//! The queue: filters (platform, priority, status: what the API is asked
//! for), views with their counts (`helpline_shared::workspace`), and a row
//! per case with its SLA countdown, ticking every second, coloured by how
//! near the next deadline is. Search results are shown in the same rows.

use helpline_shared::api::CaseSummary;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::priority::Priority;
use helpline_shared::workspace::{deadline, QueueFilters, QueueView};
use leptos::prelude::*;

use crate::app::Desk;

#[component]
pub fn QueueTable(desk: Desk) -> impl IntoView {
    let view_shown = move || desk.filters.with(|f| f.view);
    let views = QueueView::ALL
        .into_iter()
        .map(|view| {
            // Over every case the filters let through, as the Worker counts.
            let count = move || {
                desk.queue
                    .with(|q| q.as_ref().map_or(0, |q| view.counted(&q.counts)))
            };
            // Each view asks the Worker for its own most urgent cases.
            let show = move |_| {
                desk.filters.update(|f| f.view = view);
                desk.refresh_queue();
            };
            view! {
                <button type="button" class="view" data-view=view.label()
                    aria-pressed=move || (view_shown() == view).to_string()
                    on:click=show>
                    {view.label()} " " <span class="count">{count}</span>
                </button>
            }
        })
        .collect_view();
    // The rows of the view asked for, once they are here (the counts do not
    // depend on the view, and stay).
    let current = move || {
        desk.filters
            .with(|f| desk.queue_for.with(|on| on.as_ref() == Some(f)))
    };
    let listed = Memo::new(move |_| {
        let current = current();
        desk.queue.with(|q| {
            q.as_ref()
                .filter(|_| current)
                .map(|q| q.cases.clone())
                .unwrap_or_default()
        })
    });
    // A busy desk has more open cases than one page: say so, not hide it.
    let more = move || {
        let total = desk
            .queue
            .with(|q| q.as_ref().map_or(0, |q| view_shown().counted(&q.counts)));
        let listed = listed.with(Vec::len) as i64;
        (current() && total > listed).then(|| {
            format!("The {listed} most urgent of {total} are listed: a filter narrows them.")
        })
    };
    view! {
        <section class="queue-pane" aria-label="Queue">
            <QueueFilterBar desk/>
            <nav class="views" aria-label="Queue views">{views}</nav>
            <CaseTable desk id="queue" cases=Signal::derive(move || listed.get())/>
            <p id="queue-more" class="meta" hidden=move || more().is_none()>{move || more().unwrap_or_default()}</p>
        </section>
    }
}

/// The filters: each change asks the API for the queue again.
#[component]
fn QueueFilterBar(desk: Desk) -> impl IntoView {
    let set = move |change: &dyn Fn(&mut QueueFilters, Option<String>), value: String| {
        desk.filters
            .update(|f| change(f, Some(value).filter(|v| !v.is_empty())));
        desk.refresh_queue();
    };
    let platforms = move || {
        let chosen = desk.filters.with(|f| f.platform.clone());
        desk.platforms.with(|seen| {
            seen.iter()
                .map(|p| {
                    let selected = chosen.as_deref() == Some(p);
                    view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                })
                .collect_view()
        })
    };
    let priority = desk.filters.with_untracked(|f| f.priority);
    let status = desk.filters.with_untracked(|f| f.status);
    view! {
        <div class="filters">
            <select id="filter-platform" aria-label="Platform"
                on:change=move |ev| set(&|f, v| f.platform = v, event_target_value(&ev))>
                <option value="">"Every platform"</option>
                {platforms}
            </select>
            <select id="filter-priority" aria-label="Priority"
                on:change=move |ev| set(&|f, v| f.priority = v.as_deref().and_then(Priority::parse), event_target_value(&ev))>
                <option value="">"Every priority"</option>
                {Priority::ALL.into_iter().map(|p| view! { <option value=p.as_str() selected=priority == Some(p)>{p.as_str()}</option> }).collect_view()}
            </select>
            <select id="filter-status" aria-label="Status"
                on:change=move |ev| set(&|f, v| f.status = v.as_deref().and_then(CaseStatus::parse), event_target_value(&ev))>
                <option value="">"Every open status"</option>
                {QueueFilters::statuses().map(|s| view! { <option value=s.as_str() selected=status == Some(s)>{s.as_str().replace('_', " ")}</option> }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}

/// Cases as rows: open one by click or `Enter`. A row stays as it is until
/// its case changes; its countdown ticks on its own.
#[component]
pub fn CaseTable(desk: Desk, id: &'static str, cases: Signal<Vec<CaseSummary>>) -> impl IntoView {
    let row = move |case: CaseSummary| {
        let id = case.id;
        let next_due = case.next_due.clone();
        let due = move || deadline(next_due.as_deref(), desk.clock.get());
        let due_class = due.clone();
        view! {
            <tr tabindex="0" data-id=id
                on:click=move |_| desk.open_case(id)
                on:keydown=move |ev| if ev.key() == "Enter" { desk.open_case(id) }>
                <td>{case.reference}</td>
                <td>{case.priority.as_str()}</td>
                <td>{case.title}</td>
                <td>{case.status.as_str().replace('_', " ")}</td>
                <td>{case.assignee.map(|a| a.name)}</td>
                <td>{case.platform}</td>
                <td>{case.reporter_name.unwrap_or(case.reporter_id)}</td>
                <td class=move || due_class().class()>{move || due().words()}</td>
            </tr>
        }
    };
    view! {
        <table id=id class="cases">
            <thead>
                <tr>
                    <th>"Ref"</th><th>"Priority"</th><th>"Title"</th><th>"Status"</th>
                    <th>"Holder"</th><th>"Platform"</th><th>"Reporter"</th><th>"Next SLA deadline"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || cases.get() key=|case| (case.id, case.updated_at.clone()) children=row/>
            </tbody>
        </table>
    }
}
