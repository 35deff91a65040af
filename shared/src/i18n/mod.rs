//! The languages Helpline speaks (English and Simplified Chinese) and the one
//! rule that picks between them from a locale tag; each UI's words live in a
//! table of its own here.

pub mod widget;

/// Whether a locale tag (`zh-CN`, `zh`, `ZH-hant`, `en-GB`…) asks for
/// Chinese: any `zh` does; everything else, blank included, reads English.
pub fn is_chinese(locale: &str) -> bool {
    locale
        .get(..2)
        .is_some_and(|tag| tag.eq_ignore_ascii_case("zh"))
}
