//! The SOP routes.
//!
//! Readers (a signed reporter, or any specialist): `GET /v1/sop/index` (the
//! compact index the widget searches locally; ETag / 304), `GET /v1/sop/search?q=`,
//! `GET /v1/sop/articles/{slug}`. Reporters: `POST /v1/deflections`.
//! Specialists: `GET /v1/sop/articles` (drafts too), `POST /v1/sop/articles`,
//! `PUT /v1/sop/articles/{slug}` (If-Match: the version edited),
//! `GET /v1/sop/articles/{slug}/versions`, `GET /v1/sop/gaps`.
//! Leads: `POST /v1/sop/articles/{slug}/publish` and `/unpublish`, and publishing
//! on create.

use helpline_shared::api::{
    DeflectionRecorded, DeflectionRequest, SopArticleInput, SopArticleList, SopArticleSummary,
    SopArticleView, SopGap, SopGaps, SopSearchResults, SopVersionList, SopVersionSummary,
};
use helpline_shared::clock::iso;
use helpline_shared::conditional::etag_matches;
use helpline_shared::lifecycle::Role;
use helpline_shared::limits::QUERY_MAX_CHARS;
use helpline_shared::markdown;
use helpline_shared::sop::authoring::validate_article;
use helpline_shared::sop::SopIndex;
use helpline_shared::text::query_key;
use helpline_shared::{text, ValidationError};
use worker::{Request, Response};

use super::store::{self, ArticleRow, Authorship, Deflection};
use crate::cases::service::Caller;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http;

/// How many suggestions one search returns at most.
const SEARCH_LIMIT: usize = 8;
/// How far back the gaps report looks.
const GAPS_WINDOW_MS: i64 = 30 * 24 * 3_600_000;

fn view(row: ArticleRow) -> SopArticleView {
    let published = row.is_published();
    SopArticleView {
        tags: row.tags(),
        platforms: row.platforms(),
        slug: row.slug,
        title: row.title,
        body_markdown: row.body_markdown,
        body_html: row.body_html,
        category: row.category,
        language: row.language,
        version: row.version,
        published,
        published_version: row.published_version,
        updated_by: row.updated_by,
        updated_at: iso(row.updated_ms),
    }
}

fn with_etag(mut response: Response, etag: &str) -> ApiResult<Response> {
    response.headers_mut().set("ETag", etag)?;
    Ok(response)
}

pub async fn index(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.caller().await?;
    let etag = store::published_revision(&ctx.db).await?;
    let cached = ctx.req.headers().get("If-None-Match")?.unwrap_or_default();
    if etag_matches(&cached, &etag) {
        return with_etag(Response::empty()?.with_status(304), &etag);
    }
    let (bytes, source) = index_bytes(&ctx.db, &etag).await?;
    let mut response = Response::from_bytes(bytes)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "application/octet-stream")?;
    headers.set("Cache-Control", "private, no-cache")?;
    headers.set("X-Helpline-Index", source)?;
    with_etag(response, &etag)
}

/// The index bytes for the published set tagged `etag`. Building reads every
/// published article and takes real CPU (about 0.6 s for 5,000 articles), so
/// the bytes are kept in the Worker's cache under the tag: each change of the
/// published set is built once per location, not once per reader.
async fn index_bytes(db: &worker::D1Database, etag: &str) -> ApiResult<(Vec<u8>, &'static str)> {
    let cache = worker::Cache::default();
    let key = format!(
        "https://sop-index.helpline.invalid/{}",
        etag.trim_matches('"')
    );
    if let Some(mut hit) = cache.get(key.as_str(), false).await? {
        return Ok((hit.bytes().await?, "cached"));
    }
    let articles: Vec<_> = store::list(db, true)
        .await?
        .iter()
        .map(ArticleRow::article)
        .collect();
    let bytes = SopIndex::build(&articles).to_bytes();
    // The cached copy is immutable under its tag; what readers get is
    // revalidated on every use through the ETag above.
    let mut keep = Response::from_bytes(bytes.clone())?;
    keep.headers_mut()
        .set("Cache-Control", "public, max-age=604800, immutable")?;
    if let Err(err) = cache.put(key.as_str(), keep).await {
        // A cache that cannot keep it only costs a rebuild next time.
        worker::console_warn!("could not cache the SOP index: {err}");
    }
    Ok((bytes, "built"))
}

fn query_param(req: &Request, name: &'static str) -> ApiResult<String> {
    let value = http::query_pairs(req)?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_default();
    Ok(text::required(name, &value, QUERY_MAX_CHARS, false)?)
}

pub async fn search(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.caller().await?;
    let query = query_param(&ctx.req, "q")?;
    // The same cached bytes the widget downloads: a search costs a decode,
    // not a rebuild from every published article.
    let etag = store::published_revision(&ctx.db).await?;
    let (bytes, source) = index_bytes(&ctx.db, &etag).await?;
    let index = SopIndex::from_bytes(&bytes)
        .map_err(|e| ApiError::Internal(format!("the cached SOP index: {e}")))?;
    let hits = index.search(&query, SEARCH_LIMIT);
    let mut response = http::json(200, &SopSearchResults { query, hits })?;
    response.headers_mut().set("X-Helpline-Index", source)?;
    Ok(response)
}

fn version_param(req: &Request) -> ApiResult<Option<i64>> {
    match http::query_pairs(req)?
        .into_iter()
        .find(|(k, _)| k == "version")
    {
        None => Ok(None),
        Some((_, v)) => v.parse().map(Some).map_err(|_| {
            ValidationError::Invalid {
                field: "version",
                reason: "use a version number",
            }
            .into()
        }),
    }
}

pub async fn article(ctx: Ctx<'_>, slug: &str) -> ApiResult<Response> {
    let caller = ctx.caller().await?;
    let is_team = matches!(caller, Caller::Specialist(_));
    let row = match version_param(&ctx.req)? {
        // Older versions are the team's business.
        Some(version) if is_team => store::get_version(&ctx.db, slug, version).await?,
        Some(_) => None,
        None if is_team => store::get(&ctx.db, slug).await?,
        // A reporter only ever sees what is published, as it was published.
        None => store::get_published(&ctx.db, slug).await?,
    };
    match row {
        Some(row) => {
            let etag = format!("\"{}\"", row.version);
            with_etag(http::json(200, &view(row))?, &etag)
        }
        _ => Err(ApiError::NotFound),
    }
}

pub async fn list(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let articles = store::list(&ctx.db, false)
        .await?
        .into_iter()
        .map(|row| SopArticleSummary {
            published: row.is_published(),
            published_version: row.published_version,
            slug: row.slug,
            title: row.title,
            category: row.category,
            language: row.language,
            version: row.version,
            updated_at: iso(row.updated_ms),
        })
        .collect();
    http::json(200, &SopArticleList { articles })
}

pub async fn create(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    let author = ctx.specialist(Role::Specialist).await?;
    let input: SopArticleInput = http::read_json(&mut ctx.req).await?;
    let article = validate_article(&input, None)?;
    if input.published && author.role < Role::Lead {
        return Err(ApiError::Forbidden(Role::Lead.as_str()));
    }
    let who = Authorship {
        by: &author.name,
        at: http::now(),
    };
    let html = markdown::render(&article.body_markdown);
    if !store::insert(&ctx.db, &article, &html, input.published, &who).await? {
        return Err(ApiError::Conflict(format!(
            "an article with the slug {} exists already",
            article.slug
        )));
    }
    let row = store::get(&ctx.db, &article.slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    with_etag(http::json(201, &view(row))?, "\"1\"")
}

pub async fn edit(mut ctx: Ctx<'_>, slug: &str) -> ApiResult<Response> {
    let author = ctx.specialist(Role::Specialist).await?;
    let expected =
        http::if_match(&ctx.req)?.ok_or(ValidationError::Required { field: "If-Match" })?;
    let input: SopArticleInput = http::read_json(&mut ctx.req).await?;
    let article = validate_article(&input, Some(slug))?;
    if store::get(&ctx.db, &article.slug).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let who = Authorship {
        by: &author.name,
        at: http::now(),
    };
    let html = markdown::render(&article.body_markdown);
    store::update(&ctx.db, &article, &html, expected, &who).await?;
    let row = store::get(&ctx.db, &article.slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let etag = format!("\"{}\"", row.version);
    with_etag(http::json(200, &view(row))?, &etag)
}

pub async fn publish(ctx: Ctx<'_>, slug: &str, published: bool) -> ApiResult<Response> {
    let lead = ctx.specialist(Role::Lead).await?;
    let who = Authorship {
        by: &lead.name,
        at: http::now(),
    };
    store::set_published(&ctx.db, slug, published, &who).await?;
    let row = store::get(&ctx.db, slug).await?.ok_or(ApiError::NotFound)?;
    http::json(200, &view(row))
}

pub async fn versions(ctx: Ctx<'_>, slug: &str) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let versions: Vec<_> = store::versions(&ctx.db, slug)
        .await?
        .into_iter()
        .map(|v| SopVersionSummary {
            version: v.version,
            title: v.title,
            updated_by: v.updated_by,
            updated_at: iso(v.updated_ms),
        })
        .collect();
    if versions.is_empty() {
        return Err(ApiError::NotFound);
    }
    http::json(200, &SopVersionList { versions })
}

pub async fn deflection(mut ctx: Ctx<'_>) -> ApiResult<Response> {
    let reporter = ctx.reporter()?;
    let input: DeflectionRequest = http::read_json(&mut ctx.req).await?;
    let query = text::required("query", &input.query, QUERY_MAX_CHARS, false)?;
    let article_slug = match input.article_slug.as_deref() {
        Some(slug) => Some(helpline_shared::case::slug("article_slug", slug)?),
        None => None,
    };
    let platform = match input.platform.as_deref() {
        Some(p) => Some(helpline_shared::case::slug("platform", p)?),
        None => None,
    };
    let key = query_key(&query);
    let id = store::record_deflection(
        &ctx.db,
        &Deflection {
            query: &query,
            query_key: &key,
            article_slug: article_slug.as_deref(),
            solved: input.solved,
            reporter_id: &reporter.id,
            platform: platform.as_deref(),
            at: http::now(),
        },
    )
    .await?;
    http::json(201, &DeflectionRecorded { id })
}

pub async fn gaps(ctx: Ctx<'_>) -> ApiResult<Response> {
    ctx.specialist(Role::Specialist).await?;
    let gaps = store::gaps(&ctx.db, http::now() - GAPS_WINDOW_MS, 50)
        .await?
        .into_iter()
        .map(|g| SopGap {
            query: g.query,
            unanswered: g.unanswered,
            no_article: g.no_article,
            last_at: iso(g.last_ms),
        })
        .collect();
    http::json(200, &SopGaps { gaps })
}
