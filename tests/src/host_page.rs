//! A host platform's page on its own origin, served by the test: HTML and
//! scripts with the headers the test chooses (a strict Content-Security-Policy,
//! say), embedding the widget from the Worker's origin the way a real platform
//! would. Listens on a free loopback port until dropped.

use std::collections::BTreeMap;

use crate::loopback::{self, Answer, Bound, LoopbackServer};

/// One file the page serves.
pub struct HostFile {
    pub content_type: &'static str,
    pub body: String,
    /// Extra response headers (`Content-Security-Policy`, …).
    pub headers: Vec<(&'static str, String)>,
}

pub struct HostPage {
    pub origin: String,
    bound: Option<Bound>,
    server: Option<LoopbackServer>,
}

impl HostPage {
    /// Binds a free port first, so the origin is known (the Worker's
    /// ALLOWED_ORIGINS needs it) before there is anything to serve.
    pub async fn bind() -> HostPage {
        let bound = loopback::bind().await;
        HostPage {
            origin: bound.origin.clone(),
            bound: Some(bound),
            server: None,
        }
    }

    /// Serves `files` (path → file); anything else is a 404.
    pub fn serve(&mut self, files: BTreeMap<&'static str, HostFile>) {
        let bound = self.bound.take().expect("serve once");
        self.server = Some(
            bound.serve(move |asked| match files.get(asked.path.as_str()) {
                Some(file) => file.headers.iter().fold(
                    Answer::ok(file.content_type, file.body.clone()),
                    |answer, (name, value)| answer.header(name, value),
                ),
                None => Answer::status(404),
            }),
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}
