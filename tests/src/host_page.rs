//! A host platform's page on its own origin, served by the test: HTML and
//! scripts with the headers the test chooses (a strict Content-Security-Policy,
//! say), embedding the widget from the Worker's origin the way a real platform
//! would. Listens on a free loopback port until dropped.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One file the page serves.
pub struct HostFile {
    pub content_type: &'static str,
    pub body: String,
    /// Extra response headers (`Content-Security-Policy`, …).
    pub headers: Vec<(&'static str, String)>,
}

pub struct HostPage {
    pub origin: String,
    listener: Option<TcpListener>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl HostPage {
    /// Binds a free port first, so the origin is known (the Worker's
    /// ALLOWED_ORIGINS needs it) before there is anything to serve.
    pub async fn bind() -> HostPage {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        HostPage {
            origin,
            listener: Some(listener),
            task: None,
        }
    }

    /// Serves `files` (path → file); anything else is a 404.
    pub fn serve(&mut self, files: BTreeMap<&'static str, HostFile>) {
        let listener = self.listener.take().expect("serve once");
        let files = Arc::new(files);
        self.task = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let files = files.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut line = String::new();
                    while reader.read_line(&mut line).await.unwrap_or(0) > 2 {
                        line.clear();
                    }
                    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
                    let path = path.split('?').next().unwrap_or(path);
                    let answer = match files.get(path) {
                        Some(file) => {
                            let mut head = format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
                                file.content_type,
                                file.body.len()
                            );
                            for (name, value) in &file.headers {
                                head.push_str(&format!("{name}: {value}\r\n"));
                            }
                            format!("{head}Connection: close\r\n\r\n{}", file.body)
                        }
                        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_string(),
                    };
                    let _ = reader.get_mut().write_all(answer.as_bytes()).await;
                });
            }
        }));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
