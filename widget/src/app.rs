//! The panel's two views: a new request, and "My cases" (with how many have
//! news). Both stay mounted, so switching loses nothing typed.

use leptos::prelude::*;

use crate::cases::{Cases, MyCases};
use crate::describe::Describe;
use crate::sending::{Sender, Sent};
use crate::WidgetConfig;

#[component]
pub fn App(config: WidgetConfig) -> impl IntoView {
    let t = crate::i18n::t();
    let sender = Sender::start(config.clone());
    let cases = MyCases::start(config.clone());
    // A case just delivered (at once or from the outbox) belongs in the list.
    Effect::new(move |_| {
        if sender
            .outcome
            .with(|o| matches!(o, Some(Sent::Delivered(_))))
        {
            cases.refresh();
        }
    });
    let mine = RwSignal::new(false);
    let news = move || cases.unread();
    view! {
        <nav class="hl-tabs">
            <button type="button" class="hl-tab hl-tab-new" aria-pressed=move || if mine.get() { "false" } else { "true" }
                on:click=move |_| mine.set(false)>{t.new_case}</button>
            <button type="button" class="hl-tab hl-tab-mine" aria-pressed=move || if mine.get() { "true" } else { "false" }
                on:click=move |_| { mine.set(true); cases.refresh(); }>
                {t.my_cases}
                <span class="hl-count" hidden=move || news() == 0>{news}</span>
            </button>
        </nav>
        <div hidden=mine><Describe config sender/></div>
        <div hidden=move || !mine.get()><Cases cases/></div>
    }
}
