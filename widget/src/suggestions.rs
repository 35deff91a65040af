//! Self-serve answers while the user types: the best SOP matches for the text
//! so far, searched locally in the downloaded index (no request per keystroke),
//! with the matched words marked.

use helpline_shared::sop::{Segment, SopHit};
use leptos::prelude::*;

/// Title or snippet text with the matched words in `<mark>`. Every piece is a
/// text node: nothing from an article is ever parsed as HTML here.
pub fn marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.highlighted {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                view! { <span>{s.text}</span> }.into_any()
            }
        })
        .collect_view()
}

fn suggestion(hit: SopHit, on_open: Callback<String>) -> impl IntoView {
    let slug = hit.slug.clone();
    view! {
        <li>
            <button
                type="button"
                class="hl-suggestion"
                data-slug=hit.slug
                on:click=move |_| on_open.run(slug.clone())
            >
                <span class="hl-suggestion-title">{marked(hit.title_segments)}</span>
                <span class="hl-snippet">{marked(hit.snippet_segments)}</span>
            </button>
        </li>
    }
}

#[component]
pub fn Suggestions(hits: Memo<Vec<SopHit>>, on_open: Callback<String>) -> impl IntoView {
    let t: &'static crate::i18n::Strings = expect_context();
    view! {
        <section class="hl-suggestions" aria-label=t.suggestions_label hidden=move || hits.with(Vec::is_empty)>
                <p class="hl-hint">{t.suggestions_hint}</p>
                <ul class="hl-suggestion-list">
                    // At most a handful of items, replaced as a whole on each
                    // keystroke: a keyed list would cost more code than it saves.
                    {move || hits.get().into_iter().map(|hit| suggestion(hit, on_open)).collect_view()}
                </ul>
        </section>
    }
}
