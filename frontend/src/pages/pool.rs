//! The open data pool: full-text search, filters and pages of dataset cards. The search lives
//! in the address (`/datasets?q=…&licence=…&page=2`), so a search is a link and Back works.

use crate::api::{self, encode};
use crate::components::dynamic;
use crate::components::form::{FormState, SelectField};
use crate::components::status::{use_announcer, use_title, LoadError, Loading};
use crate::i18n::{tr, use_i18n, Texts};
use crate::session::use_session;
use hackops_shared::datasets::{licence, DatasetDto, DatasetFacets, FacetCount, LICENCES};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

const PER_PAGE: u64 = 20;
/// The parameters a search keeps in the address, besides the page.
const FILTERS: [&str; 5] = ["q", "licence", "format", "theme", "publisher"];

/// `key=value` pairs of the filters that are set, and of the page after the first.
fn query_pairs(value: impl Fn(&str) -> Option<String>, page: u64) -> Vec<String> {
    let mut pairs: Vec<String> = FILTERS
        .iter()
        .filter_map(|key| {
            let v = value(key)?;
            let v = v.trim();
            (!v.is_empty()).then(|| format!("{key}={}", encode(v)))
        })
        .collect();
    if page > 1 {
        pairs.push(format!("page={page}"));
    }
    pairs
}

fn page_of(params: &ParamsMap) -> u64 {
    params.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).max(1)
}

/// The pool's address with these query pairs.
fn pool_href(pairs: Vec<String>) -> String {
    if pairs.is_empty() {
        "/datasets".to_owned()
    } else {
        format!("/datasets?{}", pairs.join("&"))
    }
}

/// A licence's name; the id itself for one the pool does not know.
pub fn licence_name(id: &str, t: &Texts) -> String {
    match licence(id) {
        Some(l) => l.title.to_owned(),
        None if id == hackops_shared::datasets::LICENCE_NOT_SPECIFIED => {
            t.pool.licence_not_specified.to_owned()
        }
        None => id.to_owned(),
    }
}

#[component]
pub fn PoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    use_title(move || i18n.t().pool.title.to_owned());
    let results = LocalResource::new(move || {
        let mut pairs = query.with(|p| query_pairs(|k| p.get(k), page_of(p)));
        pairs.push(format!("per_page={PER_PAGE}"));
        let lang = i18n.lang_untracked();
        async move { api::pool::search(&pairs.join("&"), lang).await }
    });
    // Screen readers hear how many datasets a search found (not the whole list again).
    let announcer = use_announcer();
    Effect::new(move |_| {
        if let Some(Ok(list)) = results.get() {
            let t = i18n.texts_untracked();
            let words =
                if list.total == 0 { t.pool.empty.to_owned() } else { (t.pool.count)(list.total) };
            announcer.say(words);
        }
    });
    // Organisers publish and import; others only browse.
    let me = session.resource(i18n, |token, lang| async move { api::auth::me(lang, &token).await });
    let organiser = move || matches!(me.get(), Some(Some(Ok(me))) if !me.organisations.is_empty());

    let body = move || match results.get() {
        None => view! { <Loading label=|t| t.pool.loading cards=3 /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| results.refetch()) /> }
                .into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => view! {
            <div class="empty-state" data-testid="pool-empty">
                <p>{tr(|t| t.pool.empty)}</p>
                <a class="btn btn-secondary" href="/datasets">{tr(|t| t.pool.clear)}</a>
            </div>
        }
        .into_any(),
        Some(Ok(list)) => {
            let total = list.total;
            view! {
                <p class="section-meta" data-testid="pool-count">{move || (i18n.t().pool.count)(total)}</p>
                <ul class="card-grid" data-testid="pool-results">
                    {list.items.into_iter().map(|d| view! { <DatasetCard dataset=d /> }).collect_view()}
                </ul>
                <Pager total />
            }
            .into_any()
        }
    };
    view! {
        <div class="event-hero">
            <div class="container page-head">
                <div>
                    <h1>{tr(|t| t.pool.title)}</h1>
                    <p class="lead">{tr(|t| t.pool.lead)}</p>
                </div>
                {dynamic(move || {
                    organiser()
                        .then(|| view! {
                            <p class="page-actions">
                                <a class="btn btn-accent" href="/datasets/new">{tr(|t| t.pool.publish)}</a>
                                <a class="btn btn-secondary" href="/datasets/harvest">{tr(|t| t.pool.harvest)}</a>
                            </p>
                        })
                        .into_any()
                })}
            </div>
        </div>
        <div class="container section pool">
            <SearchForm />
            <div class="pool-results">{dynamic(body)}</div>
        </div>
    }
}

/// The search box and the filters; a filter applies as soon as it is chosen.
#[component]
fn SearchForm() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let organisations =
        LocalResource::new(move || api::manage::organisations(i18n.lang_untracked()));
    // The formats and themes offered are the ones the pool has (with how many datasets).
    let facets = LocalResource::new(move || api::pool::facets(i18n.lang_untracked()));
    let form = FormState::new();
    let field =
        |key: &'static str| RwSignal::new(query.with_untracked(|p| p.get(key)).unwrap_or_default());
    let (q, licence, format, theme, publisher) =
        (field("q"), field("licence"), field("format"), field("theme"), field("publisher"));
    // Back and forward change the address: the form follows.
    Effect::new(move |_| {
        query.with(|p| {
            for (key, signal) in [
                ("q", q),
                ("licence", licence),
                ("format", format),
                ("theme", theme),
                ("publisher", publisher),
            ] {
                signal.set(p.get(key).unwrap_or_default());
            }
        });
    });
    let apply = move || {
        let values = [q, licence, format, theme, publisher].map(|s| s.get_untracked());
        let pairs =
            query_pairs(|k| FILTERS.iter().position(|f| *f == k).map(|i| values[i].clone()), 1);
        navigate(&pool_href(pairs), Default::default());
    };
    let submit = {
        let apply = apply.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            apply();
        }
    };
    let option = move |value: String, label: String, current: RwSignal<String>| {
        let selected = value.clone();
        view! { <option value=value selected=move || current.get() == selected>{label}</option> }
    };
    // A facet's values as options, "CSV (3)"; the value in the address stays offered even
    // when the pool no longer has it.
    let facet_options = move |pick: fn(DatasetFacets) -> Vec<FacetCount>,
                              current: RwSignal<String>| {
        move || {
            let mut counts = facets.get().and_then(Result::ok).map(pick).unwrap_or_default();
            let chosen = current.get();
            if !chosen.is_empty() && !counts.iter().any(|f| f.value.eq_ignore_ascii_case(&chosen)) {
                counts.push(FacetCount { value: chosen.clone(), label: chosen, count: 0 });
            }
            counts
                .into_iter()
                .map(|f| {
                    let label =
                        if f.count > 0 { format!("{} ({})", f.label, f.count) } else { f.label };
                    option(f.value, label, current)
                })
                .collect_view()
        }
    };
    view! {
        <form class="pool-search panel" role="search" on:submit=submit data-testid="pool-search">
            <div class="field">
                <label for="pool-q">{tr(|t| t.pool.search_label)}</label>
                <div class="search-row">
                    <input id="pool-q" name="q" type="search" autocomplete="off" bind:value=q />
                    <button type="submit" class="btn btn-primary">{tr(|t| t.pool.search_submit)}</button>
                </div>
            </div>
            <fieldset class="pool-filters" on:change=move |_| apply()>
                <legend class="visually-hidden">{tr(|t| t.pool.filters)}</legend>
                <SelectField form name="licence" label=|t| t.pool.licence_label value=licence>
                    <option value="">{tr(|t| t.pool.all_licences)}</option>
                    {LICENCES.iter().map(|l| option(l.id.to_owned(), l.title.to_owned(), licence)).collect_view()}
                </SelectField>
                <SelectField form name="format" label=|t| t.pool.format_label value=format>
                    <option value="">{tr(|t| t.pool.all_formats)}</option>
                    {facet_options(|f| f.formats, format)}
                </SelectField>
                <SelectField form name="theme" label=|t| t.pool.theme_label value=theme>
                    <option value="">{tr(|t| t.pool.all_themes)}</option>
                    {facet_options(|f| f.themes, theme)}
                </SelectField>
                <SelectField form name="publisher" label=|t| t.pool.publisher_label value=publisher>
                    <option value="">{tr(|t| t.pool.all_publishers)}</option>
                    {move || organisations.get().and_then(Result::ok).map(|list| {
                        list.items.into_iter().map(|o| option(o.slug, o.name, publisher)).collect_view()
                    })}
                </SelectField>
            </fieldset>
        </form>
    }
}

/// One dataset in the results: the whole card links to its page.
#[component]
fn DatasetCard(dataset: DatasetDto) -> impl IntoView {
    let i18n = use_i18n();
    let mut formats: Vec<String> = Vec::new();
    for r in &dataset.resources {
        if !r.format.is_empty() && !formats.contains(&r.format) {
            formats.push(r.format.clone());
        }
    }
    let licence_id = dataset.licence_id.clone();
    view! {
        <li class="event-card dataset-card" data-testid="dataset-card">
            <article>
                <h3 class="event-card-title">
                    <a href=format!("/datasets/{}", dataset.name) class="stretched-link">{dataset.title.clone()}</a>
                </h3>
                <p class="event-card-org">
                    <span class="visually-hidden">{tr(|t| t.pool.published_by)} " "</span>
                    {dataset.publisher.name.clone()}
                </p>
                <ul class="event-card-meta">
                    <li>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <circle cx="12" cy="12" r="9" />
                            <path d="M14.5 9.5a3.5 3.5 0 1 0 0 5" />
                        </svg>
                        <span class="visually-hidden">{tr(|t| t.pool.licence_label)} {tr(|t| t.colon)}</span>
                        <span>{move || licence_name(&licence_id, i18n.t())}</span>
                    </li>
                    {(!formats.is_empty()).then(|| view! {
                        <li>
                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d="M6 3h8l4 4v14H6z" />
                                <path d="M14 3v4h4" />
                            </svg>
                            <span class="visually-hidden">{tr(|t| t.pool.formats)} {tr(|t| t.colon)}</span>
                            <Tags items=formats class="format" />
                        </li>
                    })}
                    {(!dataset.keywords.is_empty()).then(|| view! {
                        <li>
                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d="M3 12V4h8l10 10-8 8z" />
                                <circle cx="7.5" cy="8.5" r="1.5" />
                            </svg>
                            <span class="visually-hidden">{tr(|t| t.pool.keywords_label)} {tr(|t| t.colon)}</span>
                            <Tags items=dataset.keywords.clone() class="keyword" />
                        </li>
                    })}
                </ul>
            </article>
        </li>
    }
}

/// A list of short labels (formats, keywords, themes).
#[component]
pub fn Tags(items: Vec<String>, class: &'static str) -> impl IntoView {
    view! {
        <ul class="tag-list">
            {items.into_iter().map(|item| view! { <li class=class>{item}</li> }).collect_view()}
        </ul>
    }
}

/// The way back to the pool, above the heading of one of its pages.
#[component]
pub fn PoolBreadcrumb(children: Children) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label=tr(|t| t.breadcrumb)>
            <ol>
                <li><a href="/datasets">{tr(|t| t.pool.title)}</a></li>
                <li aria-current="page">{children()}</li>
            </ol>
        </nav>
    }
}

/// Previous and next pages of the results.
#[component]
fn Pager(total: u64) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let pages = total.div_ceil(PER_PAGE).max(1);
    move || {
        let page = query.with(page_of).min(pages);
        (pages > 1).then(|| {
            let link = move |to: u64, label: fn(&Texts) -> &'static str, rel: &'static str| {
                view! { <a class="btn btn-secondary btn-small" rel=rel href=query.with(|p| pool_href(query_pairs(|k| p.get(k), to)))>{tr(label)}</a> }
            };
            view! {
                <nav class="pager" aria-label=tr(|t| t.pool.pages)>
                    {(page > 1).then(|| link(page - 1, |t| t.pool.previous, "prev"))}
                    <span aria-current="page">{move || (i18n.t().pool.page_of)(page, pages)}</span>
                    {(page < pages).then(|| link(page + 1, |t| t.pool.next, "next"))}
                </nav>
            }
        })
    }
}
