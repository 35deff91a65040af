//! Storage of troubleshooting link templates in D1.

use helpline_shared::api::LinkTemplateView;
use helpline_shared::clock::{iso, EpochMillis};
use helpline_shared::troubleshooting::{LinkTemplate, EVERY_PLATFORM};
use serde::Deserialize;
use worker::D1Database;

use crate::d1::{changes, int, text, Rows};
use crate::error::{ApiError, ApiResult};

const COLUMNS: &str = "id, platform, label, template, created_by, created_ms";

#[derive(Deserialize)]
struct Row {
    id: i64,
    platform: String,
    label: String,
    template: String,
    created_by: String,
    created_ms: i64,
}

impl Row {
    fn view(self) -> LinkTemplateView {
        LinkTemplateView {
            id: self.id,
            platform: self.platform,
            label: self.label,
            template: self.template,
            created_by: self.created_by,
            created_at: iso(self.created_ms),
        }
    }
}

/// Every template, by platform then label.
pub async fn list(db: &D1Database) -> ApiResult<Vec<LinkTemplateView>> {
    let sql = format!("SELECT {COLUMNS} FROM link_templates ORDER BY platform, label, id");
    let rows = db.prepare(sql).rows::<Row>().await?;
    Ok(rows.into_iter().map(Row::view).collect())
}

/// The templates that serve cases on `platform`: its own and those for
/// every platform, each side by label.
pub async fn serving(db: &D1Database, platform: &str) -> ApiResult<Vec<LinkTemplateView>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM link_templates WHERE platform IN (?1, ?2) ORDER BY label, id"
    );
    let rows = db
        .prepare(sql)
        .bind(&[text(platform), text(EVERY_PLATFORM)])?
        .rows::<Row>()
        .await?;
    Ok(rows.into_iter().map(Row::view).collect())
}

/// How many templates are kept.
pub async fn count(db: &D1Database) -> ApiResult<usize> {
    #[derive(Deserialize)]
    struct Count {
        kept: i64,
    }
    let count = db
        .prepare("SELECT COUNT(*) AS kept FROM link_templates")
        .first::<Count>(None)
        .await?;
    Ok(count.map_or(0, |c| c.kept.max(0) as usize))
}

pub async fn insert(
    db: &D1Database,
    template: &LinkTemplate,
    by: &str,
    now: EpochMillis,
) -> ApiResult<LinkTemplateView> {
    let sql = format!(
        "INSERT INTO link_templates (platform, label, template, created_by, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {COLUMNS}"
    );
    db.prepare(sql)
        .bind(&[
            text(&template.platform),
            text(&template.label),
            text(&template.template),
            text(by),
            int(now),
        ])?
        .first::<Row>(None)
        .await?
        .map(Row::view)
        .ok_or_else(|| ApiError::Internal("link template insert returned nothing".into()))
}

/// Removes template `id`; whether there was one.
pub async fn remove(db: &D1Database, id: i64) -> ApiResult<bool> {
    let result = db
        .prepare("DELETE FROM link_templates WHERE id = ?1")
        .bind(&[int(id)])?
        .run()
        .await?;
    Ok(changes(&result) == 1)
}
