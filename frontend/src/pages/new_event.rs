//! Creating an event: the organiser's organisation (created here if they have none yet),
//! then the event itself, as a draft; the control room takes over from there.

use crate::api;
use crate::components::dynamic;
use crate::components::form::{FormBanner, FormState, SelectField, SubmitButton, TextField};
use crate::components::status::{use_announcer, use_title, LoadError, Loading, SignInFirst};
use crate::format::browser_time_zone;
use crate::i18n::{tr, use_i18n};
use crate::pages::setup::{EventFields, EventInputs};
use crate::session::use_session;
use hackops_shared::organisations::{CreateOrganisationRequest, OrganisationDto};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::json;

#[component]
pub fn NewEventPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t().setup.new_event_title.to_owned());
    // The organisations this person organises for, by name.
    let mine = session.resource(i18n, |token, lang| api::manage::my_organisations(lang, token));
    let body = move || match mine.get() {
        _ if !session.is_ready() => view! { <Loading label=|t| t.checking_session /> }.into_any(),
        Some(None) => view! { <SignInFirst /> }.into_any(),
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Some(Err(error))) => {
            view! { <LoadError error retry=Callback::new(move |()| mine.refetch()) /> }.into_any()
        }
        Some(Some(Ok(orgs))) if orgs.is_empty() => {
            view! { <NewOrganisation done=Callback::new(move |()| mine.refetch()) /> }.into_any()
        }
        Some(Some(Ok(orgs))) => view! { <NewEvent orgs /> }.into_any(),
    };
    view! {
        <div class="event-hero">
            <div class="container">
                <nav class="breadcrumb" aria-label=tr(|t| t.breadcrumb)>
                    <ol>
                        <li><a href="/dashboard">{tr(|t| t.setup.dashboard_title)}</a></li>
                        <li aria-current="page">{tr(|t| t.setup.new_event_title)}</li>
                    </ol>
                </nav>
                <h1>{tr(|t| t.setup.new_event_title)}</h1>
                <p class="lead">{tr(|t| t.setup.new_event_lead)}</p>
            </div>
        </div>
        <div class="container section narrow">{dynamic(body)}</div>
    }
}

/// An organiser without an organisation names theirs first.
#[component]
fn NewOrganisation(done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = CreateOrganisationRequest {
            name: name.get_untracked(),
            website: Some(website.get_untracked()),
        };
        let valid = match request.validate() {
            Ok(valid) => valid,
            Err(issues) => return form.refuse(issues),
        };
        let body = json!({ "name": valid.name, "website": valid.website });
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::create_organisation(&body, lang, token).await }
            },
            move |_| done.run(()),
        );
    };
    view! {
        <section class="panel" aria-labelledby="org-heading">
            <h2 id="org-heading">{tr(|t| t.setup.organisation_heading)}</h2>
            <p>{tr(|t| t.setup.organisation_lead)}</p>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="organisation-form">
                <TextField form name="name" label=|t| t.setup.organisation_name
                    input_type="text" autocomplete="organization" value=name />
                <TextField form name="website" label=|t| t.setup.website_label hint=|t| t.ops.optional
                    input_type="url" autocomplete="url" value=website optional=true />
                <SubmitButton form label=|t| t.setup.organisation_submit pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}

#[component]
fn NewEvent(orgs: Vec<OrganisationDto>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let navigate = use_navigate();
    let form = FormState::new();
    let organisation = RwSignal::new(orgs[0].id.to_string());
    let fields = EventFields::new(
        String::new(),
        String::new(),
        browser_time_zone().unwrap_or_else(|| "UTC".to_owned()),
        None,
        None,
        String::new(),
        false,
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut body = match fields.body() {
            Ok(body) => body,
            Err(issues) => return form.refuse(issues),
        };
        body["organisation_id"] = json!(organisation.get_untracked());
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::create_event(&body, lang, token).await }
            },
            move |event| {
                announcer.say(i18n.texts_untracked().setup.event_created);
                navigate(&format!("/events/{}/manage/challenges", event.id), Default::default());
            },
        );
    };
    let several = orgs.len() > 1;
    view! {
        <section class="panel">
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="new-event-form">
                {several.then(|| view! {
                    <SelectField form name="organisation_id" label=|t| t.setup.organisation_name value=organisation>
                        {orgs.iter().map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> }).collect_view()}
                    </SelectField>
                })}
                <EventInputs form fields />
                <SubmitButton form label=|t| t.setup.create_event pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}
