//! The widget's language for this page, chosen once from the host's `locale`
//! (the loader falls back to the browser's language). The words themselves
//! are `helpline_shared::i18n::widget`'s tables.

pub use helpline_shared::i18n::widget::WidgetStrings as Strings;
use helpline_shared::i18n::widget::{strings, EN};

thread_local! {
    /// The language of this page's widget, chosen once when it mounts.
    static CHOSEN: std::cell::Cell<&'static Strings> = const { std::cell::Cell::new(&EN) };
}

/// Chooses the widget's language for this page (from a locale tag).
pub fn choose(locale: &str) {
    CHOSEN.with(|c| c.set(strings(locale)));
}

/// The widget's strings, in the chosen language.
pub fn t() -> &'static Strings {
    CHOSEN.with(std::cell::Cell::get)
}
