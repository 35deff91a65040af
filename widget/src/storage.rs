//! The widget's memory in the browser (localStorage): drafts, the outbox and
//! what the user has seen, as JSON under keys per user and platform. Storage
//! can be full, disabled or private: then the widget works on, forgetting.

use serde::de::DeserializeOwned;
use serde::Serialize;

fn store() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load<T: DeserializeOwned + Default>(key: &str) -> T {
    store()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| crate::json::parse(&json))
        .unwrap_or_default()
}

pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(store), Some(json)) = (store(), crate::json::stringify(value)) {
        let _ = store.set_item(key, &json);
    }
}
