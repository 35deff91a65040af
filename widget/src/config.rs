//! The options a host page passes to `Helpline.init`, as the widget reads them.

use helpline_shared::api::ReporterInput;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetConfig {
    /// Base URL of the Helpline API, e.g. `https://helpline.example.com`.
    pub endpoint: String,
    /// The host platform's slug, e.g. `ads-console`.
    pub platform: String,
    /// The signed-in user of the host platform.
    pub user: ReporterInput,
    /// HMAC-SHA256 of `user.id` with the secret the host shares with Helpline,
    /// computed by the host's server. Absent only in the local demo.
    #[serde(default)]
    pub user_hash: Option<String>,
    /// `zh-CN` or `en` (the loader picks it from the options or the browser).
    #[serde(default)]
    pub locale: String,
}

impl WidgetConfig {
    /// The absolute URL of an API path such as `/v1/cases`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.endpoint.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_joins_endpoint_and_path_without_double_slash() {
        let config: WidgetConfig = serde_json::from_str(
            r#"{"endpoint":"http://127.0.0.1:8787/","platform":"p","user":{"id":"u"},"userHash":"ab"}"#,
        )
        .unwrap();
        assert_eq!(config.url("/v1/cases"), "http://127.0.0.1:8787/v1/cases");
        assert_eq!(config.user_hash.as_deref(), Some("ab"));
    }
}
