//! The demo's seed library: the SOP articles in `shared/sop-seed/articles.json`,
//! published, as SQL for the local D1. Bodies are rendered by the same
//! `helpline_shared::markdown::render` the Worker uses, so seeded and edited
//! articles look alike. Idempotent: an article already there is left as it is.

use helpline_shared::clock::EpochMillis;
use helpline_shared::markdown;
use helpline_shared::sop::SopArticle;

use crate::cmd::Result;
use crate::local_worker::sql_text;
use crate::paths;

/// The seed articles.
pub fn articles() -> Result<Vec<SopArticle>> {
    let file = paths::root()
        .join("shared")
        .join("sop-seed")
        .join("articles.json");
    let json = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    serde_json::from_str(&json).map_err(|e| format!("{}: {e}", file.display()))
}

fn json_list(items: &[String]) -> String {
    sql_text(&serde_json::to_string(items).unwrap_or_else(|_| "[]".into()))
}

/// SQL that adds each article, published, at version 1 with its history row.
pub fn articles_sql(articles: &[SopArticle], now: EpochMillis) -> String {
    let mut sql = String::new();
    for a in articles {
        let slug = sql_text(&a.slug);
        // The columns both tables share, after the slug.
        let content = format!(
            "{}, {}, {}, {}, {}, {}, {}",
            sql_text(&a.title),
            sql_text(&a.body_markdown),
            sql_text(&markdown::render(&a.body_markdown)),
            json_list(&a.tags),
            sql_text(&a.category),
            json_list(&a.platforms),
            sql_text(&a.language),
        );
        sql.push_str(&format!(
            "INSERT OR IGNORE INTO sop_articles (slug, title, body_markdown, body_html, tags, category, platforms, language, version, published, published_version, published_ms, updated_by, updated_ms, created_ms)\n  VALUES ({slug}, {content}, 1, 1, 1, {now}, 'Helpline seed', {now}, {now});\n\
             INSERT OR IGNORE INTO sop_article_versions (slug, version, title, body_markdown, body_html, tags, category, platforms, language, updated_by, updated_ms)\n  VALUES ({slug}, 1, {content}, 'Helpline seed', {now});\n",
        ));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_library_is_large_and_bilingual() {
        let articles = articles().unwrap();
        assert!(articles.len() >= 40, "{}", articles.len());
        assert!(
            articles
                .iter()
                .filter(|a| a.language.starts_with("zh"))
                .count()
                >= 5
        );
        let mut slugs: Vec<_> = articles.iter().map(|a| &a.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), articles.len(), "slugs are unique");
    }

    #[test]
    fn seed_sql_quotes_text_and_renders_bodies() {
        let sql = articles_sql(
            &[SopArticle {
                slug: "o-brien".into(),
                title: "O'Brien's <guide>".into(),
                body_markdown: "1. Step".into(),
                tags: vec![],
                category: "access".into(),
                platforms: vec![],
                language: "en".into(),
            }],
            7,
        );
        assert!(sql.contains("'O''Brien''s <guide>'"));
        assert!(sql.contains("<ol>"));
        assert_eq!(sql.matches("INSERT OR IGNORE").count(), 2);
    }
}
