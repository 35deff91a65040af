//! Reading a suggested answer inline: the article's steps, then "This solved
//! it" or "Still need help". The body is HTML the Worker rendered and made safe
//! when the article was saved (`helpline_shared::markdown`), so it is the one
//! place the widget sets HTML.

use crate::api::ArticleToRead;
use leptos::prelude::*;

/// `on_outcome(solved)` is told what the answer did for the user.
pub fn article_panel(
    article: ArticleToRead,
    on_outcome: impl Fn(bool) + Copy + 'static,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <article class="hl-answer" aria-labelledby="hl-answer-title">
            <h3 id="hl-answer-title" class="hl-answer-title">{article.title}</h3>
            <div class="hl-answer-body" inner_html=article.body_html></div>
            <div class="hl-answer-actions">
                <button type="button" class="hl-button hl-primary hl-solved" on:click=move |_| on_outcome(true)>
                    {t.solved}
                </button>
                <button type="button" class="hl-button hl-secondary hl-not-solved" on:click=move |_| on_outcome(false)>
                    {t.not_solved}
                </button>
            </div>
        </article>
    }
}
