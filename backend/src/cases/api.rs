//! `POST /v1/cases`: parse → validate in the core → store → 201.

use helpline_shared::api::{CaseCreated, CreateCaseRequest};
use helpline_shared::case::validate_new_case;
use worker::{Env, Request, Response};

use crate::error::ApiResult;
use crate::http;

pub async fn create(mut req: Request, env: &Env) -> ApiResult<Response> {
    let input: CreateCaseRequest = http::read_json(&mut req).await?;
    let case = validate_new_case(&input)?;
    let created: CaseCreated = super::store::insert(&env.d1("DB")?, &case, http::now()).await?;
    http::json(201, &created)
}
