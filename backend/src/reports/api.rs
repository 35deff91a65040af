//! `GET /v1/reports/daily?date=&tz=&format=` (specialists) and
//! `POST /v1/reports/daily` (leads: write and send it now).

use helpline_shared::api::WriteReportRequest;
use helpline_shared::lifecycle::Role;
use helpline_shared::report::{html, markdown, DailyReport, DayWindow, ReportFormat};
use worker::Response;

use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::http;

/// A page with no script, no outside resource and only its own inline style.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The day asked for: `date` defaults to today and `tz` to the configured zone.
fn day(date: Option<&str>, tz: Option<&str>, config: &Config) -> ApiResult<DayWindow> {
    let tz = tz
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(&config.report_time_zone);
    Ok(DayWindow::requested(date, tz, http::now())?)
}

pub async fn daily(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let query = http::query_pairs(&ctx.req)?;
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let format =
        ReportFormat::choose(param("format"), ctx.req.headers().get("Accept")?.as_deref())?;
    let day = day(param("date"), param("tz"), &ctx.config)?;
    let (report, sql_ms) = super::daily(ctx.env, &day, http::now()).await?;
    let mut response = report_response(&report, format)?;
    // Lets `cargo xtask bench-report` tell SQL time from the Worker's own.
    response
        .headers_mut()
        .set("Server-Timing", &format!("d1;dur={sql_ms:.1}"))?;
    Ok(response)
}

pub async fn write(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Lead).await?;
    let body: WriteReportRequest = http::read_json_or_default(&mut ctx.req).await?;
    let day = day(body.date.as_deref(), body.tz.as_deref(), &ctx.config)?;
    let report = super::write_now(ctx.env, &day, http::now()).await?;
    report_response(&report, ReportFormat::Json)
}

fn report_response(report: &DailyReport, format: ReportFormat) -> ApiResult<Response> {
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
