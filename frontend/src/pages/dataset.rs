//! A dataset's page: its description and metadata, its files and links, the standard
//! documents describing it; for the publisher's organisers, the upload (with its progress)
//! and remote-link forms.

use crate::api::{self, encode};
use crate::components::dynamic;
use crate::components::form::{FormBanner, FormState, SubmitButton, TextField};
use crate::components::rich_text::RichText;
use crate::components::status::{use_announcer, use_title, LoadError, Loading};
use crate::format::{browser_time_zone, date_range, Detail};
use crate::i18n::{tr, use_i18n, Texts};
use crate::pages::not_found::NotFound;
use crate::pages::pool::{licence_name, PoolBreadcrumb, Tags};
use crate::session::use_session;
use hackops_shared::datasets::{licence, DatasetDto, ResourceDto};
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::validation::{self, Issues};
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;
use time::{Date, OffsetDateTime};

#[component]
pub fn DatasetPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let dataset = LocalResource::new(move || {
        let name = name.get();
        let lang = i18n.lang_untracked();
        async move { api::pool::dataset(&name, lang).await }
    });
    let me = session.resource(i18n, |token, lang| async move { api::auth::me(lang, &token).await });
    use_title(move || match dataset.get() {
        Some(Ok(d)) => d.title,
        Some(Err(e)) if e.is(ErrorCode::NotFound) => i18n.t().pool.not_found_title.to_owned(),
        _ => i18n.t().loading.to_owned(),
    });
    dynamic(move || match dataset.get() {
        Some(Ok(d)) => {
            let publisher = d.publisher.id;
            let publishes = Signal::derive(
                move || matches!(me.get(), Some(Some(Ok(me))) if me.organisations.contains(&publisher)),
            );
            view! { <DatasetView dataset=d publishes /> }.into_any()
        }
        Some(Err(error)) if error.is(ErrorCode::NotFound) => view! {
            <NotFound title=|t| t.pool.not_found_title text=|t| t.pool.not_found_text />
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="container section">
                <LoadError error retry=Callback::new(move |()| dataset.refetch()) />
            </div>
        }
        .into_any(),
        None => view! {
            <div class="container section">
                <Loading label=|t| t.pool.dataset_loading />
            </div>
        }
        .into_any(),
    })
}

/// A date in the reader's language and time zone.
fn day(at: OffsetDateTime, t: &Texts) -> String {
    let zone = browser_time_zone().unwrap_or_else(|| "UTC".to_owned());
    date_range(at, at, t.locale, &zone, Detail::Days)
}

/// A dataset's temporal coverage: "1–31 January 2024", "from 1 January 2020", "until …".
fn period(start: Option<Date>, end: Option<Date>, t: &Texts) -> String {
    let at = |d: Date| d.midnight().assume_utc();
    let days = |a: Date, b: Date| date_range(at(a), at(b), t.locale, "UTC", Detail::Days);
    match (start, end) {
        (Some(a), Some(b)) => days(a, b),
        (Some(a), None) => format!("{} {}", t.pool.temporal_from, days(a, a)),
        (None, Some(b)) => format!("{} {}", t.pool.temporal_until, days(b, b)),
        (None, None) => String::new(),
    }
}

/// The words of a frequency the form offers; the stored value for others.
fn frequency_words(value: &str, t: &Texts) -> String {
    t.pool
        .frequencies
        .iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, words)| (*words).to_owned())
}

#[component]
fn DatasetView(dataset: DatasetDto, publishes: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let DatasetDto {
        name,
        title,
        description,
        publisher,
        licence_id,
        keywords,
        themes,
        spatial,
        frequency,
        contact_email,
        temporal_start,
        temporal_end,
        resources,
        created_at,
        modified_at,
        ..
    } = dataset;
    let resources = RwSignal::new(resources);
    let crumb = title.clone();
    let licence_url = licence(&licence_id).map(|l| l.url);
    let fact = |label: fn(&Texts) -> &'static str, value: AnyView| {
        view! {
            <div>
                <dt>{tr(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let licence_view = {
        let words = move || licence_name(&licence_id, i18n.t());
        match licence_url {
            Some(url) => view! { <a href=url rel="license">{words}</a> }.into_any(),
            None => view! { <span>{words}</span> }.into_any(),
        }
    };
    let standards = [
        ("DCAT-AP (JSON-LD)", format!("/dataset/{}.jsonld", encode(&name))),
        ("Frictionless Data Package", format!("/dataset/{}/datapackage.json", encode(&name))),
        ("CKAN package_show", format!("/api/3/action/package_show?id={}", encode(&name))),
    ];
    let resource_list = dynamic(move || {
        let items = resources.get();
        if items.is_empty() {
            view! { <p class="empty-state">{tr(|t| t.pool.no_resources)}</p> }.into_any()
        } else {
            view! {
                <ul class="resource-list" data-testid="resource-list">
                    {items.into_iter().map(|r| view! { <ResourceItem resource=r publishes /> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    });
    let tools = {
        let name = name.clone();
        dynamic(move || {
            let name = name.clone();
            publishes
                .get()
                .then(move || {
                    view! {
                        <UploadForm name=name.clone() resources />
                        <LinkForm name resources />
                    }
                })
                .into_any()
        })
    };
    view! {
        <div class="event-hero">
            <div class="container">
                <PoolBreadcrumb>{crumb}</PoolBreadcrumb>
                <p class="event-org">
                    <span>{tr(|t| t.pool.published_by)}</span>
                    " "
                    <strong>{publisher.name.clone()}</strong>
                </p>
                <h1>{title}</h1>
            </div>
        </div>
        <div class="container event-layout">
            <dl class="facts panel" data-testid="dataset-facts">
                {fact(|t| t.pool.licence_label, licence_view)}
                {fact(|t| t.pool.publisher_label, view! {
                    <a href=format!("/datasets?publisher={}", encode(&publisher.slug))>{publisher.name}</a>
                }.into_any())}
                {(!keywords.is_empty()).then(|| fact(|t| t.pool.keywords_label, view! { <Tags items=keywords class="keyword" /> }.into_any()))}
                {(!themes.is_empty()).then(|| fact(|t| t.pool.themes_label, view! { <Tags items=themes class="keyword" /> }.into_any()))}
                {spatial.map(|s| fact(|t| t.pool.spatial_label, view! { <span>{s}</span> }.into_any()))}
                {frequency.map(|f| fact(|t| t.pool.frequency_label, view! { <span>{move || frequency_words(&f, i18n.t())}</span> }.into_any()))}
                {(temporal_start.is_some() || temporal_end.is_some()).then(|| fact(|t| t.pool.temporal_label, view! {
                    <span data-testid="dataset-temporal">{move || period(temporal_start, temporal_end, i18n.t())}</span>
                }.into_any()))}
                {fact(|t| t.pool.created_label, view! { <span>{move || day(created_at, i18n.t())}</span> }.into_any())}
                {fact(|t| t.pool.modified_label, view! { <span>{move || day(modified_at, i18n.t())}</span> }.into_any())}
                {contact_email.map(|email| fact(|t| t.pool.contact_label, view! {
                    <a href=format!("mailto:{email}")>{email.clone()}</a>
                }.into_any()))}
            </dl>
            <div class="event-main">
                <section aria-labelledby="about-heading">
                    <h2 id="about-heading">{tr(|t| t.pool.about)}</h2>
                    {if description.trim().is_empty() {
                        view! { <p class="muted">{tr(|t| t.pool.no_description)}</p> }.into_any()
                    } else {
                        view! { <div class="rich-text"><RichText source=description /></div> }.into_any()
                    }}
                </section>
                <section aria-labelledby="resources-heading">
                    <h2 id="resources-heading">{tr(|t| t.pool.resources_heading)}</h2>
                    {resource_list}
                </section>
                {tools}
                <section class="panel panel-accent" aria-labelledby="machines-heading">
                    <h2 id="machines-heading">{tr(|t| t.pool.machines_heading)}</h2>
                    <p>{tr(|t| t.pool.machines_lead)}</p>
                    <ul class="standard-links">
                        {standards.into_iter().map(|(label, href)| view! {
                            <li><a href=href rel="external">{label}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            </div>
        </div>
    }
}

#[component]
fn ResourceItem(resource: ResourceDto, publishes: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let tabular = resource.schema.is_some();
    let ResourceDto { id, title, format, size, sha256, url, remote, .. } = resource;
    // Our own files through this origin's path (the DTO's URL names the public address).
    let href = if remote { url } else { format!("/api/v1/resources/{id}/download") };
    view! {
        <li class="resource" data-testid="resource">
            <div class="resource-main">
                <h3>{title}</h3>
                <p class="resource-meta">
                    {(!format.is_empty()).then(|| view! { <span class="format">{format}</span> })}
                    {size.map(|n| view! { <span data-testid="resource-size">{move || (i18n.t().pool.size)(n)}</span> })}
                    {remote.then(|| view! { <span>{tr(|t| t.pool.remote)}</span> })}
                </p>
                {sha256.map(|hash| view! {
                    <p class="resource-hash"><abbr>"SHA-256"</abbr> " " <code>{hash}</code></p>
                })}
                {tabular.then(|| view! { <Preview id publishes /> })}
            </div>
            <a class="btn btn-secondary btn-small" href=href rel="external">
                {tr(if remote { |t: &Texts| t.pool.open_link } else { |t: &Texts| t.pool.download })}
            </a>
        </li>
    }
}

/// Uploads a file with a real progress bar: the bytes go out through an `XMLHttpRequest`
/// whose upload events move the `<progress>` element.
#[component]
fn UploadForm(name: String, resources: RwSignal<Vec<ResourceDto>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let title = RwSignal::new(String::new());
    let file_input = NodeRef::<Input>::new();
    let percent = RwSignal::new(None::<u32>);
    let name = StoredValue::new(name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let file =
            file_input.get_untracked().and_then(|input| input.files()).and_then(|f| f.get(0));
        let mut issues = Issues::default();
        let checked = issues.check("title", validation::text(&title.get_untracked(), 1, 300));
        if file.is_none() {
            issues.push("file", FieldCode::Required);
        }
        let (Some(file), Some(resource_title), true) = (file, checked, issues.is_empty()) else {
            return form.refuse(issues);
        };
        percent.set(Some(0));
        let lang = i18n.lang_untracked();
        let name = name.get_value();
        leptos::task::spawn_local(async move {
            let call = |token: String| {
                let progress = move |sent: f64, all: f64| {
                    let now = if all > 0.0 { (sent / all * 100.0).floor() as u32 } else { 0 };
                    if percent.get_untracked() != Some(now.min(100)) {
                        percent.set(Some(now.min(100)));
                    }
                };
                api::pool::upload(&name, &resource_title, &file, progress, lang, token)
            };
            match session.authorized(call).await {
                Ok(resource) => {
                    percent.set(Some(100));
                    form.done();
                    resources.update(|list| list.push(resource));
                    title.set(String::new());
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    announcer.say(i18n.texts_untracked().pool.uploaded);
                }
                Err(error) => {
                    percent.set(None);
                    form.fail(error);
                }
            }
        });
    };
    let file_error = move || form.error("file");
    view! {
        <section class="panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{tr(|t| t.pool.upload_heading)}</h2>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="upload-form">
                <div class="field" class:field-invalid=move || file_error().is_some()>
                    <label for="field-file">{tr(|t| t.pool.file_label)}</label>
                    <p class="field-hint" id="field-file-hint">{tr(|t| t.pool.file_hint)}</p>
                    {move || file_error().map(|code| view! {
                        <p class="field-error" id="field-file-error">{code.message(i18n.lang())}</p>
                    })}
                    <input
                        id="field-file"
                        name="file"
                        type="file"
                        required=true
                        node_ref=file_input
                        aria-invalid=move || file_error().map(|_| "true")
                        aria-describedby=move || if file_error().is_some() { "field-file-error field-file-hint" } else { "field-file-hint" }
                        on:change=move |_| form.clear_field("file")
                    />
                </div>
                <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=title />
                {move || percent.get().map(|n| view! {
                    <div class="upload-progress" data-testid="upload-progress">
                        <label for="upload-progress">{tr(|t| t.pool.upload_progress)}</label>
                        <progress id="upload-progress" max="100" value=n.to_string()></progress>
                        <span role="status" aria-live="polite">{move || (i18n.t().pool.percent)(n)}</span>
                    </div>
                })}
                <SubmitButton form label=|t| t.pool.upload_submit pending_label=|t| t.pool.uploading />
            </form>
        </section>
    }
}

/// Adds a resource that stays on another server.
#[component]
fn LinkForm(name: String, resources: RwSignal<Vec<ResourceDto>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    // Beside the upload form: ids of its own.
    let form = FormState::prefixed("link-");
    let (title, url, format) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let name = StoredValue::new(name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut issues = Issues::default();
        let checked_title = issues.check("title", validation::text(&title.get_untracked(), 1, 300));
        let checked_url = issues.check("url", validation::web_url(&url.get_untracked()));
        let (Some(t), Some(u), true) = (checked_title, checked_url, issues.is_empty()) else {
            return form.refuse(issues);
        };
        let f = format.get_untracked().trim().to_owned();
        let body = json!({ "title": t, "url": u, "format": (!f.is_empty()).then_some(f) });
        let lang = i18n.lang_untracked();
        let name = name.get_value();
        form.send(
            session,
            move |token| {
                let (body, name) = (body.clone(), name.clone());
                async move { api::pool::add_link(&name, &body, lang, token).await }
            },
            move |resource| {
                resources.update(|list| list.push(resource));
                for field in [title, url, format] {
                    field.set(String::new());
                }
                announcer.say(i18n.texts_untracked().pool.link_added);
            },
        );
    };
    view! {
        <section class="panel" aria-labelledby="link-heading">
            <h2 id="link-heading">{tr(|t| t.pool.link_heading)}</h2>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="link-form">
                <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=title />
                <TextField form name="url" label=|t| t.pool.url_label input_type="url" autocomplete="url" value=url />
                <TextField form name="format" label=|t| t.pool.format_label hint=|t| t.pool.format_hint
                    input_type="text" autocomplete="off" value=format optional=true />
                <SubmitButton form label=|t| t.pool.link_submit pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}

/// A CSV's first rows and its columns' types, loaded when the reader opens it; publishers
/// correct the inferred types.
#[component]
fn Preview(id: uuid::Uuid, publishes: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let opened = RwSignal::new(false);
    let preview = LocalResource::new(move || {
        let opened = opened.get();
        let lang = i18n.lang_untracked();
        async move {
            if !opened {
                return None;
            }
            Some(api::pool::preview(id, lang).await)
        }
    });
    let body = move || match preview.get() {
        None | Some(None) => ().into_any(),
        Some(Some(Err(error))) => {
            view! { <LoadError error retry=Callback::new(move |()| preview.refetch()) /> }
                .into_any()
        }
        Some(Some(Ok(p))) => {
            let schema = p.schema.clone();
            view! {
                {(!p.warnings.is_empty()).then(|| view! { <p class="muted">{tr(|t| t.pool.preview_warning)}</p> })}
                <div class="table-wrap">
                    <table class="data-table preview-table" data-testid="preview-table">
                        <thead>
                            <tr>{p.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {p.rows.into_iter().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {schema.map(|schema| view! { <SchemaEditor id schema publishes /> })}
            }
            .into_any()
        }
    };
    view! {
        <details class="preview" on:toggle=move |_| opened.set(true)>
            <summary>{tr(|t| t.pool.preview_summary)}</summary>
            {dynamic(body)}
        </details>
    }
}

/// The inferred Table Schema, column by column; its publishers change the types.
#[component]
fn SchemaEditor(
    id: uuid::Uuid,
    schema: hackops_shared::datasets::TableSchema,
    publishes: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let types: Vec<RwSignal<String>> =
        schema.fields.iter().map(|f| RwSignal::new(f.field_type.clone())).collect();
    let fields = schema.fields.clone();
    let chosen = types.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut edited = schema.clone();
        for (field, ty) in edited.fields.iter_mut().zip(&chosen) {
            let ty = ty.get_untracked();
            if ty != field.field_type {
                // A pattern or a decimal mark made for the old type may not suit the new one.
                field.format = None;
                field.decimal_char = None;
                field.group_char = None;
            }
            field.field_type = ty;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let edited = edited.clone();
                async move { api::pool::save_schema(id, &edited, lang, token).await }
            },
            move |_| announcer.say(i18n.texts_untracked().setup.saved),
        );
    };
    view! {
        <form class="form schema-form" novalidate=true on:submit=save data-testid="schema-form">
            <h4>{tr(|t| t.pool.columns_heading)}</h4>
            <FormBanner form />
            <ul class="schema-fields">
                {fields
                    .into_iter()
                    .zip(types)
                    .enumerate()
                    .map(|(i, (field, ty))| {
                        let select_id = format!("schema-{id}-{i}");
                        view! {
                            <li>
                                <label for=select_id.clone()><code>{field.name.clone()}</code></label>
                                <select id=select_id bind:value=ty disabled=move || !publishes.get()>
                                    {hackops_shared::datasets::FIELD_TYPES
                                        .iter()
                                        .map(|t| view! { <option value=*t>{move || type_label(i18n.t(), t)}</option> })
                                        .collect_view()}
                                </select>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {move || publishes.get().then(|| view! {
                <SubmitButton form label=|t| t.pool.save_columns pending_label=|t| t.ops.sending />
            })}
        </form>
    }
}

/// A Table Schema type in the reader's words (the rare ones keep their standard name).
fn type_label(t: &Texts, ty: &'static str) -> &'static str {
    t.pool.field_types.iter().find(|(k, _)| *k == ty).map_or(ty, |(_, words)| words)
}
