//! Storage of SOP articles, their versions and deflections in D1.

use helpline_shared::clock::EpochMillis;
use helpline_shared::sop::SopArticle;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::D1Database;

use crate::d1::{int, optional, text, Rows};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Deserialize)]
pub struct ArticleRow {
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub tags: String,
    pub category: String,
    pub platforms: String,
    pub language: String,
    pub version: i64,
    #[serde(default)]
    pub published: i64,
    /// The version users read, if one is published.
    #[serde(default)]
    pub published_version: Option<i64>,
    pub updated_by: String,
    pub updated_ms: i64,
}

fn list_json(items: &[String]) -> ApiResult<String> {
    crate::d1::json_text(items)
}

fn list_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

impl ArticleRow {
    /// Whether this row is the version users read.
    pub fn is_published(&self) -> bool {
        self.published == 1 && self.published_version == Some(self.version)
    }

    pub fn tags(&self) -> Vec<String> {
        list_of(&self.tags)
    }

    pub fn platforms(&self) -> Vec<String> {
        list_of(&self.platforms)
    }

    /// The article as the search engine sees it.
    pub fn article(&self) -> SopArticle {
        SopArticle {
            slug: self.slug.clone(),
            title: self.title.clone(),
            body_markdown: self.body_markdown.clone(),
            tags: self.tags(),
            category: self.category.clone(),
            platforms: self.platforms(),
            language: self.language.clone(),
        }
    }
}

/// An article's content as parameters ?1 to ?8 (slug, title, Markdown, HTML,
/// tags, category, platforms, language), followed by `rest` from ?9 on.
fn content(article: &SopArticle, html: &str, rest: [JsValue; 3]) -> ApiResult<Vec<JsValue>> {
    let mut params = vec![
        text(&article.slug),
        text(&article.title),
        text(&article.body_markdown),
        text(html),
        text(&list_json(&article.tags)?),
        text(&article.category),
        text(&list_json(&article.platforms)?),
        text(&article.language),
    ];
    params.extend(rest);
    Ok(params)
}

/// Who wrote a version, and when.
pub struct Authorship<'a> {
    pub by: &'a str,
    pub at: EpochMillis,
}

// Copies the current state of an article into its version history; run in the
// same batch as the write, after it. OR IGNORE: a concurrent edit that lost the
// race finds its version number taken and adds nothing (its UPDATE changed
// nothing either, which the caller reports as a conflict).
const KEEP_VERSION: &str = "INSERT OR IGNORE INTO sop_article_versions
    (slug, version, title, body_markdown, body_html, tags, category, platforms, language, updated_by, updated_ms)
    SELECT slug, version, title, body_markdown, body_html, tags, category, platforms, language, updated_by, updated_ms
    FROM sop_articles WHERE slug = ?1 AND version = ?2";

/// Creates an article at version 1; `false` if the slug is taken.
pub async fn insert(
    db: &D1Database,
    article: &SopArticle,
    html: &str,
    published: bool,
    who: &Authorship<'_>,
) -> ApiResult<bool> {
    let insert = db
        .prepare(
            "INSERT INTO sop_articles (slug, title, body_markdown, body_html, tags, category,
                platforms, language, version, published, published_version, published_ms,
                updated_by, updated_ms, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, CASE WHEN ?9 = 1 THEN 1 END,
                CASE WHEN ?9 = 1 THEN ?11 END, ?10, ?11, ?11)
             ON CONFLICT (slug) DO NOTHING",
        )
        .bind(&content(
            article,
            html,
            [int(published as i64), text(who.by), int(who.at)],
        )?)?;
    let keep = db
        .prepare(KEEP_VERSION)
        .bind(&[text(&article.slug), int(1)])?;
    let results = db.batch(vec![insert, keep]).await?;
    Ok(changes(&results) == 1)
}

/// How many rows the batch's first statement changed.
fn changes(results: &[worker::D1Result]) -> usize {
    results.first().map_or(0, crate::d1::changes)
}

/// Saves an edit as the next version, if the article is still at `expected`.
/// What users read does not change: a published article keeps its published
/// version until a lead publishes this one.
pub async fn update(
    db: &D1Database,
    article: &SopArticle,
    html: &str,
    expected: i64,
    who: &Authorship<'_>,
) -> ApiResult<()> {
    let update = db
        .prepare(
            "UPDATE sop_articles SET title = ?2, body_markdown = ?3, body_html = ?4, tags = ?5,
                category = ?6, platforms = ?7, language = ?8, version = version + 1,
                updated_by = ?9, updated_ms = ?10
             WHERE slug = ?1 AND version = ?11",
        )
        .bind(&content(
            article,
            html,
            [text(who.by), int(who.at), int(expected)],
        )?)?;
    let keep = db
        .prepare(KEEP_VERSION)
        .bind(&[text(&article.slug), int(expected + 1)])?;
    let results = db.batch(vec![update, keep]).await?;
    if changes(&results) == 1 {
        Ok(())
    } else {
        Err(ApiError::StaleVersion)
    }
}

/// Publishes the current version (what users read from now on) or
/// unpublishes the article.
pub async fn set_published(
    db: &D1Database,
    slug: &str,
    published: bool,
    who: &Authorship<'_>,
) -> ApiResult<()> {
    let result = db
        .prepare(
            "UPDATE sop_articles SET published = ?2,
                published_version = CASE WHEN ?2 = 1 THEN version END, published_ms = ?4,
                updated_by = ?3, updated_ms = ?4
             WHERE slug = ?1",
        )
        .bind(&[text(slug), int(published as i64), text(who.by), int(who.at)])?
        .run()
        .await?;
    match crate::d1::changes(&result) {
        1 => Ok(()),
        _ => Err(ApiError::NotFound),
    }
}

const COLUMNS: &str = "slug, title, body_markdown, body_html, tags, category, platforms, language,
    version, published, published_version, updated_by, updated_ms";

// The published version of articles, as users read them.
const PUBLISHED: &str = "SELECT v.slug, v.title, v.body_markdown, v.body_html, v.tags, v.category,
        v.platforms, v.language, v.version, 1 AS published, a.published_version, v.updated_by,
        v.updated_ms
    FROM sop_articles a
    JOIN sop_article_versions v ON v.slug = a.slug AND v.version = a.published_version
    WHERE a.published = 1";

/// The version of an article that users read, if it is published.
pub async fn get_published(db: &D1Database, slug: &str) -> ApiResult<Option<ArticleRow>> {
    Ok(db
        .prepare(format!("{PUBLISHED} AND a.slug = ?1"))
        .bind(&[text(slug)])?
        .first::<ArticleRow>(None)
        .await?)
}

pub async fn get(db: &D1Database, slug: &str) -> ApiResult<Option<ArticleRow>> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS} FROM sop_articles WHERE slug = ?1"
        ))
        .bind(&[text(slug)])?
        .first::<ArticleRow>(None)
        .await?)
}

/// An older version; `published` is not part of a version and reads as 0.
pub async fn get_version(
    db: &D1Database,
    slug: &str,
    version: i64,
) -> ApiResult<Option<ArticleRow>> {
    Ok(db
        .prepare(
            "SELECT slug, title, body_markdown, body_html, tags, category, platforms, language,
                version, updated_by, updated_ms
             FROM sop_article_versions WHERE slug = ?1 AND version = ?2",
        )
        .bind(&[text(slug), int(version)])?
        .first::<ArticleRow>(None)
        .await?)
}

/// Every article: as users read them (`published_only`: the published
/// versions), or as the team works on them (the latest versions).
pub async fn list(db: &D1Database, published_only: bool) -> ApiResult<Vec<ArticleRow>> {
    let sql = if published_only {
        format!("{PUBLISHED} ORDER BY a.slug")
    } else {
        format!("SELECT {COLUMNS} FROM sop_articles ORDER BY slug")
    };
    db.prepare(sql).rows::<ArticleRow>().await
}

#[derive(Debug, Deserialize)]
pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub updated_by: String,
    pub updated_ms: i64,
}

pub async fn versions(db: &D1Database, slug: &str) -> ApiResult<Vec<VersionRow>> {
    db.prepare(
        "SELECT version, title, updated_by, updated_ms FROM sop_article_versions
             WHERE slug = ?1 ORDER BY version DESC",
    )
    .bind(&[text(slug)])?
    .rows::<VersionRow>()
    .await
}

/// A tag that changes whenever the published set or any published article
/// changes: the index's ETag, computed without building the index.
pub async fn published_revision(db: &D1Database) -> ApiResult<String> {
    #[derive(Deserialize)]
    struct Revision {
        n: i64,
        versions: Option<i64>,
        latest: Option<i64>,
    }
    let r = db
        .prepare(
            "SELECT COUNT(*) AS n, SUM(published_version) AS versions,
                MAX(published_ms) AS latest
             FROM sop_articles WHERE published = 1",
        )
        .first::<Revision>(None)
        .await?
        .ok_or_else(|| ApiError::Internal("no revision row".into()))?;
    Ok(format!(
        "\"sop{}-{}-{}-{}\"",
        helpline_shared::sop::INDEX_REVISION,
        r.n,
        r.versions.unwrap_or(0),
        r.latest.unwrap_or(0)
    ))
}

/// What one self-serve answer did for a user.
pub struct Deflection<'a> {
    pub query: &'a str,
    pub query_key: &'a str,
    pub article_slug: Option<&'a str>,
    pub solved: bool,
    pub reporter_id: &'a str,
    pub platform: Option<&'a str>,
    pub at: EpochMillis,
}

pub async fn record_deflection(db: &D1Database, d: &Deflection<'_>) -> ApiResult<i64> {
    #[derive(Deserialize)]
    struct Id {
        id: i64,
    }
    Ok(db
        .prepare(
            "INSERT INTO deflections (query, query_key, article_slug, solved, reporter_id, platform, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        )
        .bind(&[
            text(d.query),
            text(d.query_key),
            optional(d.article_slug),
            int(d.solved as i64),
            text(d.reporter_id),
            optional(d.platform),
            int(d.at),
        ])?
        .first::<Id>(None)
        .await?
        .map_or(0, |r| r.id))
}

#[derive(Debug, Deserialize)]
pub struct GapRow {
    pub query: String,
    pub unanswered: i64,
    pub no_article: i64,
    pub last_ms: i64,
}

/// Queries that went unanswered (nothing shown, or "did not solve it"), most
/// frequent first: an aggregate in D1, not a scan in the Worker.
pub async fn gaps(db: &D1Database, since: EpochMillis, limit: i64) -> ApiResult<Vec<GapRow>> {
    db.prepare(
        // SQLite takes a bare column from the row that gave MAX(): the
        // query is shown as it was most recently typed.
        "SELECT query, COUNT(*) AS unanswered,
                SUM(article_slug IS NULL) AS no_article, MAX(at_ms) AS last_ms
             FROM deflections WHERE solved = 0 AND at_ms >= ?1
             GROUP BY query_key ORDER BY unanswered DESC, last_ms DESC LIMIT ?2",
    )
    .bind(&[int(since), int(limit)])?
    .rows::<GapRow>()
    .await
}
