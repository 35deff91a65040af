//! The panel's two views: a new request, and "My cases" (with how many have
//! news). Both stay mounted, so switching loses nothing typed.

use leptos::prelude::*;

use crate::cases::{Cases, MyCases};
use crate::describe::Describe;
use crate::i18n::Strings;
use crate::sending::Sender;
use crate::WidgetConfig;

#[component]
pub fn App(config: WidgetConfig) -> impl IntoView {
    let t: &'static Strings = expect_context();
    let sender = Sender::start(config.clone());
    let cases = MyCases::start(config.clone());
    // A case the outbox delivered later belongs in the list.
    Effect::new(move |_| {
        if sender.delivered_later.with(Option::is_some) {
            cases.refresh();
        }
    });
    let (mine, set_mine) = signal(false);
    let news = move || cases.unread.with(Vec::len);
    view! {
        <nav class="hl-tabs">
            <button type="button" class="hl-tab hl-tab-new" aria-pressed=move || (!mine.get()).to_string()
                on:click=move |_| set_mine.set(false)>{t.new_case}</button>
            <button type="button" class="hl-tab hl-tab-mine" aria-pressed=move || mine.get().to_string()
                on:click=move |_| { set_mine.set(true); cases.refresh(); }>
                {t.my_cases}
                <span class="hl-count" hidden=move || news() == 0>{news}</span>
            </button>
        </nav>
        <div hidden=mine><Describe config sender/></div>
        <div hidden=move || !mine.get()><Cases cases/></div>
    }
}
