//! Cross-origin access for host pages on other origins: only origins on the
//! `ALLOWED_ORIGINS` list (comma-separated, from Worker config) get CORS
//! headers. Same-origin requests (the demo) need none.

use worker::{Env, Method, Request, Response, Result};

pub struct CorsPolicy {
    allowed_origin: Option<String>,
}

impl CorsPolicy {
    pub fn from_env(env: &Env, req: &Request) -> Self {
        let origin = req.headers().get("Origin").ok().flatten();
        let list = env
            .var("ALLOWED_ORIGINS")
            .map(|v| v.to_string())
            .unwrap_or_default();
        let allowed_origin = origin.filter(|o| {
            list.split(',')
                .map(str::trim)
                .any(|a| !a.is_empty() && a == o)
        });
        Self { allowed_origin }
    }

    /// The answer to a CORS preflight, or `None` when the request is not one.
    pub fn preflight(&self, req: &Request) -> Result<Option<Response>> {
        let is_preflight = req.method() == Method::Options
            && req.headers().has("Access-Control-Request-Method")?;
        if !is_preflight {
            return Ok(None);
        }
        let mut response = Response::empty()?.with_status(204);
        if self.allowed_origin.is_some() {
            let headers = response.headers_mut();
            headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS")?;
            headers.set(
                "Access-Control-Allow-Headers",
                "Content-Type, Authorization, Idempotency-Key, If-Match, X-Helpline-User, X-Helpline-User-Hash, X-Helpline-Token",
            )?;
            headers.set("Access-Control-Max-Age", "600")?;
        }
        self.apply(response).map(Some)
    }

    pub fn apply(&self, mut response: Response) -> Result<Response> {
        if let Some(origin) = &self.allowed_origin {
            let headers = response.headers_mut();
            headers.set("Access-Control-Allow-Origin", origin)?;
            headers.set("Access-Control-Expose-Headers", "ETag, Retry-After")?;
            headers.append("Vary", "Origin")?;
        }
        Ok(response)
    }
}
