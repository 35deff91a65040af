//! Shorthands for the calls tests make again and again, so each test reads as
//! the story it tells. Every helper asserts the status it expects, and says
//! which request got which answer when it is not that.

use std::future::Future;

use helpline_shared::api::{
    CaseCreated, CaseView, ErrorBody, Queue, SpecialistCreated, SweepReport,
};
use helpline_shared::events::CaseEventKind;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::Stack;

/// A valid `POST /v1/cases` body for `user_id`.
pub fn case_body(user_id: &str, description: &str) -> Value {
    json!({
        "description": description,
        "platform": "ads-console",
        "reporter": { "id": user_id, "name": "Dana Wu", "email": "dana.wu@example.com" }
    })
}

/// A request still to send, or the answer one already got (from
/// [`Stack::act`], say): what the `expect_*` helpers take.
pub trait Exchange {
    /// The Worker's answer.
    fn answer(self) -> impl Future<Output = Response>;
}

impl Exchange for RequestBuilder {
    async fn answer(self) -> Response {
        self.send().await.expect("the Worker answers")
    }
}

impl Exchange for Response {
    async fn answer(self) -> Response {
        self
    }
}

/// What `response` answered: the path and query asked for.
fn asked(response: &Response) -> String {
    let url = response.url();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The body of an error answer (sent now if `request` is still to send), in
/// the one error shape.
pub async fn error_of(request: impl Exchange) -> ErrorBody {
    let response = request.answer().await;
    let asked = asked(&response);
    response
        .json::<ErrorBody>()
        .await
        .unwrap_or_else(|e| panic!("{asked} did not answer the one JSON error shape: {e}"))
}

/// Sends `request` (or takes its answer), asserts it has `status` and
/// returns the answer.
pub async fn expect_status(request: impl Exchange, status: StatusCode) -> Response {
    let response = request.answer().await;
    let got = response.status();
    if got != status {
        let asked = asked(&response);
        let text = response.text().await.unwrap_or_default();
        panic!("{asked} answered {got}, not {status}: {text}");
    }
    response
}

/// Sends `request` (or takes its answer), asserts it has `status` and
/// returns its JSON body.
pub async fn expect_json<T: DeserializeOwned>(request: impl Exchange, status: StatusCode) -> T {
    let response = request.answer().await;
    let (got, asked) = (response.status(), asked(&response));
    let text = response.text().await.unwrap_or_default();
    assert_eq!(got, status, "unexpected answer to {asked}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{asked}: {e}: {text}"))
}

/// Sends `request` (or takes its answer), asserts it is refused with
/// `status`, and returns the refusal in the one error shape.
pub async fn expect_refusal(request: impl Exchange, status: StatusCode) -> ErrorBody {
    expect_json(request, status).await
}

/// Like [`expect_refusal`], and asserts the refusal names `field` as the one
/// at fault.
pub async fn expect_refusal_naming(
    request: impl Exchange,
    status: StatusCode,
    field: &str,
) -> ErrorBody {
    let refusal = expect_refusal(request, status).await;
    assert_eq!(
        refusal.error.field.as_deref(),
        Some(field),
        "the field of {refusal:?}"
    );
    refusal
}

/// How many events of `kind` the timeline of `case` holds (as far as it was read).
pub fn count_events(case: &CaseView, kind: CaseEventKind) -> usize {
    case.events.iter().filter(|e| e.kind == kind).count()
}

/// An `SLA_POLICY` with the same targets, in milliseconds, for every priority,
/// so tests can watch a deadline pass in real time.
pub fn sla_policy(first_response_ms: i64, resolution_ms: i64) -> String {
    let target = json!({ "first_response_ms": first_response_ms, "resolution_ms": resolution_ms });
    json!({ "p1": target, "p2": target, "p3": target, "p4": target }).to_string()
}

impl Stack {
    /// `GET path` as the seeded specialist, which must answer 200: its body.
    pub async fn read_as_team<T: DeserializeOwned>(&self, path: &str) -> T {
        expect_json(self.as_specialist(Method::GET, path), StatusCode::OK).await
    }

    /// `GET path` as reporter `user_id`, which must answer 200: its body.
    pub async fn read_as_reporter<T: DeserializeOwned>(&self, user_id: &str, path: &str) -> T {
        expect_json(self.as_reporter(user_id, Method::GET, path), StatusCode::OK).await
    }

    /// Publishes an SOP article as a lead (`article` is a `POST
    /// /v1/sop/articles` body), so the widget's index suggests it.
    pub async fn publish_article(&self, article: Value) {
        let request = self
            .with_token(&self.tokens.lead, Method::POST, "/v1/sop/articles")
            .json(&article);
        expect_status(request, StatusCode::CREATED).await;
    }

    /// Records that reporter `user_id` read the SOP `slug` in the widget,
    /// having typed `query`, and said it did not help.
    pub async fn reject_answer(&self, user_id: &str, slug: &str, query: &str) {
        let request = self
            .as_reporter(user_id, Method::POST, "/v1/deflections")
            .json(&json!({
                "query": query, "article_slug": slug, "solved": false, "platform": "ads-console"
            }));
        expect_status(request, StatusCode::CREATED).await;
    }

    /// Hires `name` with `role` as the seeded admin; the answer carries the
    /// new specialist's token.
    pub async fn hire(&self, name: &str, role: &str) -> SpecialistCreated {
        let request = self
            .with_token(&self.tokens.admin, Method::POST, "/v1/specialists")
            .json(&json!({ "name": name, "role": role }));
        expect_json(request, StatusCode::CREATED).await
    }

    /// Revokes specialist `id` as the seeded admin.
    pub async fn revoke(&self, id: i64) {
        let path = format!("/v1/specialists/{id}/revoke");
        let request = self.with_token(&self.tokens.admin, Method::POST, &path);
        expect_status(request, StatusCode::OK).await;
    }

    /// Creates a case as `user_id` and returns what the API answered.
    pub async fn create_case(&self, user_id: &str, description: &str) -> CaseCreated {
        self.create_case_from(user_id, case_body(user_id, description))
            .await
    }

    /// Creates a case from a whole `POST /v1/cases` body, as `user_id`.
    pub async fn create_case_from(&self, user_id: &str, body: Value) -> CaseCreated {
        expect_json(self.new_case(user_id, &body), StatusCode::CREATED).await
    }

    /// `POST /v1/cases` with `body` as reporter `user_id`, not yet sent.
    pub fn new_case(&self, user_id: &str, body: &Value) -> RequestBuilder {
        self.as_reporter(user_id, Method::POST, "/v1/cases")
            .json(body)
    }

    /// `GET /v1/queue{query}` as the seeded specialist (`query` is `""` or
    /// starts with `?`).
    pub async fn queue(&self, query: &str) -> Queue {
        self.read_as_team(&format!("/v1/queue{query}")).await
    }

    /// Runs the SLA sweep now, as the seeded lead.
    pub async fn sweep(&self) -> SweepReport {
        let request = self.with_token(&self.tokens.lead, Method::POST, "/v1/sla/sweep");
        expect_json(request, StatusCode::OK).await
    }

    /// Runs the SLA sweep, then again to see the second finds nothing new
    /// (each alert is recorded once); returns the first one's report.
    pub async fn sweep_exactly_once(&self) -> SweepReport {
        let report = self.sweep().await;
        assert_eq!(self.sweep().await, SweepReport::default(), "nothing new");
        report
    }

    /// Claims the next case with `token`; `None` when the queue is empty.
    pub async fn claim(&self, token: &str) -> Option<CaseView> {
        let response = self
            .with_token(token, Method::POST, "/v1/queue/claim")
            .answer()
            .await;
        match response.status() {
            StatusCode::NO_CONTENT => None,
            _ => Some(expect_json(response, StatusCode::OK).await),
        }
    }

    /// Claims the next case with `token`, which there must be.
    pub async fn claim_next(&self, token: &str) -> CaseView {
        self.claim(token).await.expect("a case to claim")
    }

    /// Creates a case as `user_id` and claims it as the seeded specialist
    /// (nothing more urgent may be queued); returns the case as claimed.
    pub async fn claimed_case(&self, user_id: &str, description: &str) -> CaseView {
        let created = self.create_case(user_id, description).await;
        let claimed = self.claim_next(&self.tokens.specialist).await;
        assert_eq!(claimed.id, created.id, "the claim took the new case");
        claimed
    }

    /// A specialist action (`reply`, `note`, `status`, `escalate`, `release`)
    /// on case `id` with `token`; returns the raw response.
    pub async fn act(&self, token: &str, id: i64, action: &str, body: Value) -> Response {
        self.with_token(token, Method::POST, &format!("/v1/cases/{id}/{action}"))
            .json(&body)
            .answer()
            .await
    }

    /// A specialist action that must succeed; returns the case as it is after.
    pub async fn act_ok(&self, token: &str, id: i64, action: &str, body: Value) -> CaseView {
        expect_json(self.act(token, id, action, body).await, StatusCode::OK).await
    }

    /// A `reply` or a `note` (`kind`) of `body` on case `id` with `token`,
    /// answered whatever the answer is.
    pub async fn write(&self, token: &str, id: i64, kind: &str, body: &str) -> Response {
        self.act(token, id, kind, json!({ "body": body })).await
    }

    /// A public reply on case `id` with `token`, which must succeed.
    pub async fn reply(&self, token: &str, id: i64, body: &str) -> CaseView {
        self.act_ok(token, id, "reply", json!({ "body": body }))
            .await
    }

    /// A note for the team on case `id` with `token`, which must succeed.
    pub async fn note(&self, token: &str, id: i64, body: &str) -> CaseView {
        self.act_ok(token, id, "note", json!({ "body": body }))
            .await
    }

    /// Moves case `id` to `status` with `token`, which must succeed.
    pub async fn set_status(&self, token: &str, id: i64, status: &str) -> CaseView {
        self.act_ok(token, id, "status", json!({ "status": status }))
            .await
    }

    /// Escalates case `id` to `team` at `level` with `token`, which must succeed.
    pub async fn escalate(
        &self,
        token: &str,
        id: i64,
        team: &str,
        level: u8,
        reason: &str,
    ) -> CaseView {
        let escalation = json!({ "team": team, "level": level, "reason": reason });
        self.act_ok(token, id, "escalate", escalation).await
    }

    /// A reporter's message on case `id`; returns the raw response.
    pub async fn reporter_message(&self, user_id: &str, id: i64, body: &str) -> Response {
        self.as_reporter(user_id, Method::POST, &format!("/v1/cases/{id}/messages"))
            .json(&json!({ "body": body }))
            .answer()
            .await
    }

    /// A reporter's message on case `id`, which must succeed; returns the
    /// case as the reporter sees it after.
    pub async fn reporter_message_ok(&self, user_id: &str, id: i64, body: &str) -> CaseView {
        let sent = self.reporter_message(user_id, id, body).await;
        expect_json(sent, StatusCode::OK).await
    }

    /// A reporter's feedback (`{"rating", "comment"?}`) on case `id`; returns
    /// the raw response.
    pub async fn feedback(&self, user_id: &str, id: i64, body: Value) -> Response {
        self.as_reporter(user_id, Method::POST, &format!("/v1/cases/{id}/feedback"))
            .json(&body)
            .answer()
            .await
    }

    /// Case `id` as a specialist sees it.
    pub async fn case_for_team(&self, id: i64) -> CaseView {
        self.read_as_team(&format!("/v1/cases/{id}")).await
    }

    /// Case `id` as its reporter `user_id` sees it.
    pub async fn case_for_reporter(&self, user_id: &str, id: i64) -> CaseView {
        self.read_as_reporter(user_id, &format!("/v1/cases/{id}"))
            .await
    }
}
