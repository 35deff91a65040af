//! Self-serve answers while the user types: the best SOP matches for the text
//! so far, searched locally in the downloaded index (no request per keystroke),
//! with the matched words marked.

use std::cell::OnceCell;

use helpline_shared::sop::{Segment, SopHit, SopIndex};
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::fetch_index;
use crate::WidgetConfig;

thread_local! {
    /// The SOP index, downloaded once per page and searched on every keystroke.
    static INDEX: OnceCell<SopIndex> = const { OnceCell::new() };
}

/// Downloads the index; the signal turns true when it is there. Until then
/// (or if it cannot come) there are no suggestions.
pub fn load_index(config: WidgetConfig) -> RwSignal<bool> {
    let ready = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(index) = fetch_index(&config).await {
            INDEX.with(|i| i.set(index).ok());
            ready.set(true);
        }
    });
    ready
}

/// The best `limit` answers for `text` in the index, if it is there.
pub fn search(text: &str, limit: usize) -> Vec<SopHit> {
    INDEX.with(|i| i.get().map(|i| i.search(text, limit)).unwrap_or_default())
}

/// Title or snippet text with the matched words in `<mark>`. Every piece is a
/// text node: nothing from an article is ever parsed as HTML here.
pub fn marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.highlighted {
                Either::Left(view! { <mark>{s.text}</mark> })
            } else {
                Either::Right(view! { <span>{s.text}</span> })
            }
        })
        .collect_view()
}

fn suggestion(hit: SopHit, on_open: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let slug = hit.slug.clone();
    view! {
        <li>
            <button
                type="button"
                class="hl-suggestion"
                data-slug=hit.slug
                on:click=move |_| on_open(slug.clone())
            >
                <span class="hl-suggestion-title">{marked(hit.title_segments)}</span>
                <span class="hl-snippet">{marked(hit.snippet_segments)}</span>
            </button>
        </li>
    }
}

/// The answers for the text so far (`hits` searches it), shown only when
/// there are some. At most a handful, replaced as a whole on each keystroke:
/// a keyed list would cost more code than it saves.
pub fn suggestions(
    hits: impl Fn() -> Vec<SopHit> + Send + Sync + 'static,
    on_open: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = crate::i18n::t();
    move || {
        let hits = hits();
        (!hits.is_empty()).then(|| {
            view! {
                <section class="hl-suggestions" aria-label=t.suggestions_label>
                    <p class="hl-hint">{t.suggestions_hint}</p>
                    <ul class="hl-suggestion-list">
                        {hits.into_iter().map(|hit| suggestion(hit, on_open)).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
