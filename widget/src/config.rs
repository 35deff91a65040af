//! The options a host page passes to `Helpline.init`, as the widget reads them.

use helpline_shared::api::ReporterInput;
use wasm_bindgen::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Base URL of the Helpline API, e.g. `https://helpline.example.com`.
    pub endpoint: String,
    /// The host platform's slug, e.g. `ads-console`.
    pub platform: String,
    /// The signed-in user of the host platform.
    pub user: ReporterInput,
    /// HMAC-SHA256 of `user.id` with the secret the host shares with Helpline,
    /// computed by the host's server. Absent only in the local demo.
    pub user_hash: Option<String>,
    /// The host's signed identity token for the user (a JWT, HS256, with
    /// `sub`, `name`, `email`, `exp`), which vouches for name and email too.
    pub user_token: Option<String>,
    /// `zh-CN` or `en` (the loader picks it from the options or the browser).
    pub locale: String,
}

/// A property of a host object (the `Helpline.init` options or their
/// `user`), read by name: no JSON decoder and no getter per field for one
/// object read once. `None` when `object` is not an object.
fn property(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()
}

/// A text option: present, a string and not blank.
fn text(object: &JsValue, name: &str) -> Option<String> {
    property(object, name)?
        .as_string()
        .filter(|s| !s.trim().is_empty())
}

impl WidgetConfig {
    /// The options as the widget needs them; `None` when `endpoint`,
    /// `platform` or `user.id` is missing.
    pub fn from_host(options: &JsValue) -> Option<WidgetConfig> {
        let user = property(options, "user").filter(JsValue::is_object)?;
        Some(WidgetConfig {
            endpoint: text(options, "endpoint")?,
            platform: text(options, "platform")?,
            user: ReporterInput {
                id: text(&user, "id")?,
                name: text(&user, "name"),
                email: text(&user, "email"),
            },
            user_hash: text(options, "userHash"),
            user_token: text(options, "userToken"),
            locale: text(options, "locale").unwrap_or_default(),
        })
    }

    /// The absolute URL of an API path such as `/v1/cases`.
    pub fn url(&self, path: &str) -> String {
        helpline_shared::routes::api_url(&self.endpoint, path)
    }
}
