//! The first screen: the user describes the problem and sends it. On success
//! the case's reference is shown; on failure the reason, and the text stays in
//! the box so nothing typed is lost.

use helpline_shared::api::{CaseCreated, CreateCaseRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{create_case, SendError};
use crate::WidgetConfig;

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

    let invalid_field = move || match outcome.get() {
        Some(Outcome::Failed(SendError::Refused { field, .. })) => field,
        _ => None,
    };

    view! {
        <form class="hl-describe" on:submit=send novalidate>
            <label for="hl-description" class="hl-label">"Describe the problem"</label>
            <textarea
                id="hl-description"
                class="hl-textarea"
                rows="6"
                placeholder="What were you trying to do, and what happened instead?"
                aria-invalid=move || (invalid_field() == Some("description".into())).to_string()
                aria-describedby="hl-status"
                prop:value=description
                on:input=move |ev| set_description.set(event_target_value(&ev))
            ></textarea>
            <button type="submit" class="hl-button hl-primary" disabled=sending>
                {move || if sending.get() { "Sending…" } else { "Send to support" }}
            </button>
            <div id="hl-status" class="hl-status" role="status" aria-live="polite">
                {move || outcome.get().map(|o| match o {
                    Outcome::Sent(created) => view! {
                        <p class="hl-sent">
                            "Thanks — your case "
                            <strong class="hl-ref">{created.reference}</strong>
                            " is with our support team."
                        </p>
                    }.into_any(),
                    Outcome::Failed(SendError::Refused { message, field }) => view! {
                        <p class="hl-error" data-field=field>{message}</p>
                    }.into_any(),
                    Outcome::Failed(SendError::Unavailable { message }) => view! {
                        <p class="hl-error">
                            "We could not reach support just now (" {message}
                            "). Your text is still here; please try again."
                        </p>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
