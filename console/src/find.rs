//! Finding a case (`GET /v1/cases?q=`): the search box in the bar (`/`
//! focuses it), its results in the queue's rows, more on request, and the
//! way back to the queue.

use helpline_shared::api::{CaseSummary, FoundCases};
use leptos::prelude::*;

use crate::app::{Desk, Pane};
use crate::queue::CaseTable;

/// The results of the last search, as far as they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub query: String,
    pub cases: Vec<CaseSummary>,
    pub next_cursor: Option<String>,
}

impl Found {
    fn more(mut self, page: FoundCases) -> Found {
        self.cases.extend(page.cases);
        self.next_cursor = page.next_cursor;
        self
    }
}

impl Desk {
    /// Searches for `query`, or reads the next page of the results shown.
    fn find(self, query: String, next_page: bool) {
        let shown = self.found.get_untracked();
        let cursor = shown
            .as_ref()
            .filter(|_| next_page)
            .and_then(|f| f.next_cursor.clone());
        self.with_api(move |api| async move {
            let page = api.find(&query, cursor.as_deref()).await?;
            let found = match shown.filter(|_| next_page) {
                Some(shown) => shown.more(page),
                None => Found {
                    query,
                    cases: page.cases,
                    next_cursor: page.next_cursor,
                },
            };
            self.status.set(match found.cases.len() {
                0 => format!("Nothing found for “{}”.", found.query),
                1 => "1 case found.".into(),
                n => format!("{n} cases found."),
            });
            self.found.set(Some(found));
            self.pane.set(Pane::Found);
            Ok(())
        });
    }
}

/// The search box.
#[component]
pub fn FindBox(desk: Desk) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    view! {
        <form id="find" class="find" role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                let query = typed.get_untracked().trim().to_owned();
                if !query.is_empty() {
                    desk.find(query, false);
                }
            }>
            <label for="find-q" class="visually-hidden">"Find a case"</label>
            <input id="find-q" type="search" autocomplete="off"
                placeholder="Find a case: ref, reporter or words  ( / )"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))/>
            <button type="submit">"Find"</button>
        </form>
    }
}

/// The results in place of the queue, while there are some to show.
#[component]
pub fn FoundTable(desk: Desk) -> impl IntoView {
    let cases = move || {
        desk.found
            .with(|f| f.as_ref().map(|f| f.cases.clone()).unwrap_or_default())
    };
    let heading = move || {
        desk.found.with(|f| {
            f.as_ref()
                .map(|f| format!("Cases found for “{}”", f.query))
                .unwrap_or_default()
        })
    };
    let no_more = move || {
        desk.found
            .with(|f| f.as_ref().is_none_or(|f| f.next_cursor.is_none()))
    };
    let query = move || desk.found.with(|f| f.as_ref().map(|f| f.query.clone()));
    view! {
        <section class="found-pane" aria-labelledby="found-heading">
            <div class="found-bar">
                <h2 id="found-heading">{heading}</h2>
                <button type="button" id="back-to-queue"
                    on:click=move |_| desk.pane.set(Pane::Queue)>"Back to the queue"</button>
            </div>
            <CaseTable desk id="found" cases=Signal::derive(cases)/>
            <button type="button" id="more-found" hidden=no_more
                on:click=move |_| if let Some(query) = query() { desk.find(query, true) }>
                "More results"
            </button>
        </section>
    }
}
