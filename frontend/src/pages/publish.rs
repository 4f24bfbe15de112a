//! What organisers add to the pool: a new dataset, and the datasets of another portal's
//! catalogue (a harvest, with its report).

use crate::api;
use crate::components::dynamic;
use crate::components::form::{FormBanner, FormState, SelectField, SubmitButton, TextField};
use crate::components::status::{use_announcer, use_title, LoadError, Loading, SignInFirst};
use crate::i18n::{tr, use_i18n, Texts};
use crate::pages::pool::PoolBreadcrumb;
use crate::session::use_session;
use hackops_shared::datasets::{
    DatasetRequest, HarvestFormat, HarvestItem, HarvestOutcome, HarvestReport, LICENCES,
};
use hackops_shared::organisations::OrganisationDto;
use hackops_shared::validation::{self, Issues};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::json;

type Words = fn(&Texts) -> &'static str;

/// The frame of an organisers' page: its heading, then `form` once the organisations the
/// signed-in person organises for are known (or why there is no form).
#[component]
fn OrganiserPage(
    title: Words,
    lead: Words,
    form: fn(Vec<OrganisationDto>) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || title(i18n.t()).to_owned());
    let mine = session.resource(i18n, |token, lang| api::manage::my_organisations(lang, token));
    let body = move || match mine.get() {
        _ if !session.is_ready() => view! { <Loading label=|t| t.checking_session /> }.into_any(),
        Some(None) => view! { <SignInFirst text=|t| t.pool.sign_in_first /> }.into_any(),
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Some(Err(error))) => {
            view! { <LoadError error retry=Callback::new(move |()| mine.refetch()) /> }.into_any()
        }
        Some(Some(Ok(orgs))) if orgs.is_empty() => view! {
            <div class="empty-state">
                <p>{tr(|t| t.pool.not_organiser)}</p>
                <a class="btn btn-primary" href="/events/new">{tr(|t| t.setup.create_event)}</a>
            </div>
        }
        .into_any(),
        Some(Some(Ok(orgs))) => form(orgs),
    };
    view! {
        <div class="event-hero">
            <div class="container">
                <PoolBreadcrumb>{tr(title)}</PoolBreadcrumb>
                <h1>{tr(title)}</h1>
                <p class="lead">{tr(lead)}</p>
            </div>
        </div>
        <div class="container section narrow">{dynamic(body)}</div>
    }
}

#[component]
pub fn NewDatasetPage() -> impl IntoView {
    view! {
        <OrganiserPage
            title=|t| t.pool.publish
            lead=|t| t.pool.new_lead
            form=|orgs| view! { <NewDataset orgs /> }.into_any()
        />
    }
}

#[component]
pub fn HarvestPage() -> impl IntoView {
    view! {
        <OrganiserPage
            title=|t| t.pool.harvest
            lead=|t| t.pool.harvest_lead
            form=|orgs| view! { <Harvest orgs /> }.into_any()
        />
    }
}

/// The organisation select, when there is a choice: `value` picks by `key`.
fn organisation_select(
    form: FormState,
    name: &'static str,
    orgs: &[OrganisationDto],
    value: RwSignal<String>,
    key: fn(&OrganisationDto) -> String,
) -> Option<impl IntoView> {
    let options: Vec<(String, String)> = orgs.iter().map(|o| (key(o), o.name.clone())).collect();
    (options.len() > 1).then(|| {
        view! {
            <SelectField form name label=|t| t.setup.organisation_name value>
                {options.into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
            </SelectField>
        }
    })
}

/// "a, b, c" → ["a", "b", "c"].
fn list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

#[component]
fn NewDataset(orgs: Vec<OrganisationDto>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let navigate = use_navigate();
    let form = FormState::new();
    let text = || RwSignal::new(String::new());
    let organisation = RwSignal::new(orgs[0].id.to_string());
    let (title, description, keywords, themes) = (text(), text(), text(), text());
    let (spatial, frequency, contact) = (text(), text(), text());
    let (temporal_start, temporal_end) = (text(), text());
    let licence = RwSignal::new(LICENCES[0].id.to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = DatasetRequest {
            organisation_id: None,
            title: title.get_untracked(),
            description: description.get_untracked(),
            licence_id: licence.get_untracked(),
            keywords: list(&keywords.get_untracked()),
            themes: list(&themes.get_untracked()),
            spatial: Some(spatial.get_untracked()),
            frequency: Some(frequency.get_untracked()),
            contact_email: Some(contact.get_untracked()),
            temporal_start: Some(temporal_start.get_untracked()),
            temporal_end: Some(temporal_end.get_untracked()),
        };
        let valid = match request.validate() {
            Ok(valid) => valid,
            Err(issues) => return form.refuse(issues),
        };
        let body = json!({
            "organisation_id": organisation.get_untracked(),
            "title": valid.title,
            "description": valid.description,
            "licence_id": valid.licence_id,
            "keywords": valid.keywords,
            "themes": valid.themes,
            "spatial": valid.spatial,
            "frequency": valid.frequency,
            "contact_email": valid.contact_email,
            "temporal_start": valid.temporal_start.map(|d| d.to_string()),
            "temporal_end": valid.temporal_end.map(|d| d.to_string()),
        });
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::pool::create(&body, lang, token).await }
            },
            move |dataset| {
                announcer.say(i18n.texts_untracked().pool.published);
                navigate(&format!("/datasets/{}", dataset.name), Default::default());
            },
        );
    };
    let org_select =
        organisation_select(form, "organisation_id", &orgs, organisation, |o| o.id.to_string());
    view! {
        <section class="panel">
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="new-dataset-form">
                {org_select}
                <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=title />
                <TextField form name="description" label=|t| t.setup.description_label hint=|t| t.ops.body_hint
                    input_type="text" autocomplete="off" value=description optional=true rows=8 />
                <SelectField form name="licence_id" label=|t| t.pool.licence_label value=licence>
                    {LICENCES.iter().map(|l| view! { <option value=l.id>{l.title}</option> }).collect_view()}
                </SelectField>
                <div class="field-row">
                    <TextField form name="keywords" label=|t| t.pool.keywords_label hint=|t| t.pool.keywords_hint
                        input_type="text" autocomplete="off" value=keywords optional=true />
                    <TextField form name="themes" label=|t| t.pool.themes_label hint=|t| t.pool.keywords_hint
                        input_type="text" autocomplete="off" value=themes optional=true />
                </div>
                <div class="field-row">
                    <TextField form name="spatial" label=|t| t.pool.spatial_label hint=|t| t.pool.spatial_hint
                        input_type="text" autocomplete="off" value=spatial optional=true />
                    <SelectField form name="frequency" label=|t| t.pool.frequency_label value=frequency>
                        {i18n.texts_untracked().pool.frequencies.iter().enumerate().map(|(i, (value, _))| view! {
                            <option value=*value>{move || i18n.t().pool.frequencies[i].1}</option>
                        }).collect_view()}
                    </SelectField>
                </div>
                <div class="field-row">
                    <TextField form name="temporal_start" label=|t| t.pool.temporal_start_label hint=|t| t.ops.optional
                        input_type="date" autocomplete="off" value=temporal_start optional=true />
                    <TextField form name="temporal_end" label=|t| t.pool.temporal_end_label hint=|t| t.ops.optional
                        input_type="date" autocomplete="off" value=temporal_end optional=true />
                </div>
                <TextField form name="contact_email" label=|t| t.pool.contact_label hint=|t| t.ops.optional
                    input_type="email" autocomplete="email" value=contact optional=true />
                <SubmitButton form label=|t| t.pool.publish_submit pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}

#[component]
fn Harvest(orgs: Vec<OrganisationDto>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = FormState::new();
    let organisation = RwSignal::new(orgs[0].slug.clone());
    let url = RwSignal::new(String::new());
    let format = RwSignal::new(HarvestFormat::Auto.as_str().to_owned());
    let report = RwSignal::new(None::<HarvestReport>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut issues = Issues::default();
        let Some(source) = issues.check("url", validation::web_url(&url.get_untracked())) else {
            return form.refuse(issues);
        };
        report.set(None);
        let body = json!({
            "organisation": organisation.get_untracked(),
            "url": source,
            "format": format.get_untracked(),
        });
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::pool::harvest(&body, lang, token).await }
            },
            move |answer| report.set(Some(answer)),
        );
    };
    let org_select =
        organisation_select(form, "organisation", &orgs, organisation, |o| o.slug.clone());
    view! {
        <section class="panel">
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="harvest-form">
                {org_select}
                <TextField form name="url" label=|t| t.pool.portal_label hint=|t| t.pool.portal_hint
                    input_type="url" autocomplete="url" value=url />
                <SelectField form name="format" label=|t| t.pool.format_label value=format>
                    {HarvestFormat::ALL.iter().enumerate().map(|(i, f)| view! {
                        <option value=f.as_str()>{move || i18n.t().pool.harvest_formats[i]}</option>
                    }).collect_view()}
                </SelectField>
                <SubmitButton form label=|t| t.pool.harvest_submit pending_label=|t| t.pool.harvesting />
            </form>
        </section>
        {move || report.get().map(|report| view! { <Report report /> })}
    }
}

#[component]
fn Report(report: HarvestReport) -> impl IntoView {
    let i18n = use_i18n();
    let HarvestReport { source, created, updated, skipped, items, .. } = report;
    let count = |label: Words, n: u64| {
        view! {
            <div>
                <dt>{tr(label)}</dt>
                <dd>{n}</dd>
            </div>
        }
    };
    view! {
        <section class="section" aria-labelledby="report-heading" data-testid="harvest-report">
            <h2 id="report-heading">{tr(|t| t.pool.report_heading)}</h2>
            <p class="muted report-source">{move || (i18n.t().pool.report_source)(&source)}</p>
            <dl class="stats">
                {count(|t| t.pool.created, created)}
                {count(|t| t.pool.updated, updated)}
                {count(|t| t.pool.skipped, skipped)}
            </dl>
            {if items.is_empty() {
                view! { <p class="empty-state">{tr(|t| t.pool.report_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="setup-list report-items">
                        {items.into_iter().map(|item| view! { <ReportItem item /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn ReportItem(item: HarvestItem) -> impl IntoView {
    let HarvestItem { source_id, title, outcome, name, reason, warnings } = item;
    let (label, class): (Words, &str) = match outcome {
        HarvestOutcome::Created => (|t| t.pool.outcomes[0], "status status-confirmed"),
        HarvestOutcome::Updated => (|t| t.pool.outcomes[1], "status"),
        HarvestOutcome::Skipped => (|t| t.pool.outcomes[2], "status status-rejected"),
    };
    let heading = title.or(source_id).unwrap_or_default();
    view! {
        <li>
            <div>
                <p class="setup-item-title">
                    {match name {
                        Some(name) => view! { <a href=format!("/datasets/{name}")>{heading}</a> }.into_any(),
                        None => view! { <span>{heading}</span> }.into_any(),
                    }}
                    " "
                    <span class=class>{tr(label)}</span>
                </p>
                {reason.map(|reason| view! { <p class="muted">{reason}</p> })}
                {(!warnings.is_empty()).then(|| view! {
                    <p class="report-warnings-title">{tr(|t| t.pool.warnings)}</p>
                    <ul class="report-warnings">
                        {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        </li>
    }
}
