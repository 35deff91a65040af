//! `GET /v1/reports/daily?date=&tz=&format=` (specialists) and
//! `POST /v1/reports/daily` (leads: write and send it now).

use helpline_shared::api::WriteReportRequest;
use helpline_shared::lifecycle::Role;
use helpline_shared::report::{html, markdown, DailyReport, DayWindow, ReportFormat};
use worker::{Env, Request, Response};

use crate::config::Config;
use crate::error::ApiResult;
use crate::http;
use crate::specialists::auth;

/// A page with no script, no outside resource and only its own inline style.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The day asked for: `date` defaults to today and `tz` to the configured zone.
fn day(date: Option<&str>, tz: Option<&str>, config: &Config) -> ApiResult<DayWindow> {
    let tz = tz
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&config.report_time_zone);
    Ok(DayWindow::requested(date, tz, http::now())?)
}

pub async fn daily(req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    auth::require(&req, &env.d1("DB")?, &config, Role::Specialist).await?;
    let query = http::query_pairs(&req)?;
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let format = ReportFormat::choose(param("format"), req.headers().get("Accept")?.as_deref())?;
    let day = day(param("date"), param("tz"), &config)?;
    let (report, sql_ms) = super::daily(env, &day, http::now()).await?;
    let mut response = answer(&report, format)?;
    // Lets `cargo xtask bench-report` tell SQL time from the Worker's own.
    response
        .headers_mut()
        .set("Server-Timing", &format!("d1;dur={sql_ms:.1}"))?;
    Ok(response)
}

pub async fn write(mut req: Request, env: &Env) -> ApiResult<Response> {
    let config = Config::from_env(env);
    auth::require(&req, &env.d1("DB")?, &config, Role::Lead).await?;
    let body: WriteReportRequest = http::read_json_or_default(&mut req).await?;
    let day = day(body.date.as_deref(), body.tz.as_deref(), &config)?;
    let report = super::write_now(env, &day, http::now()).await?;
    answer(&report, ReportFormat::Json)
}

fn answer(report: &DailyReport, format: ReportFormat) -> ApiResult<Response> {
    let mut response = match format {
        ReportFormat::Json => return http::json(200, report),
        ReportFormat::Markdown => Response::ok(markdown::render(report))?,
        ReportFormat::Html => {
            let mut page = Response::ok(html::render(report))?;
            page.headers_mut()
                .set("Content-Security-Policy", REPORT_CSP)?;
            page
        }
    };
    let headers = response.headers_mut();
    headers.set("Content-Type", format.content_type())?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(response)
}
