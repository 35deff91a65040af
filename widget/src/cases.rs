//! "My cases": the reporter's cases with their status; one case's public
//! timeline (the team's replies and the reporter's messages); writing back;
//! confirming a solved case with a rating, or saying it is not solved (which
//! reopens it). Polled while the page is visible, briskly while the panel is
//! open; what changed since the reporter last looked is marked, and counted
//! on the launcher's badge.

use std::cell::Cell;
use std::time::Duration;

use helpline_shared::browser_store::{self, Kept};
use helpline_shared::events::CaseEventKind;
use helpline_shared::lifecycle::CaseStatus;
use helpline_shared::seen::{mark_seen, unread, Seen};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::{self, CaseToFollow, MyCase, ReporterAction, TimelineEntry};
use crate::describe::local_time;
use crate::{bridge, storage, WidgetConfig};

/// How often the list is refreshed while the panel is open; when it is
/// closed, every fourth time.
const POLL: Duration = Duration::from_secs(10);

/// The reporter's cases, each marked if they have not seen it as it is now,
/// kept fresh.
#[derive(Clone, Copy)]
pub struct MyCases {
    pub list: RwSignal<Vec<MyCase>>,
    config: StoredValue<WidgetConfig>,
}

impl MyCases {
    pub fn start(config: WidgetConfig) -> MyCases {
        let cases = MyCases {
            list: RwSignal::new(Vec::new()),
            config: StoredValue::new(config),
        };
        cases.refresh();
        let ticks = Cell::new(0u32);
        let _ = set_interval_with_handle(
            move || {
                ticks.set(ticks.get().wrapping_add(1));
                let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
                if visible && (bridge::is_open() || ticks.get().is_multiple_of(4)) {
                    cases.refresh();
                }
            },
            POLL,
        );
        cases
    }

    fn seen_key(&self) -> String {
        self.config
            .with_value(|c| browser_store::key(Kept::Seen, &c.platform, &c.user.id))
    }

    pub fn refresh(self) {
        spawn_local(async move {
            let Ok(mut list) = api::my_cases(&self.config.get_value()).await else {
                return;
            };
            let key = self.seen_key();
            let mut seen: Seen = storage::load(&key);
            if seen.is_empty() {
                // A first visit: everything there is, is known.
                mark_seen(&mut seen, pairs(&list));
                storage::save(&key, &seen);
            }
            let fresh = unread(pairs(&list), &seen);
            for case in &mut list {
                case.unread = fresh.contains(&case.id);
            }
            self.list.set(list);
            self.show_unread();
        });
    }

    /// The reporter has looked at `case` as it is now.
    fn looked_at(self, case: &CaseToFollow) {
        let key = self.seen_key();
        let mut seen: Seen = storage::load(&key);
        mark_seen(&mut seen, [(case.id, case.updated_at.as_str())]);
        storage::save(&key, &seen);
        self.list.update(|list| {
            for line in list.iter_mut().filter(|l| l.id == case.id) {
                line.unread = false;
            }
        });
        self.show_unread();
    }

    /// How many cases have news, for the tab and the launcher's badge.
    pub fn unread(self) -> usize {
        self.list
            .with(|list| list.iter().filter(|c| c.unread).count())
    }

    fn show_unread(self) {
        bridge::badge(self.unread());
    }
}

fn pairs(list: &[MyCase]) -> impl Iterator<Item = (i64, &str)> {
    list.iter().map(|c| (c.id, c.updated_at.as_str()))
}

#[component]
pub fn Cases(cases: MyCases) -> impl IntoView {
    let t = crate::i18n::t();
    let open = RwSignal::new(None::<CaseToFollow>);
    let show = move |id: i64| {
        spawn_local(async move {
            if let Ok(case) = api::case(&cases.config.get_value(), id).await {
                cases.looked_at(&case);
                open.set(Some(case));
            }
        });
    };
    view! {
        <section class="hl-cases" hidden=move || open.with(Option::is_some)>
            <p class="hl-hint" hidden=move || !cases.list.with(Vec::is_empty)>{t.no_cases}</p>
            <ul class="hl-case-list">
                {move || cases.list.get().into_iter().map(|case| {
                    let id = case.id;
                    view! {
                        <li>
                            <button type="button" class="hl-case-line" data-case=id on:click=move |_| show(id)>
                                <span class="hl-ref">{case.reference}</span>
                                <span class="hl-case-title">{case.title}</span>
                                <span class="hl-case-status">{t.status(case.status)}</span>
                                <span class="hl-new" hidden=!case.unread>{t.new_reply}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {move || open.get().map(|case| view! { <CaseDetail case open cases/> })}
    }
}

/// The public conversation of a case: the team's replies and the reporter's
/// own messages, oldest first.
fn conversation(events: Vec<TimelineEntry>, locale: &str) -> impl IntoView {
    let t = crate::i18n::t();
    events
        .into_iter()
        .filter(|e| {
            matches!(
                CaseEventKind::parse(&e.kind),
                Some(CaseEventKind::Replied | CaseEventKind::ReporterMessage)
            )
        })
        .map(|e| {
            let from_team = e.actor.kind == "specialist";
            let who = if from_team {
                e.actor.name.unwrap_or_else(|| t.support.into())
            } else {
                t.you.into()
            };
            let body = e.body.unwrap_or_default();
            let at = local_time(&e.at, locale);
            view! {
                <li class=if from_team { "hl-entry hl-from-team" } else { "hl-entry" }>
                    <span class="hl-entry-who">{who}</span>
                    <time class="hl-entry-at">{at}</time>
                    <p class="hl-entry-body">{body}</p>
                </li>
            }
        })
        .collect_view()
}

#[component]
fn CaseDetail(
    case: CaseToFollow,
    open: RwSignal<Option<CaseToFollow>>,
    cases: MyCases,
) -> impl IntoView {
    let t = crate::i18n::t();
    let locale = cases.config.with_value(|c| c.locale.clone());
    let busy = RwSignal::new(false);
    let rating = RwSignal::new(false);
    let id = case.id;
    // Every action answers with the case as it is after; that is what is shown.
    let after = move |result: Result<CaseToFollow, api::SendError>| {
        if let Ok(case) = result {
            cases.looked_at(&case);
            open.set(Some(case));
            cases.refresh();
        }
        busy.set(false);
    };
    let act = move |action: ReporterAction| {
        busy.set(true);
        spawn_local(async move { after(api::act(&cases.config.get_value(), id, action).await) });
    };
    let send_reply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The text box is the form's own state: read once, on send.
        let form: web_sys::HtmlFormElement = event_target(&ev);
        let Some(text) = form.query_selector("textarea").ok().flatten() else {
            return;
        };
        let text: web_sys::HtmlTextAreaElement = text.unchecked_into();
        let body = text.value();
        if !body.trim().is_empty() {
            form.reset();
            act(ReporterAction::Write(body));
        }
    };
    let resolved = case.status == CaseStatus::Resolved;
    let closed = case.status == CaseStatus::Closed;
    let entries = conversation(case.events, &locale);
    view! {
        <article class="hl-case" aria-labelledby="hl-case-title">
            <button type="button" class="hl-button hl-secondary hl-back" on:click=move |_| open.set(None)>{t.back}</button>
            <h3 id="hl-case-title" class="hl-answer-title">{case.reference} " · " {case.title}</h3>
            <p class="hl-case-status">{t.status(case.status)}</p>
            <ol class="hl-timeline">
                <li class="hl-entry">
                    <span class="hl-entry-who">{t.you}</span>
                    <p class="hl-entry-body">{case.description}</p>
                </li>
                {entries}
            </ol>
            <div class="hl-answer-actions" hidden=!resolved>
                <button type="button" class="hl-button hl-primary hl-confirm" disabled=busy
                    on:click=move |_| rating.set(true)>{t.confirm_resolved}</button>
                <button type="button" class="hl-button hl-secondary hl-reopen" disabled=busy
                    on:click=move |_| act(ReporterAction::Write(t.reopen.into()))>{t.reopen}</button>
            </div>
            <fieldset class="hl-rating" hidden=move || !rating.get()>
                <legend>{t.rate}</legend>
                {(1..=5u8).map(|stars| view! {
                    <button type="button" class="hl-button hl-secondary hl-star" data-rating=stars disabled=busy
                        on:click=move |_| act(ReporterAction::Rate(stars))>{stars}</button>
                }).collect_view()}
            </fieldset>
            <p class="hl-sent" hidden=case.rating.is_none()>{t.rated}</p>
            <form class="hl-reply" on:submit=send_reply hidden=closed>
                <label for="hl-reply-text" class="hl-label">{t.reply_label}</label>
                <textarea id="hl-reply-text" class="hl-textarea" rows="3"></textarea>
                <button type="submit" class="hl-button hl-primary hl-send-reply" disabled=busy>{t.send_reply}</button>
            </form>
        </article>
    }
}
