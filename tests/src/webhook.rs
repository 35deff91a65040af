//! A real HTTP receiver standing in for the team's IM webhook: it listens on a
//! free loopback port, answers every POST with the status the test chose, and
//! keeps each body it was sent (also the refused ones, to count retries).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

pub struct WebhookReceiver {
    pub url: String,
    received: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    /// Starts a receiver that answers every delivery with `status`.
    pub async fn start(status: u16) -> WebhookReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let header = line.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    if let Ok(json) = serde_json::from_slice(&body) {
                        kept.lock().unwrap().push(json);
                    }
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    );
                    let _ = reader.get_mut().write_all(answer.as_bytes()).await;
                });
            }
        });
        WebhookReceiver {
            url,
            received,
            task,
        }
    }

    /// Every body received so far, in arrival order.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    /// Waits for `count` notifications of `kind`, then a little longer so a
    /// duplicate would show, asserts there are exactly `count`, returns them.
    pub async fn exactly(&self, kind: &str, count: usize) -> Vec<Value> {
        crate::eventually(kind, Duration::from_secs(20), || async {
            (self.of_kind(kind).len() >= count).then_some(())
        })
        .await;
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        let got = self.of_kind(kind);
        assert_eq!(got.len(), count, "{kind} notifications: {got:#?}");
        got
    }

    /// The bodies whose notification is of `kind` (`page`, `escalated`, …).
    pub fn of_kind(&self, kind: &str) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|body| body["helpline"]["kind"] == kind)
            .collect()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
