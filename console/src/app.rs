//! The console's frame: signing in and out (the token is kept for this tab
//! only), the status line, and the queue beside the open case. The queue is
//! read again every 15 seconds and after every change made here.

use std::time::Duration;

use helpline_shared::api::{CaseView, Queue};
use helpline_shared::escalation::EscalationPolicy;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, Failure};
use crate::case::CaseWorkspace;
use crate::queue::QueueTable;

const TOKEN_KEY: &str = "helpline-token";
const REFRESH: Duration = Duration::from_secs(15);

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
/// line says, the queue, the case on screen and the escalation policy.
#[derive(Clone, Copy)]
pub struct Desk {
    pub api: RwSignal<Option<Api>>,
    pub status: RwSignal<String>,
    pub queue: RwSignal<Option<Queue>>,
    pub open: RwSignal<Option<CaseView>>,
    pub policy: RwSignal<Option<EscalationPolicy>>,
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

    pub fn refresh_queue(self) {
        self.with_api(move |api| async move {
            let queue = api.queue().await?;
            self.queue.set(Some(queue));
            Ok(())
        });
    }

    pub fn open_case(self, id: i64) {
        self.with_api(move |api| async move {
            let case = api.case(id).await?;
            self.open.set(Some(case));
            Ok(())
        });
    }

    fn sign_in(self, token: String) {
        keep_token(Some(&token));
        self.api.set(Some(Api::new(token)));
        self.status.set(String::new());
        self.refresh_queue();
        self.with_api(move |api| async move {
            self.policy.set(Some(api.policy().await?));
            Ok(())
        });
    }

    fn sign_out(self) {
        keep_token(None);
        self.api.set(None);
        self.queue.set(None);
        self.open.set(None);
    }

    fn claim_next(self) {
        self.with_api(move |api| async move {
            match api.claim().await? {
                Some(case) => {
                    self.status.set(format!("You hold {} now.", case.reference));
                    self.open.set(Some(case));
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

/// The queue's keys, while no field has the focus: `j` and `k` move down and
/// up the queue's rows (`Enter` on a row opens it), `c` claims the next case.
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
        key @ ("j" | "k") => move_along_queue(&document, key == "j"),
        _ => return,
    }
    ev.prevent_default();
}

/// Focuses the queue's next (or previous) row after the focused one; the
/// first (or last) when none is focused.
fn move_along_queue(document: &web_sys::Document, down: bool) {
    use wasm_bindgen::JsCast;
    let Ok(rows) = document.query_selector_all("#queue tbody tr") else {
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

#[component]
pub fn App() -> impl IntoView {
    let desk = Desk {
        api: RwSignal::new(None),
        status: RwSignal::new(String::new()),
        queue: RwSignal::new(None),
        open: RwSignal::new(None),
        policy: RwSignal::new(None),
    };
    if let Some(token) = kept_token() {
        desk.sign_in(token);
    }
    let _ = set_interval_with_handle(move || desk.refresh_queue(), REFRESH);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if desk.api.with_untracked(Option::is_some) {
            shortcut(desk, &ev);
        }
    });
    on_cleanup(move || keys.remove());
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
                <span class="who" hidden=move || !signed_in()>{who}</span>
                <button type="button" id="claim" hidden=move || !signed_in()
                    on:click=move |_| desk.claim_next()>"Claim next case"</button>
                <button type="button" id="signout" hidden=move || !signed_in()
                    on:click=move |_| desk.sign_out()>"Sign out"</button>
            </header>
            <p id="status" role="status" aria-live="polite">{move || desk.status.get()}</p>
            <div class="layout" hidden=move || !signed_in()>
                <QueueTable desk/>
                <CaseWorkspace desk/>
            </div>
        </main>
    }
}
