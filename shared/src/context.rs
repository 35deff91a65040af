//! The issue's context that the widget captures for the user (page, browser,
//! recent errors, host attributes), with the limits that keep one case from
//! carrying a megabyte of noise. The user sees all of it before sending.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::limits::{
    ATTRIBUTE_KEY_MAX_CHARS, ATTRIBUTE_VALUE_MAX_CHARS, CONTEXT_MAX_BYTES, CONTEXT_TEXT_MAX_CHARS,
    MAX_ATTRIBUTES, MAX_FAILED_REQUESTS, MAX_RECENT_ERRORS, URL_MAX_CHARS,
};
#[cfg(feature = "openapi")]
use crate::openapi::format::{HostAttributes, PageUrl};
use crate::text;
use crate::ValidationError;

/// The issue's context the widget captures (the user sees it before sending). Every field may
/// be absent; empty lists and maps are left out of answers. At most 16 KiB serialized.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct IssueContext {
    /// An http(s) URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<PageUrl>"))]
    pub url: Option<String>,
    /// An http(s) URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<PageUrl>"))]
    pub referrer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 64)))]
    pub platform_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 512)))]
    pub user_agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 35)))]
    pub locale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 64)))]
    pub time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewport: Option<Viewport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schemars(length(max = MAX_RECENT_ERRORS)))]
    pub recent_errors: Vec<RecentError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schemars(length(max = MAX_FAILED_REQUESTS)))]
    pub failed_requests: Vec<FailedRequest>,
    /// Host-supplied attributes: a string map.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schemars(with = "HostAttributes"))]
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
}

/// A JavaScript error or unhandled rejection the loader saw on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RecentError {
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = CONTEXT_TEXT_MAX_CHARS)))]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = URL_MAX_CHARS)))]
    pub source: Option<String>,
    /// When the page saw it, as the page's clock wrote it (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 40)))]
    pub at: Option<String>,
}

/// A fetch or XHR request on the page that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FailedRequest {
    /// Upper-cased by the Worker.
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = 10)))]
    pub method: String,
    #[cfg_attr(feature = "openapi", schemars(length(min = 1, max = URL_MAX_CHARS)))]
    pub url: String,
    /// The HTTP status, or 0 when the request did not complete.
    pub status: u16,
}

fn optional_text(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    text::optional(field, value.as_deref(), max)
}

fn optional_url(
    field: &'static str,
    value: &Option<String>,
) -> Result<Option<String>, ValidationError> {
    let url = optional_text(field, value, URL_MAX_CHARS)?;
    match url {
        Some(u) if !is_web_url(&u) => Err(ValidationError::Invalid {
            field,
            reason: "expected an http or https URL",
        }),
        other => Ok(other),
    }
}

/// Only web addresses: a `javascript:` or `data:` URL in a case would be a trap
/// for the specialist who clicks it.
pub fn is_web_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && value.len() > "http://".len()
        && !value.contains(char::is_whitespace)
}

/// Checks and cleans the context; the serialized result is within the limit.
pub fn validate_context(input: &IssueContext) -> Result<IssueContext, ValidationError> {
    if input.recent_errors.len() > MAX_RECENT_ERRORS {
        return Err(ValidationError::TooMany {
            field: "context.recent_errors",
            max: MAX_RECENT_ERRORS,
        });
    }
    if input.failed_requests.len() > MAX_FAILED_REQUESTS {
        return Err(ValidationError::TooMany {
            field: "context.failed_requests",
            max: MAX_FAILED_REQUESTS,
        });
    }
    if input.attributes.len() > MAX_ATTRIBUTES {
        return Err(ValidationError::TooMany {
            field: "context.attributes",
            max: MAX_ATTRIBUTES,
        });
    }
    let mut attributes = BTreeMap::new();
    for (key, value) in &input.attributes {
        let key = text::required("context.attributes", key, ATTRIBUTE_KEY_MAX_CHARS, false)?;
        let value = text::clean(value, false);
        if value.chars().count() > ATTRIBUTE_VALUE_MAX_CHARS {
            return Err(ValidationError::TooLong {
                field: "context.attributes",
                max: ATTRIBUTE_VALUE_MAX_CHARS,
            });
        }
        attributes.insert(key, value);
    }
    let recent_errors = input
        .recent_errors
        .iter()
        .map(|e| {
            Ok(RecentError {
                message: text::required(
                    "context.recent_errors",
                    &e.message,
                    CONTEXT_TEXT_MAX_CHARS,
                    true,
                )?,
                source: optional_text("context.recent_errors", &e.source, URL_MAX_CHARS)?,
                at: optional_text("context.recent_errors", &e.at, 40)?,
            })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    let failed_requests = input
        .failed_requests
        .iter()
        .map(|r| {
            Ok(FailedRequest {
                method: text::required("context.failed_requests", &r.method, 10, false)?
                    .to_ascii_uppercase(),
                url: text::required("context.failed_requests", &r.url, URL_MAX_CHARS, false)?,
                status: r.status,
            })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    let context = IssueContext {
        url: optional_url("context.url", &input.url)?,
        referrer: optional_url("context.referrer", &input.referrer)?,
        platform_version: optional_text("context.platform_version", &input.platform_version, 64)?,
        user_agent: optional_text("context.user_agent", &input.user_agent, 512)?,
        locale: optional_text("context.locale", &input.locale, 35)?,
        time_zone: optional_text("context.time_zone", &input.time_zone, 64)?,
        viewport: input.viewport,
        recent_errors,
        failed_requests,
        attributes,
    };
    let size = serde_json::to_vec(&context).map_or(usize::MAX, |v| v.len());
    if size > CONTEXT_MAX_BYTES {
        return Err(ValidationError::TooLarge {
            field: "context",
            max_bytes: CONTEXT_MAX_BYTES,
        });
    }
    Ok(context)
}

/// One part of the context, as "what we will send" lists it; the user may
/// remove any of them before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextPart {
    Url,
    Referrer,
    PlatformVersion,
    Browser,
    Locale,
    TimeZone,
    ScreenSize,
    /// The n-th recent error.
    Error(usize),
    /// The n-th failed request.
    FailedRequest(usize),
    Attribute(String),
}

impl ContextPart {
    /// What the part is called, in English and in Simplified Chinese: the
    /// widget lists it for the user before sending, the console for the team.
    /// An attribute is called by its key.
    pub fn names(&self) -> [&str; 2] {
        match self {
            ContextPart::Url => ["Page", "页面"],
            ContextPart::Referrer => ["Came from", "来源页面"],
            ContextPart::PlatformVersion => ["Platform version", "平台版本"],
            ContextPart::Browser => ["Browser", "浏览器"],
            ContextPart::Locale => ["Language", "语言"],
            ContextPart::TimeZone => ["Time zone", "时区"],
            ContextPart::ScreenSize => ["Window size", "窗口大小"],
            ContextPart::Error(_) => ["Error on the page", "页面错误"],
            ContextPart::FailedRequest(_) => ["Failed request", "失败的请求"],
            ContextPart::Attribute(key) => [key.as_str(), key.as_str()],
        }
    }
}

/// A line of "what we will send": the part, and its value in plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextItem {
    pub part: ContextPart,
    pub value: String,
}

impl IssueContext {
    /// Every part that would be sent, in reading order.
    pub fn items(&self) -> Vec<ContextItem> {
        let mut items = Vec::new();
        let mut push = |part, value: Option<String>| {
            if let Some(value) = value {
                items.push(ContextItem { part, value });
            }
        };
        push(ContextPart::Url, self.url.clone());
        push(ContextPart::Referrer, self.referrer.clone());
        push(ContextPart::PlatformVersion, self.platform_version.clone());
        push(ContextPart::Browser, self.user_agent.clone());
        push(ContextPart::Locale, self.locale.clone());
        push(ContextPart::TimeZone, self.time_zone.clone());
        push(
            ContextPart::ScreenSize,
            self.viewport.map(|v| format!("{} × {}", v.width, v.height)),
        );
        for (i, e) in self.recent_errors.iter().enumerate() {
            let value = match &e.source {
                Some(source) => format!("{} ({source})", e.message),
                None => e.message.clone(),
            };
            push(ContextPart::Error(i), Some(value));
        }
        for (i, r) in self.failed_requests.iter().enumerate() {
            let status = match r.status {
                0 => "no answer".to_string(),
                s => s.to_string(),
            };
            push(
                ContextPart::FailedRequest(i),
                Some(format!("{} {} → {status}", r.method, r.url)),
            );
        }
        for (key, value) in &self.attributes {
            push(ContextPart::Attribute(key.clone()), Some(value.clone()));
        }
        items
    }

    /// Leaves `part` out of what is sent.
    pub fn remove(&mut self, part: &ContextPart) {
        match part {
            ContextPart::Url => self.url = None,
            ContextPart::Referrer => self.referrer = None,
            ContextPart::PlatformVersion => self.platform_version = None,
            ContextPart::Browser => self.user_agent = None,
            ContextPart::Locale => self.locale = None,
            ContextPart::TimeZone => self.time_zone = None,
            ContextPart::ScreenSize => self.viewport = None,
            ContextPart::Error(i) if *i < self.recent_errors.len() => {
                self.recent_errors.remove(*i);
            }
            ContextPart::FailedRequest(i) if *i < self.failed_requests.len() => {
                self.failed_requests.remove(*i);
            }
            ContextPart::Attribute(key) => {
                self.attributes.remove(key);
            }
            _ => {}
        }
    }

    /// The context cut to what the API accepts, so a noisy page never makes a
    /// case fail to send: long texts shortened, the oldest errors and failed
    /// requests dropped first.
    pub fn fitted(mut self) -> IssueContext {
        fn cut(text: &mut String, max: usize) {
            if let Some((at, _)) = text.char_indices().nth(max) {
                text.truncate(at);
            }
        }
        let keep_last = |n: usize, max: usize| n.saturating_sub(max);
        let drop = keep_last(self.recent_errors.len(), MAX_RECENT_ERRORS);
        self.recent_errors.drain(..drop);
        let drop = keep_last(self.failed_requests.len(), MAX_FAILED_REQUESTS);
        self.failed_requests.drain(..drop);
        for e in &mut self.recent_errors {
            cut(&mut e.message, CONTEXT_TEXT_MAX_CHARS);
        }
        for r in &mut self.failed_requests {
            cut(&mut r.url, URL_MAX_CHARS);
        }
        while serde_json::to_vec(&self).map_or(0, |v| v.len()) > CONTEXT_MAX_BYTES {
            if self.recent_errors.len() >= self.failed_requests.len()
                && !self.recent_errors.is_empty()
            {
                self.recent_errors.remove(0);
            } else if !self.failed_requests.is_empty() {
                self.failed_requests.remove(0);
            } else {
                self.attributes.clear();
                break;
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_accepted() {
        let mut ctx = IssueContext {
            url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        assert_eq!(validate_context(&ctx).unwrap_err().field(), "context.url");
        ctx.url = Some("https://ads.example.com/campaigns?id=4".into());
        assert!(validate_context(&ctx).is_ok());
    }

    #[test]
    fn too_many_attributes_are_refused() {
        let ctx = IssueContext {
            attributes: (0..=MAX_ATTRIBUTES)
                .map(|i| (format!("k{i}"), "v".into()))
                .collect(),
            ..Default::default()
        };
        assert_eq!(
            validate_context(&ctx),
            Err(ValidationError::TooMany {
                field: "context.attributes",
                max: MAX_ATTRIBUTES
            })
        );
    }

    #[test]
    fn the_whole_context_has_a_size_limit() {
        let ctx = IssueContext {
            recent_errors: (0..MAX_RECENT_ERRORS)
                .map(|_| RecentError {
                    message: "e".repeat(CONTEXT_TEXT_MAX_CHARS),
                    source: None,
                    at: None,
                })
                .collect(),
            ..Default::default()
        };
        assert_eq!(validate_context(&ctx).unwrap_err().field(), "context");
    }

    #[test]
    fn methods_are_uppercased_and_text_cleaned() {
        let ctx = IssueContext {
            failed_requests: vec![FailedRequest {
                method: "post".into(),
                url: "/api/export".into(),
                status: 502,
            }],
            ..Default::default()
        };
        assert_eq!(
            validate_context(&ctx).unwrap().failed_requests[0].method,
            "POST"
        );
    }

    fn noisy_page() -> IssueContext {
        IssueContext {
            url: Some("https://ads.example.com/campaigns".into()),
            user_agent: Some("Chromium".into()),
            viewport: Some(Viewport {
                width: 360,
                height: 640,
            }),
            recent_errors: (0..25)
                .map(|i| RecentError {
                    message: format!("TypeError {i}: {}", "x".repeat(2_000)),
                    source: Some("https://ads.example.com/app.js:10".into()),
                    at: None,
                })
                .collect(),
            failed_requests: vec![FailedRequest {
                method: "GET".into(),
                url: "https://ads.example.com/api/spend".into(),
                status: 0,
            }],
            attributes: [("plan".to_string(), "pro".to_string())].into(),
            ..Default::default()
        }
    }

    #[test]
    fn items_list_every_part_in_plain_words_and_each_can_be_removed() {
        let mut ctx = noisy_page();
        ctx.recent_errors.truncate(2);
        let items = ctx.items();
        assert_eq!(items[0].part, ContextPart::Url);
        assert!(items.iter().any(|i| i.value == "360 × 640"));
        assert!(items
            .iter()
            .any(|i| i.value == "GET https://ads.example.com/api/spend → no answer"));
        ctx.remove(&ContextPart::Error(0));
        ctx.remove(&ContextPart::Attribute("plan".into()));
        ctx.remove(&ContextPart::Browser);
        assert_eq!(ctx.recent_errors.len(), 1);
        assert!(ctx.recent_errors[0].message.starts_with("TypeError 1:"));
        assert!(ctx.attributes.is_empty() && ctx.user_agent.is_none());
        assert_eq!(ctx.items().len(), items.len() - 3);
        ctx.remove(&ContextPart::Error(7));
        assert_eq!(ctx.recent_errors.len(), 1, "a stale index removes nothing");
    }

    #[test]
    fn a_noisy_page_is_fitted_to_what_the_api_accepts() {
        let fitted = noisy_page().fitted();
        assert!(validate_context(&fitted).is_ok());
        assert!(fitted.recent_errors.len() <= MAX_RECENT_ERRORS);
        // The newest errors are the ones kept.
        assert!(fitted
            .recent_errors
            .last()
            .unwrap()
            .message
            .starts_with("TypeError 24:"));
        assert_eq!(fitted.url, noisy_page().url);
    }
}
