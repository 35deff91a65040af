//! The first screen: the user describes the problem, sees matching SOP answers
//! as they type, reads one inline, and either is done or sends the text as a
//! case. On success the case's reference is shown; on failure the reason, and
//! the text stays in the box so nothing typed is lost.

use std::sync::Arc;

use helpline_shared::api::{CaseCreated, CreateCaseRequest, DeflectionRequest};
use helpline_shared::sop::SopIndex;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::answer::Answer;
use crate::api::{
    create_case, fetch_article, fetch_index, record_deflection, ArticleToRead, SendError,
};
use crate::suggestions::Suggestions;
use crate::WidgetConfig;

/// How many answers to suggest at once.
const SUGGESTIONS: usize = 4;
/// Below this many characters there is too little to search on.
const MIN_QUERY_CHARS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Sent(CaseCreated),
    Failed(SendError),
}

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

#[component]
pub fn Describe(config: WidgetConfig) -> impl IntoView {
    let (description, set_description) = signal(String::new());
    let (sending, set_sending) = signal(false);
    let (outcome, set_outcome) = signal(None::<Outcome>);
    let config = StoredValue::new(config);
    // One key per draft: retries of the same text reuse it.
    let draft_key = StoredValue::new(new_draft_key());

    // The SOP index arrives once; until then (or if it cannot), no suggestions.
    let index = RwSignal::new(None::<Arc<SopIndex>>);
    spawn_local(async move {
        if let Ok(loaded) = fetch_index(&config.get_value()).await {
            index.set(Some(Arc::new(loaded)));
        }
    });
    let suggestions = Memo::new(move |_| {
        let text = description.get();
        if text.trim().chars().count() < MIN_QUERY_CHARS {
            return Vec::new();
        }
        index.with(|i| {
            i.as_ref()
                .map(|i| i.search(&text, SUGGESTIONS))
                .unwrap_or_default()
        })
    });
    let (reading, set_reading) = signal(None::<ArticleToRead>);
    let (thanks, set_thanks) = signal(false);
    let open_answer = Callback::new(move |slug: String| {
        spawn_local(async move {
            if let Ok(article) = fetch_article(&config.get_value(), &slug).await {
                set_reading.set(Some(article));
            }
        });
    });
    let answer_outcome = Callback::new(move |solved: bool| {
        let config = config.get_value();
        let deflection = DeflectionRequest {
            query: description.get_untracked(),
            article_slug: reading.get_untracked().map(|a| a.slug),
            solved,
            platform: Some(config.platform.clone()),
        };
        spawn_local(async move { record_deflection(&config, &deflection).await });
        set_reading.set(None);
        if solved {
            set_description.set(String::new());
            set_thanks.set(true);
        }
    });

    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let config = config.get_value();
        let request = CreateCaseRequest {
            title: None,
            description: description.get_untracked(),
            platform: config.platform.clone(),
            category: None,
            impact: None,
            urgency: None,
            reporter: config.user.clone(),
            context: Default::default(),
        };
        let key = draft_key.get_value();
        set_sending.set(true);
        set_outcome.set(None);
        spawn_local(async move {
            let result = create_case(&config, &request, &key).await;
            if result.is_ok() {
                set_description.set(String::new());
                draft_key.set_value(new_draft_key());
            }
            set_outcome.set(Some(match result {
                Ok(created) => Outcome::Sent(created),
                Err(err) => Outcome::Failed(err),
            }));
            set_sending.set(false);
        });
    };

    let sent_ref = move || match outcome.get() {
        Some(Outcome::Sent(created)) => Some(created.reference),
        _ => None,
    };
    // What went wrong, in words for the user; the text stays in the box.
    let failure = move || {
        match outcome.get() {
        Some(Outcome::Failed(SendError::Refused { message, .. })) => Some(message),
        Some(Outcome::Failed(SendError::Unavailable { message })) => Some(format!(
            "We could not reach support just now ({message}). Your text is still here; please try again."
        )),
        _ => None,
    }
    };
    let invalid_field = move || match outcome.get() {
        Some(Outcome::Failed(SendError::Refused { field, .. })) => field,
        _ => None,
    };

    view! {
        <p class="hl-sent hl-thanks" role="status" hidden=move || !thanks.get()>
            "Glad that helped! Come back any time."
        </p>
        // The form stays mounted while an answer is read, so nothing typed is lost.
            <form class="hl-describe" on:submit=send novalidate hidden=move || reading.with(Option::is_some)>
                <label for="hl-description" class="hl-label">"Describe the problem"</label>
                <textarea
                    id="hl-description"
                    class="hl-textarea"
                    rows="6"
                    placeholder="What were you trying to do, and what happened instead?"
                    aria-invalid=move || (invalid_field() == Some("description".into())).to_string()
                    aria-describedby="hl-status"
                    prop:value=description
                    on:input=move |ev| {
                        set_thanks.set(false);
                        set_description.set(event_target_value(&ev));
                    }
                ></textarea>
                <Suggestions hits=suggestions on_open=open_answer/>
                <button type="submit" class="hl-button hl-primary" disabled=sending>
                    {move || if sending.get() { "Sending…" } else { "Send to support" }}
                </button>
                <div id="hl-status" class="hl-status" role="status" aria-live="polite">
                    <p class="hl-sent" hidden=move || sent_ref().is_none()>
                        "Thanks — your case "
                        <strong class="hl-ref">{sent_ref}</strong>
                        " is with our support team."
                    </p>
                    <p class="hl-error" data-field=invalid_field hidden=move || failure().is_none()>
                        {failure}
                    </p>
                </div>
            </form>
        {move || reading.get().map(|article| view! { <Answer article on_outcome=answer_outcome/> })}
    }
}
