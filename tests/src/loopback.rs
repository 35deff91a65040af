//! The one HTTP server the tests and benchmarks start, for what lives outside
//! Helpline (the team's IM webhook, a host platform's page, a benchmark's
//! static folder): hyper on a free loopback port, answering each request with
//! what the caller's handler returns, until dropped.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// A request as a handler sees it.
pub struct Asked {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    pub body: Vec<u8>,
}

/// What a handler answers.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: vec![],
            body: vec![],
        }
    }

    /// A 200 with `body` of `content_type`.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer::status(200)
            .header("Content-Type", content_type)
            .with_body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Answer {
        self.body = body.into();
        self
    }
}

/// A bound port whose origin is known before there is anything to serve (a
/// Worker's `ALLOWED_ORIGINS` may need it first).
pub struct Bound {
    listener: TcpListener,
    pub origin: String,
}

pub async fn bind() -> Bound {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("an address"));
    Bound { listener, origin }
}

/// A running server; stops when dropped.
pub struct LoopbackServer {
    pub origin: String,
    task: tokio::task::JoinHandle<()>,
}

impl Bound {
    /// Serves every request with `handler`.
    pub fn serve(
        self,
        handler: impl Fn(Asked) -> Answer + Send + Sync + 'static,
    ) -> LoopbackServer {
        let handler = Arc::new(handler);
        let listener = self.listener;
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = handler.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| respond(request, handler.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        LoopbackServer {
            origin: self.origin,
            task,
        }
    }
}

async fn respond<H: Fn(Asked) -> Answer>(
    request: hyper::Request<Incoming>,
    handler: Arc<H>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(_) => vec![],
    };
    let answer = handler(Asked { method, path, body });
    let mut response = hyper::Response::builder().status(answer.status);
    for (name, value) in &answer.headers {
        response = response.header(name, value);
    }
    Ok(response
        .body(Full::new(Bytes::from(answer.body)))
        .expect("a valid response"))
}

impl LoopbackServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
