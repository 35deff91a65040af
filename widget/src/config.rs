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

#[wasm_bindgen]
extern "C" {
    /// The `Helpline.init` options object as the loader hands it over. Read
    /// through property getters: no JSON decoder for one object read once.
    pub type HostOptions;
    #[wasm_bindgen(method, getter)]
    fn endpoint(this: &HostOptions) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn platform(this: &HostOptions) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn user(this: &HostOptions) -> Option<HostUser>;
    #[wasm_bindgen(method, getter, js_name = userHash)]
    fn user_hash(this: &HostOptions) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = userToken)]
    fn user_token(this: &HostOptions) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn locale(this: &HostOptions) -> JsValue;

    pub type HostUser;
    #[wasm_bindgen(method, getter)]
    fn id(this: &HostUser) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn name(this: &HostUser) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn email(this: &HostUser) -> JsValue;
}

/// A text option: present and not blank.
fn text(value: JsValue) -> Option<String> {
    value.as_string().filter(|s| !s.trim().is_empty())
}

impl WidgetConfig {
    /// The options as the widget needs them; `None` when `endpoint`,
    /// `platform` or `user.id` is missing.
    pub fn from_host(options: &HostOptions) -> Option<WidgetConfig> {
        let user = options.user()?;
        Some(WidgetConfig {
            endpoint: text(options.endpoint())?,
            platform: text(options.platform())?,
            user: ReporterInput {
                id: text(user.id())?,
                name: text(user.name()),
                email: text(user.email()),
            },
            user_hash: text(options.user_hash()),
            user_token: text(options.user_token()),
            locale: text(options.locale()).unwrap_or_default(),
        })
    }

    /// The absolute URL of an API path such as `/v1/cases`.
    pub fn url(&self, path: &str) -> String {
        helpline_shared::routes::api_url(&self.endpoint, path)
    }
}
