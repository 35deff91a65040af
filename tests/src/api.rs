//! Shorthands for the calls tests make again and again, so each test reads as
//! the story it tells. Every helper asserts the status it expects.

use helpline_shared::api::{
    CaseCreated, CaseView, ErrorBody, Queue, SpecialistCreated, SweepReport,
};
use reqwest::{Method, Response, StatusCode};
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

/// The body of an error answer, in the one error shape.
pub async fn error_of(response: Response) -> ErrorBody {
    response
        .json::<ErrorBody>()
        .await
        .expect("the one JSON error shape")
}

/// Asserts `response` has `status` and returns its JSON body.
pub async fn expect_json<T: serde::de::DeserializeOwned>(
    response: Response,
    status: StatusCode,
) -> T {
    let got = response.status();
    let text = response.text().await.unwrap_or_default();
    assert_eq!(got, status, "unexpected answer: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// An `SLA_POLICY` with the same targets, in milliseconds, for every priority,
/// so tests can watch a deadline pass in real time.
pub fn sla_policy(first_response_ms: i64, resolution_ms: i64) -> String {
    let target = json!({ "first_response_ms": first_response_ms, "resolution_ms": resolution_ms });
    json!({ "p1": target, "p2": target, "p3": target, "p4": target }).to_string()
}

impl Stack {
    /// Publishes an SOP article as a lead (`article` is a `POST
    /// /v1/sop/articles` body), so the widget's index suggests it.
    pub async fn publish_article(&self, article: Value) {
        let response = self
            .with_token(&self.tokens.lead, Method::POST, "/v1/sop/articles")
            .json(&article)
            .send()
            .await
            .unwrap();
        let _: Value = expect_json(response, StatusCode::CREATED).await;
    }

    /// Hires `name` with `role` as the seeded admin; the answer carries the
    /// new specialist's token.
    pub async fn hire(&self, name: &str, role: &str) -> SpecialistCreated {
        let response = self
            .with_token(&self.tokens.admin, Method::POST, "/v1/specialists")
            .json(&json!({ "name": name, "role": role }))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await
    }

    /// Creates a case as `user_id` and returns what the API answered.
    pub async fn create_case(&self, user_id: &str, description: &str) -> CaseCreated {
        self.create_case_from(user_id, case_body(user_id, description))
            .await
    }

    /// Creates a case from a whole `POST /v1/cases` body, as `user_id`.
    pub async fn create_case_from(&self, user_id: &str, body: Value) -> CaseCreated {
        let response = self
            .as_reporter(user_id, Method::POST, "/v1/cases")
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::CREATED).await
    }

    /// `GET /v1/queue{query}` as the seeded specialist (`query` is `""` or
    /// starts with `?`).
    pub async fn queue(&self, query: &str) -> Queue {
        let response = self
            .as_specialist(Method::GET, &format!("/v1/queue{query}"))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }

    /// Runs the SLA sweep now, as the seeded lead.
    pub async fn sweep(&self) -> SweepReport {
        let response = self
            .with_token(&self.tokens.lead, Method::POST, "/v1/sla/sweep")
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }

    /// Claims the next case with `token`; `None` when the queue is empty.
    pub async fn claim(&self, token: &str) -> Option<CaseView> {
        let response = self
            .with_token(token, Method::POST, "/v1/queue/claim")
            .send()
            .await
            .unwrap();
        match response.status() {
            StatusCode::NO_CONTENT => None,
            _ => Some(expect_json(response, StatusCode::OK).await),
        }
    }

    /// A specialist action (`reply`, `note`, `status`, `escalate`, `release`)
    /// on case `id` with `token`; returns the raw response.
    pub async fn act(&self, token: &str, id: i64, action: &str, body: Value) -> Response {
        self.with_token(token, Method::POST, &format!("/v1/cases/{id}/{action}"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A reporter's message on case `id`; returns the raw response.
    pub async fn reporter_message(&self, user_id: &str, id: i64, body: &str) -> Response {
        self.as_reporter(user_id, Method::POST, &format!("/v1/cases/{id}/messages"))
            .json(&json!({ "body": body }))
            .send()
            .await
            .unwrap()
    }

    /// A specialist action that must succeed; returns the case as it is after.
    pub async fn act_ok(&self, token: &str, id: i64, action: &str, body: Value) -> CaseView {
        expect_json(self.act(token, id, action, body).await, StatusCode::OK).await
    }

    /// Case `id` as a specialist sees it.
    pub async fn case_for_team(&self, id: i64) -> CaseView {
        let response = self
            .as_specialist(Method::GET, &format!("/v1/cases/{id}"))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }

    /// Case `id` as its reporter `user_id` sees it.
    pub async fn case_for_reporter(&self, user_id: &str, id: i64) -> CaseView {
        let response = self
            .as_reporter(user_id, Method::GET, &format!("/v1/cases/{id}"))
            .send()
            .await
            .unwrap();
        expect_json(response, StatusCode::OK).await
    }
}
