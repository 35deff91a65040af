//! SOP upkeep: every article (published or a draft, its language, version and
//! when it last changed), the editor that saves a new version of one (a save
//! over a version someone saved meanwhile shows theirs beside yours, and
//! keeps yours), publishing for leads, and the gaps — the questions the SOPs
//! did not answer, most frequent first — each with *Write an article*,
//! prefilled (`shared::sop::authoring::draft_for_gap`).

use helpline_shared::api::{SopArticleInput, SopArticleSummary, SopArticleView, SopGap};
use helpline_shared::lifecycle::Role;
use helpline_shared::sop::authoring::{draft_for_gap, new_article};
use leptos::prelude::*;

use crate::api::Failure;
use crate::app::Desk;

/// The article in the editor: what is typed, and the version it is based on
/// (`None` for a new one).
#[derive(Clone)]
struct Editing {
    input: SopArticleInput,
    version: Option<i64>,
}

/// The article's input as stored now, to edit into its next version.
fn editable(article: &SopArticleView) -> Editing {
    Editing {
        input: SopArticleInput {
            slug: article.slug.clone(),
            title: article.title.clone(),
            body_markdown: article.body_markdown.clone(),
            tags: article.tags.clone(),
            category: article.category.clone(),
            platforms: article.platforms.clone(),
            language: article.language.clone(),
            published: false,
        },
        version: Some(article.version),
    }
}

/// A comma-separated list as typed, as its items.
fn items(typed: &str) -> Vec<String> {
    typed
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

fn line(article: &SopArticleSummary) -> String {
    let state = match article.published_version {
        Some(v) if v == article.version => "published".to_owned(),
        Some(v) => format!("draft over published v{v}"),
        None => "draft".to_owned(),
    };
    format!(
        "{} · {} · v{} · {state} · {}",
        article.title,
        article.language,
        article.version,
        article.updated_at.get(..16).unwrap_or(&article.updated_at)
    )
}

impl Desk {
    fn load_sops(self, articles: RwSignal<Vec<SopArticleSummary>>, gaps: RwSignal<Vec<SopGap>>) {
        self.with_api(move |api| async move {
            articles.set(api.sop_articles().await?.articles);
            gaps.set(api.sop_gaps().await?.gaps);
            Ok(())
        });
    }
}

#[component]
pub fn SopsPane(desk: Desk) -> impl IntoView {
    let articles = RwSignal::new(Vec::<SopArticleSummary>::new());
    let gaps = RwSignal::new(Vec::<SopGap>::new());
    let editing = RwSignal::new(None::<Editing>);
    // The version someone saved while this one was being edited.
    let newer = RwSignal::new(None::<SopArticleView>);
    desk.load_sops(articles, gaps);
    let is_lead = move || {
        desk.queue.with(|q| {
            q.as_ref()
                .is_some_and(|q| q.specialist.role != Role::Specialist)
        })
    };
    let open = move |slug: String| {
        desk.with_api(move |api| async move {
            newer.set(None);
            editing.set(Some(editable(&api.sop_article(&slug).await?)));
            Ok(())
        });
    };
    let write_new = move |input: SopArticleInput| {
        newer.set(None);
        editing.set(Some(Editing {
            input,
            version: None,
        }));
    };
    let save = move || {
        let Some(draft) = editing.get_untracked() else {
            return;
        };
        desk.with_api(move |api| async move {
            // An answer is for the article still in the editor, or for nobody:
            // what was typed meanwhile stays, only the version moves on.
            let slug = draft.input.slug.clone();
            let still_open =
                || editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.input.slug == slug));
            // The version the editor is now based on, and a colleague's
            // newer one to show beside it (or none).
            let settle = |version: i64, theirs: Option<SopArticleView>| {
                if still_open() {
                    editing.update(|e| {
                        if let Some(e) = e {
                            e.version = Some(version);
                        }
                    });
                    newer.set(theirs);
                }
            };
            match api.save_sop_article(&draft.input, draft.version).await {
                Ok(saved) => {
                    desk.status
                        .set(format!("Saved {} as version {}.", saved.slug, saved.version));
                    settle(saved.version, None);
                }
                // Theirs beside, yours kept: the next save goes over theirs.
                Err(Failure::Stale) => {
                    let theirs = api.sop_article(&draft.input.slug).await?;
                    desk.status.set(format!(
                        "{} saved version {} meanwhile: it is shown beside yours, which is not saved yet.",
                        theirs.updated_by, theirs.version
                    ));
                    settle(theirs.version, Some(theirs));
                }
                Err(other) => return Err(other),
            }
            desk.load_sops(articles, gaps);
            Ok(())
        });
    };
    let publish = move |published: bool| {
        let Some(slug) = editing.with_untracked(|e| e.as_ref().map(|e| e.input.slug.clone()))
        else {
            return;
        };
        desk.with_api(move |api| async move {
            let done = api.publish_sop_article(&slug, published).await?;
            let said = if published {
                "published"
            } else {
                "unpublished"
            };
            desk.status
                .set(format!("{} version {} is {said}.", done.slug, done.version));
            desk.load_sops(articles, gaps);
            Ok(())
        });
    };
    let list = move || {
        articles
            .get()
            .into_iter()
            .map(|article| {
                let slug = article.slug.clone();
                view! {
                    <li data-slug=article.slug.clone()>
                        <button type="button" class="link" on:click=move |_| open(slug.clone())>
                            {line(&article)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let gap_list = move || {
        gaps.get()
            .into_iter()
            .map(|gap| {
                let query = gap.query.clone();
                view! {
                    <li class="gap">
                        <span>{format!("“{}” · unanswered {} times", gap.query, gap.unanswered)}</span>
                        " "
                        <button type="button" class="write-article"
                            on:click=move |_| write_new(draft_for_gap(&query))>"Write an article"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let language = move || {
        editing.with(|e| {
            e.as_ref()
                .map(|e| e.input.language.clone())
                .unwrap_or_default()
        })
    };
    let is_new = move || editing.with(|e| e.as_ref().is_some_and(|e| e.version.is_none()));
    view! {
        <section id="sops" class="sops-pane" aria-labelledby="sops-heading">
            <div class="found-bar">
                <h2 id="sops-heading">"SOP articles"</h2>
                <button type="button" id="new-article"
                    on:click=move |_| write_new(new_article())>
                    "New article"
                </button>
            </div>
            <ul id="article-list" class="incident-list">{list}</ul>
            <h3>"Questions the SOPs did not answer"</h3>
            <p class="meta" hidden=move || !gaps.with(Vec::is_empty)>"No unanswered question in the last 30 days."</p>
            <ul id="gap-list" class="incident-list">{gap_list}</ul>
            <form id="article-editor" class="act" hidden=move || editing.with(Option::is_none)
                on:submit=move |ev| { ev.prevent_default(); save(); }>
                <ArticleField editing id="article-slug" label="Slug (its address; fixed once saved)"
                    read=|i| i.slug.clone() write=|i, v| i.slug = v fixed_once_saved=true/>
                <ArticleField editing id="article-title" label="Title"
                    read=|i| i.title.clone() write=|i, v| i.title = v/>
                <ArticleField editing id="article-body" label="Steps (Markdown)" multiline=true
                    read=|i| i.body_markdown.clone() write=|i, v| i.body_markdown = v/>
                <ArticleField editing id="article-tags" label="Tags (comma-separated)" list=true
                    read=|i| i.tags.join(", ") write=|i, v| i.tags = items(&v)/>
                <ArticleField editing id="article-category" label="Category"
                    read=|i| i.category.clone() write=|i, v| i.category = v/>
                <ArticleField editing id="article-platforms" label="Platforms (comma-separated; none for all)" list=true
                    read=|i| i.platforms.join(", ") write=|i, v| i.platforms = items(&v)/>
                <label for="article-language">"Language"</label>
                <select id="article-language"
                    on:change=move |ev| {
                        let language = event_target_value(&ev);
                        editing.update(|e| if let Some(e) = e { e.input.language = language; });
                    }>
                    <option value="en" selected=move || language() == "en">"English"</option>
                    <option value="zh-CN" selected=move || language() == "zh-CN">"简体中文"</option>
                </select>
                <button type="submit" id="save-article">"Save as a new version"</button>
                // What is published is the latest saved version: not offered
                // while a colleague's newer one waits beside the editor.
                <span hidden=move || !is_lead() || is_new() || newer.with(Option::is_some)>
                    <button type="button" id="publish-article" on:click=move |_| publish(true)>"Publish the latest saved version"</button>
                    <button type="button" id="unpublish-article" on:click=move |_| publish(false)>"Unpublish"</button>
                </span>
            </form>
            <div id="newer-version" class="context" hidden=move || newer.with(Option::is_none)>
                <h3>{move || newer.with(|n| n.as_ref().map(|n| format!("Version {} by {}", n.version, n.updated_by)).unwrap_or_default())}</h3>
                <pre>{move || newer.with(|n| n.as_ref().map(|n| n.body_markdown.clone()).unwrap_or_default())}</pre>
            </div>
        </section>
    }
}

/// One field of the article in the editor, read from and written into its
/// input by plain functions (one instance of the view code for every field).
/// A list is taken when the field is left, so a comma typed is not tidied
/// away under the cursor.
#[component]
fn ArticleField(
    editing: RwSignal<Option<Editing>>,
    id: &'static str,
    label: &'static str,
    read: fn(&SopArticleInput) -> String,
    write: fn(&mut SopArticleInput, String),
    #[prop(optional)] multiline: bool,
    #[prop(optional)] list: bool,
    #[prop(optional)] fixed_once_saved: bool,
) -> impl IntoView {
    let value = move || editing.with(|e| e.as_ref().map(|e| read(&e.input)).unwrap_or_default());
    let take = move |typed: String| {
        editing.update(|e| {
            if let Some(e) = e {
                write(&mut e.input, typed);
            }
        })
    };
    let on_input = move |ev: leptos::ev::Event| {
        if !list {
            take(event_target_value(&ev));
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        if list {
            take(event_target_value(&ev));
        }
    };
    let fixed = move || {
        fixed_once_saved && editing.with(|e| e.as_ref().is_some_and(|e| e.version.is_some()))
    };
    let control = if multiline {
        view! { <textarea id=id rows="10" prop:value=value on:input=on_input></textarea> }
            .into_any()
    } else {
        view! { <input id=id prop:value=value prop:disabled=fixed on:input=on_input on:change=on_change/> }
            .into_any()
    };
    view! {
        <label for=id>{label}</label>
        {control}
    }
}
