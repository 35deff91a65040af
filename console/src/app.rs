//! The console's frame: signing in and out (the token is kept for this tab
//! only), the status line, the search box, and the queue (or the cases
//! found) beside the open case. Every 2 seconds (while the tab is seen) the
//! console asks whether the queue changed (a `304` when not) and whether the
//! open case did, so a change made by a colleague shows without a reload;
//! one clock ticks every countdown.

use std::collections::BTreeSet;
use std::time::Duration;

use helpline_shared::api::{CaseView, Queue, SpecialistSummary};
use helpline_shared::clock::EpochMillis;
use helpline_shared::escalation::EscalationPolicy;
use helpline_shared::lifecycle::Role;
use helpline_shared::presence;
use helpline_shared::workspace::{QueueFilters, QueueView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, Failure};
use crate::case::CaseWorkspace;
use crate::find::{FindBox, Found, FoundTable};
use crate::incidents::IncidentsPane;
use crate::queue::QueueTable;
use crate::report::ReportPane;
use crate::shift::ShiftEnd;
use crate::sops::SopsPane;
use crate::team::TeamPane;

const TOKEN_KEY: &str = "helpline-token";
const POLL: Duration = Duration::from_secs(2);
const TICK: Duration = Duration::from_secs(1);

pub(crate) fn now() -> EpochMillis {
    js_sys::Date::now() as EpochMillis
}

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn kept_token() -> Option<String> {
    tab_storage()?
        .get_item(TOKEN_KEY)
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

fn keep_token(token: Option<&str>) {
    if let Some(storage) = tab_storage() {
        let _ = match token {
            Some(token) => storage.set_item(TOKEN_KEY, token),
            None => storage.remove_item(TOKEN_KEY),
        };
    }
}

/// What every part of the console shares: who is signed in, what the status
/// line says, the queue, the cases found, which list is beside the case,
/// the case on screen, the escalation policy, the colleagues a case can be
/// handed to, and the time the countdowns count from.
#[derive(Clone, Copy)]
pub struct Desk {
    pub api: RwSignal<Option<Api>>,
    pub status: RwSignal<String>,
    pub queue: RwSignal<Option<Queue>>,
    /// The `ETag` of the queue on screen, to ask whether it changed.
    pub queue_tag: StoredValue<Option<String>>,
    pub filters: RwSignal<QueueFilters>,
    /// What the queue on screen was asked for: its rows are shown only while
    /// that is still what is asked (a view just pressed waits for its own).
    pub queue_for: RwSignal<Option<QueueFilters>>,
    /// Every platform the queue has shown, so a filter on one can be undone
    /// for another.
    pub platforms: RwSignal<BTreeSet<String>>,
    pub open: RwSignal<Option<CaseView>>,
    pub policy: RwSignal<Option<EscalationPolicy>>,
    pub found: RwSignal<Option<Found>>,
    /// Which list is beside the case.
    pub pane: RwSignal<Pane>,
    pub team: RwSignal<Option<Vec<SpecialistSummary>>>,
    pub clock: RwSignal<EpochMillis>,
    /// Who else has the open case open, in words (one `String` signal more,
    /// not a new signal type: each is compiled code).
    pub present: RwSignal<String>,
    /// When the reply or note box last changed (0: not yet), for the
    /// presence beat.
    pub typed_at: RwSignal<EpochMillis>,
}

impl Desk {
    /// Runs `call` with the signed-in credentials; a failure goes to the
    /// status line, and a revoked or expired token signs out.
    pub fn with_api<F, Fut>(self, call: F)
    where
        F: FnOnce(Api) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<(), Failure>> + 'static,
    {
        let Some(api) = self.api.get_untracked() else {
            return;
        };
        spawn_local(async move {
            if let Err(failure) = call(api).await {
                if matches!(failure, Failure::SignedOut(_)) {
                    self.sign_out();
                }
                self.status.set(failure.message());
            }
        });
    }

    /// Reads the queue again, whatever is on screen.
    pub fn refresh_queue(self) {
        self.queue_tag.set_value(None);
        self.poll_queue();
    }

    /// Reads the queue if it changed since the page on screen.
    fn poll_queue(self) {
        self.with_api(move |api| async move {
            let filters = self.filters.get_untracked();
            let tag = self.queue_tag.get_value();
            let answer = api.queue_if_changed(&filters, tag).await?;
            // An answer for filters changed meanwhile is not the queue asked for now.
            let still_asked = self.filters.with_untracked(|now| *now == filters);
            if let (Some((queue, tag)), true) = (answer, still_asked) {
                self.queue_tag.set_value(tag);
                self.show_queue(queue, filters);
            }
            Ok(())
        });
    }

    /// Shows the open case again if it changed elsewhere (a colleague's
    /// note, the reporter's answer); what is typed here stays.
    fn poll_open_case(self) {
        let Some(id) = self.open.with_untracked(|c| c.as_ref().map(|c| c.id)) else {
            return;
        };
        // The case and the beat go side by side: neither waits on the other.
        self.with_api(move |api| async move {
            let case = api.case(id).await?;
            // Only a newer version of the case still on screen: an answer
            // overtaken by one's own change (or another case opened) is old.
            let newer = self.open.with_untracked(|c| {
                c.as_ref()
                    .is_some_and(|c| c.id == id && case.version > c.version)
            });
            if newer {
                self.open.set(Some(case));
            }
            Ok(())
        });
        self.with_api(move |api| async move {
            let typing = presence::typing(Some(self.typed_at.get_untracked()), now());
            let present = api.beat(id, typing).await?.present;
            if self
                .open
                .with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id))
            {
                self.present.set(presence::describe(&present));
            }
            Ok(())
        });
    }

    /// The active colleagues (id, name) a case can be handed to: all but
    /// `except` (its holder).
    pub fn colleagues_but(self, except: Option<i64>) -> Vec<(String, String)> {
        self.team.with(|team| {
            team.iter()
                .flatten()
                .filter(|s| Some(s.id) != except)
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect()
        })
    }

    fn show_queue(self, queue: Queue, asked: QueueFilters) {
        self.queue_for.set(Some(asked));
        self.platforms
            .update(|seen| seen.extend(queue.cases.iter().map(|c| c.platform.clone())));
        self.queue.set(Some(queue));
    }

    pub fn open_case(self, id: i64) {
        self.with_api(move |api| async move {
            self.show_case(Some(api.case(id).await?));
            Ok(())
        });
    }

    /// Puts `case` on screen; who else was on the one before is not on it.
    fn show_case(self, case: Option<CaseView>) {
        self.present.set(String::new());
        self.open.set(case);
    }

    fn sign_in(self, token: String) {
        keep_token(Some(&token));
        self.api.set(Some(Api::new(token)));
        self.status.set(String::new());
        // Whoever signs in starts from every open case.
        self.filters.update(|f| f.view = QueueView::AllOpen);
        // Everything a shift needs is read before the queue shows, so a
        // queue on screen means the console has all it works with.
        self.with_api(move |api| async move {
            let policy = api.policy().await?;
            let team = api.team().await?.specialists;
            let filters = self.filters.get_untracked();
            let queue = api.queue_if_changed(&filters, None).await?;
            self.policy.set(Some(policy));
            self.team.set(Some(team));
            if let Some((queue, tag)) = queue {
                self.queue_tag.set_value(tag);
                self.show_queue(queue, filters);
            }
            Ok(())
        });
    }

    fn sign_out(self) {
        keep_token(None);
        self.api.set(None);
        self.queue.set(None);
        self.found.set(None);
        self.pane.set(Pane::Queue);
        self.show_case(None);
    }

    fn claim_next(self) {
        self.with_api(move |api| async move {
            match api.claim().await? {
                Some(case) => {
                    self.status.set(format!("You hold {} now.", case.reference));
                    self.show_case(Some(case));
                    self.refresh_queue();
                }
                None => self
                    .status
                    .set("The queue is empty: nothing to claim.".into()),
            }
            Ok(())
        });
    }
}

/// The console's keys, while no field has the focus: `j` and `k` move down
/// and up the rows of cases (`Enter` on a row opens it), `c` claims the next
/// case, `/` goes to the search box.
fn shortcut(desk: Desk, ev: &web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let typing = document
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    if typing {
        return;
    }
    match ev.key().as_str() {
        "c" => desk.claim_next(),
        key @ ("j" | "k") => move_along_rows(&document, key == "j"),
        "/" => focus(&document, "find-q"),
        _ => return,
    }
    ev.prevent_default();
}

fn focus(document: &web_sys::Document, id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(field) = document
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = field.focus();
    }
}

/// Focuses the next (or previous) row of cases after the focused one; the
/// first (or last) when none is focused.
fn move_along_rows(document: &web_sys::Document, down: bool) {
    use wasm_bindgen::JsCast;
    let Ok(rows) = document.query_selector_all("table.cases tbody tr") else {
        return;
    };
    let rows: Vec<web_sys::HtmlElement> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    if rows.is_empty() {
        return;
    }
    let focused = document.active_element();
    let at = rows.iter().position(|row| {
        focused
            .as_ref()
            .is_some_and(|f| f == row.unchecked_ref::<web_sys::Element>())
    });
    let next = match (at, down) {
        (Some(i), true) => (i + 1).min(rows.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
        (None, true) => 0,
        (None, false) => rows.len() - 1,
    };
    let _ = rows[next].focus();
}

/// The list shown beside the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    /// The cases the last search found.
    Found,
    ShiftEnd,
    Incidents,
    /// For admins.
    Team,
    /// Today so far, or the daily report of another day.
    Report,
    /// The SOP articles and the questions they did not answer.
    Sops,
}

#[component]
pub fn App() -> impl IntoView {
    let desk = Desk {
        api: RwSignal::new(None),
        status: RwSignal::new(String::new()),
        queue: RwSignal::new(None),
        queue_tag: StoredValue::new(None),
        queue_for: RwSignal::new(None),
        filters: RwSignal::new(QueueFilters::default()),
        platforms: RwSignal::new(BTreeSet::new()),
        open: RwSignal::new(None),
        policy: RwSignal::new(None),
        found: RwSignal::new(None),
        pane: RwSignal::new(Pane::Queue),
        team: RwSignal::new(None),
        clock: RwSignal::new(now()),
        present: RwSignal::new(String::new()),
        typed_at: RwSignal::new(0),
    };
    if let Some(token) = kept_token() {
        desk.sign_in(token);
    }
    let _ = set_interval_with_handle(
        move || {
            let seen = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| !d.hidden());
            if seen {
                desk.poll_queue();
                desk.poll_open_case();
            }
        },
        POLL,
    );
    let _ = set_interval_with_handle(move || desk.clock.set(now()), TICK);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if desk.api.with_untracked(Option::is_some) {
            shortcut(desk, &ev);
        }
    });
    on_cleanup(move || keys.remove());
    let is_admin = move || {
        desk.queue
            .with(|q| q.as_ref().is_some_and(|q| q.specialist.role == Role::Admin))
    };
    let typed = RwSignal::new(String::new());
    let signed_in = move || desk.api.with(Option::is_some);
    let who = move || {
        desk.queue.with(|q| {
            q.as_ref()
                .map(|q| format!("{} ({})", q.specialist.name, q.specialist.role.as_str()))
                .unwrap_or_default()
        })
    };
    view! {
        <main class="page">
            <header class="bar">
                <h1>"Helpline queue"</h1>
                <form id="signin" class="signin" hidden=signed_in
                    on:submit=move |ev| {
                        ev.prevent_default();
                        let token = typed.get_untracked().trim().to_owned();
                        typed.set(String::new());
                        if !token.is_empty() {
                            desk.sign_in(token);
                        }
                    }>
                    <label for="token">"Specialist token"</label>
                    <input id="token" name="token" type="password" autocomplete="off" required
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="submit">"Sign in"</button>
                </form>
                <div hidden=move || !signed_in()><FindBox desk/></div>
                <span class="who" hidden=move || !signed_in()>{who}</span>
                <button type="button" id="queue-tab" hidden=move || !signed_in()
                    on:click=move |_| desk.pane.set(Pane::Queue)>"Queue"</button>
                <button type="button" id="claim" hidden=move || !signed_in()
                    on:click=move |_| desk.claim_next()>"Claim next case"</button>
                <button type="button" id="end-shift" hidden=move || !signed_in()
                    on:click=move |_| {
                        desk.pane.set(Pane::ShiftEnd);
                    }>"End of shift"</button>
                <button type="button" id="incidents-tab" hidden=move || !signed_in()
                    on:click=move |_| desk.pane.set(Pane::Incidents)>"Incidents"</button>
                <button type="button" id="report-tab" hidden=move || !signed_in()
                    on:click=move |_| desk.pane.set(Pane::Report)>"Report"</button>
                <button type="button" id="sops-tab" hidden=move || !signed_in()
                    on:click=move |_| desk.pane.set(Pane::Sops)>"SOPs"</button>
                <button type="button" id="team-tab" hidden=move || !is_admin()
                    on:click=move |_| desk.pane.set(Pane::Team)>"Team"</button>
                <button type="button" id="signout" hidden=move || !signed_in()
                    on:click=move |_| desk.sign_out()>"Sign out"</button>
            </header>
            <p id="status" role="status" aria-live="polite">{move || desk.status.get()}</p>
            <div class="layout" hidden=move || !signed_in()>
                {move || match desk.pane.get() {
                    Pane::Found => view! { <FoundTable desk/> }.into_any(),
                    Pane::ShiftEnd => view! { <ShiftEnd desk/> }.into_any(),
                    Pane::Queue => view! { <QueueTable desk/> }.into_any(),
                    Pane::Incidents => view! { <IncidentsPane desk/> }.into_any(),
                    Pane::Team => view! { <TeamPane desk/> }.into_any(),
                    Pane::Report => view! { <ReportPane desk/> }.into_any(),
                    Pane::Sops => view! { <SopsPane desk/> }.into_any(),
                }}
                <CaseWorkspace desk/>
            </div>
        </main>
    }
}
