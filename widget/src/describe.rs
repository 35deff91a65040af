//! A new request: the user describes the problem and sees matching SOP answers
//! as they type, reads one inline, and either is done or fills in a few plain
//! choices (what it is about, who is affected, how much it holds them up),
//! checks what will be sent with it, and sends it. The draft is kept in
//! localStorage as it is typed; a send that cannot reach support waits in the
//! outbox. Nothing typed is lost.

use helpline_shared::api::{CreateCaseRequest, DeflectionRequest};
use helpline_shared::browser_store::{self, Kept};
use helpline_shared::context::IssueContext;
use helpline_shared::draft::{Draft, DraftField};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::answer::article_panel;
use crate::api::{fetch_article, record_deflection, ArticleToRead, SendError};
use crate::i18n::Strings;
use crate::sending::{Sender, Sent};
use crate::suggestions::{load_index, search, suggestions};
use crate::{bridge, storage, WidgetConfig};

/// How many answers to suggest at once.
const SUGGESTIONS: usize = 4;
/// Below this many characters there is too little to search on.
const MIN_QUERY_CHARS: usize = 3;

/// A fresh idempotency key from the browser's secure random source.
fn new_draft_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No crypto: fall back to time and Math.random, still unique enough
        // to keep two drafts apart.
        let salt = (js_sys::Math::random() * 1e15) as u64 ^ js_sys::Date::now() as u64;
        bytes[..8].copy_from_slice(&salt.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An RFC 3339 time as the user reads it, in their language and zone.
pub fn local_time(iso: &str, locale: &str) -> String {
    js_sys::Date::new(&iso.into())
        .to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// A `<select>` over `choices` (value, label), bound to one field of the
/// draft. Not generic: the three choices share one compiled view.
fn choice(
    label: &'static str,
    choices: &'static [(&'static str, &'static str)],
    draft: RwSignal<Draft>,
    field: DraftField,
) -> impl IntoView {
    view! {
        <label class="hl-field">
            <span class="hl-label">{label}</span>
            <select class="hl-select"
                prop:value=move || draft.with(|d| d.shown(field))
                on:change=move |ev| draft.update(|d| d.set_field(field, event_target_value(&ev)))>
                {choices.iter().map(|(v, text)| view! { <option value=*v>{*text}</option> }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Describe(config: WidgetConfig, sender: Sender) -> impl IntoView {
    let t = crate::i18n::t();
    let draft_key = browser_store::key(Kept::Draft, &config.platform, &config.user.id);
    let mut kept: Draft = storage::load(&draft_key);
    if kept.idempotency_key.is_empty() {
        kept.idempotency_key = new_draft_key();
    }
    let draft = RwSignal::new(kept);
    // Every change is kept at once: a reload or a crash loses nothing.
    Effect::new(move |_| draft.with(|d| storage::save(&draft_key, d)));
    let context = RwSignal::new(bridge::context().fitted());
    let sending = RwSignal::new(false);
    let outcome = sender.outcome;
    let config = StoredValue::new(config);

    let index_ready = load_index(config.get_value());
    let hits = move || {
        let text = draft.with(|d| d.description.clone());
        if !index_ready.get() || text.trim().chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        search(&text, SUGGESTIONS)
    };
    let reading = RwSignal::new(None::<ArticleToRead>);
    let thanks = RwSignal::new(false);
    let open_answer = move |slug: String| {
        spawn_local(async move {
            if let Ok(article) = fetch_article(&config.get_value(), &slug).await {
                reading.set(Some(article));
            }
        });
    };
    let answer_outcome = outcome_of_reading(config, draft, reading, thanks);

    let send = send_on_submit(config, draft, context, sending, sender);

    let invalid = move |name: &str| outcome.with(|o| refused_field(o) == Some(name));
    let status = move || config.with_value(|c| send_status(outcome.get(), t, &c.locale));

    view! {
        <p class="hl-sent hl-thanks" role="status" hidden=move || !thanks.get()>{t.thanks}</p>
        // The form stays mounted while an answer is read, so nothing typed is lost.
        <form class="hl-describe" on:submit=send novalidate hidden=move || reading.with(Option::is_some)>
            <label for="hl-description" class="hl-label">{t.describe_label}</label>
            <textarea
                id="hl-description"
                class="hl-textarea"
                rows="5"
                placeholder=t.describe_placeholder
                aria-invalid=move || if invalid("description") { "true" } else { "false" }
                aria-describedby="hl-status"
                prop:value=move || draft.with(|d| d.description.clone())
                on:input=move |ev| {
                    thanks.set(false);
                    draft.update(|d| d.set_field(DraftField::Description, event_target_value(&ev)));
                }
            ></textarea>
            {suggestions(hits, open_answer)}
            <div class="hl-fields">
                {choice(t.category, &t.categories, draft, DraftField::Category)}
                {choice(t.impact, &t.impacts, draft, DraftField::Impact)}
                {choice(t.urgency, &t.urgencies, draft, DraftField::Urgency)}
            </div>
            <ContextList context/>
            <button type="submit" class="hl-button hl-primary hl-send" disabled=sending>
                {move || if sending.get() { t.sending } else { t.send }}
            </button>
            <div id="hl-status" class="hl-status" role="status" aria-live="polite">
                {status}
                <p class="hl-waiting" hidden=move || !sender.waiting.get()>{t.waiting_to_send}</p>
            </div>
        </form>
        {move || reading.get().map(|article| article_panel(article, answer_outcome))}
    }
}

/// What reading an answer did: recorded as a deflection; a solved problem
/// clears the draft and thanks the user.
fn outcome_of_reading(
    config: StoredValue<WidgetConfig>,
    draft: RwSignal<Draft>,
    reading: RwSignal<Option<ArticleToRead>>,
    thanks: RwSignal<bool>,
) -> impl Fn(bool) + Copy + 'static {
    move |solved: bool| {
        let config = config.get_value();
        let deflection = DeflectionRequest {
            query: draft.with_untracked(|d| d.description.clone()),
            article_slug: reading.get_untracked().map(|a| a.slug),
            solved,
            platform: Some(config.platform.clone()),
        };
        spawn_local(async move { record_deflection(&config, &deflection).await });
        reading.set(None);
        if solved {
            draft.update(|d| *d = Draft::new(new_draft_key()));
            thanks.set(true);
        }
    }
}

/// Sends the draft as a case (through the outbox); once it is delivered or
/// safely kept, the next request starts fresh.
fn send_on_submit(
    config: StoredValue<WidgetConfig>,
    draft: RwSignal<Draft>,
    context: RwSignal<IssueContext>,
    sending: RwSignal<bool>,
    sender: Sender,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let config = config.get_value();
        let d = draft.get_untracked();
        let request = CreateCaseRequest {
            title: None,
            description: d.description.clone(),
            platform: config.platform.clone(),
            category: d.category(),
            impact: d.impact(),
            urgency: d.urgency(),
            reporter: config.user.clone(),
            context: context.get_untracked(),
        };
        sending.set(true);
        spawn_local(async move {
            let sent = sender.send(&config, &request, &d.idempotency_key).await;
            if !matches!(sent, Sent::Refused(_)) {
                draft.set(Draft::new(new_draft_key()));
                context.set(bridge::context().fitted());
            }
            sending.set(false);
        });
    }
}

/// The field a refused send named, if any.
fn refused_field(outcome: &Option<Sent>) -> Option<&str> {
    match outcome {
        Some(Sent::Refused(SendError::Refused { field, .. })) => field.as_deref(),
        _ => None,
    }
}

/// What the last send came to: the case's ref and when to expect a first
/// reply, or why it was refused (naming the field at fault).
fn send_status(outcome: Option<Sent>, t: &'static Strings, locale: &str) -> impl IntoView {
    let refusal = match outcome {
        Some(Sent::Delivered(created)) => {
            let due = local_time(&created.first_response_due, locale);
            return Either::Left(view! {
                <p class="hl-sent">
                    {t.sent} " " <strong class="hl-ref">{created.reference}</strong>
                    <br/>
                    {t.sent_reply_by} " " <span class="hl-due">{due}</span>
                </p>
            });
        }
        Some(Sent::Refused(SendError::Refused { message, field })) => Some((message, field)),
        Some(Sent::Refused(SendError::Unavailable { .. })) => Some((t.unreachable.into(), None)),
        Some(Sent::Waiting) | None => None,
    };
    Either::Right(refusal.map(|(message, field)| {
        view! { <p class="hl-error" data-field=field>{message}</p> }
    }))
}

/// "What we will send": every captured part of the page's context, each with
/// a button that leaves it out.
#[component]
fn ContextList(context: RwSignal<IssueContext>) -> impl IntoView {
    let t = crate::i18n::t();
    let items = move || context.with(IssueContext::items);
    view! {
        <details class="hl-context">
            <summary class="hl-summary">{t.what_we_send} " (" {move || items().len()} ")"</summary>
            <p class="hl-hint" hidden=move || !items().is_empty()>{t.nothing_to_send}</p>
            <ul class="hl-context-list">
                {move || items().into_iter().map(|item| {
                    let part = item.part.clone();
                    let name = t.context_part(&item.part);
                    let label = format!("{} {}", t.remove, name);
                    view! {
                        <li class="hl-context-item">
                            <span class="hl-context-name">{name}</span>
                            <span class="hl-context-value">{item.value}</span>
                            <button type="button" class="hl-remove" aria-label=label
                                on:click=move |_| context.update(|c| c.remove(&part))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}
