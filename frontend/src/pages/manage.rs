//! The organisers' control room: live counts, phase control, announcements, CSV exports.

use crate::api::{self, ApiError};
use crate::components::form::{CheckField, FormBanner, FormState, SubmitButton};
use crate::components::phase_badge::PhaseBadge;
use crate::components::status::{use_announcer, use_title, LoadError, Loading};
use crate::components::{download, dynamic, focus_later};
use crate::i18n::{tr, use_i18n, Texts};
use crate::pages::event_ops::{News, Ops};
use crate::pages::handout::DatasetsSetup;
use crate::pages::not_found::NotFound;
use crate::pages::setup::{
    AgendaSetup, ChallengesSetup, EventSetup, RegistrationsSetup, ScheduleSetup,
};
use crate::realtime::use_topic;
use crate::session::use_session;
use hackops_shared::announcements::{Audience, CreateAnnouncementRequest};
use hackops_shared::error::ErrorCode;
use hackops_shared::events::{ChallengeList, EventDto};
use hackops_shared::registrations::EventStats;
use hackops_shared::ws::Topic;
use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};

/// Picks a text of the interface.
type Pick = fn(&Texts) -> &'static str;

#[component]
pub fn ManagePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let section = Memo::new(move |_| Section::parse(params.read().get("section").as_deref()));
    // Signed in, the calls carry the token: organisers and judges see their drafts too.
    let signed_in = Memo::new(move |_| session.user().map(|u| u.id));
    let event = LocalResource::new(move || {
        let id = id.get();
        signed_in.track();
        let token = session.access_token();
        async move { api::events::one(&id, i18n.lang_untracked(), token).await }
    });
    let challenges = LocalResource::new(move || {
        let id = id.get();
        signed_in.track();
        let token = session.access_token();
        async move { api::events::challenges(&id, i18n.lang_untracked(), token).await }
    });
    use_title(move || i18n.t().ops.control_room.to_owned());
    dynamic(move || {
        match event.get() {
        Some(Ok(e)) => view! { <ControlRoom event=e challenges section /> }.into_any(),
        // A draft answers "not found" until the restored session's token comes along.
        Some(Err(error)) if session.is_ready() && error.is(ErrorCode::NotFound) => {
            view! { <NotFound title=|t| t.event_not_found_title text=|t| t.event_not_found_text /> }.into_any()
        }
        Some(Err(error)) if session.is_ready() => view! {
            <div class="container section"><LoadError error retry=Callback::new(move |()| event.refetch()) /></div>
        }
        .into_any(),
        _ => view! { <div class="container section"><Loading label=|t| t.event_loading /></div> }.into_any(),
    }
    })
}

#[component]
fn ControlRoom(
    event: EventDto,
    challenges: LocalResource<Result<ChallengeList, ApiError>>,
    section: Memo<Section>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let live = use_topic::<EventDto>(Topic::Event(event.id));
    let event = Memo::new(move |_| live.get().unwrap_or_else(|| event.clone()));
    let ops = Ops::new(event, challenges);
    let id = ops.id;
    let changed = ops.changed;
    let stats = LocalResource::new(move || {
        changed.track();
        let signed_in = session.user().is_some();
        let lang = i18n.lang_untracked();
        async move {
            if !signed_in {
                return None;
            }
            Some(session.authorized(|token| api::ops::stats(id, lang, token)).await)
        }
    });
    let title = move || event.with(|e| e.title.clone());
    let stats_view = move || {
        match stats.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(None) => view! {
            <p class="alert alert-error" role="alert">{move || ErrorCode::Unauthenticated.message(i18n.lang())}</p>
        }
        .into_any(),
        Some(Some(Err(error))) => view! { <LoadError error retry=Callback::new(move |()| stats.refetch()) /> }.into_any(),
        Some(Some(Ok(s))) => {
            let EventStats { registrations: r, teams, without_team, .. } = s;
            let cells: [(Pick, u32); 5] = [
                (|t| t.ops.stat_confirmed, r.confirmed),
                (|t| t.ops.stat_waitlisted, r.waitlisted),
                (|t| t.ops.stat_pending, r.pending),
                (|t| t.ops.stat_teams, teams),
                (|t| t.ops.stat_without_team, without_team),
            ];
            view! {
                <dl class="stats" data-testid="stats">
                    {cells
                        .into_iter()
                        .map(|(label, n)| view! { <div><dt>{tr(label)}</dt><dd>{n}</dd></div> })
                        .collect_view()}
                </dl>
            }
            .into_any()
        }
    }
    };
    view! {
        <div class="event-hero">
            <div class="container">
                <nav class="breadcrumb" aria-label=tr(|t| t.breadcrumb)>
                    <ol>
                        <li><a href="/">{tr(|t| t.all_events)}</a></li>
                        <li><a href=format!("/events/{id}")>{title}</a></li>
                        <li aria-current="page">{tr(|t| t.ops.control_room)}</li>
                    </ol>
                </nav>
                <h1>{tr(|t| t.ops.control_room)}</h1>
                <p class="lead">{tr(|t| t.ops.control_room_lead)}</p>
            </div>
        </div>
        <div class="container">
            <SectionTabs id section />
        </div>
        {dynamic(move || match section.get() {
            Section::Live => view! {
                <div class="container control-room">
                    <section class="panel control-stats" aria-labelledby="stats-heading">
                        <h2 id="stats-heading">{tr(|t| t.ops.stats_heading)}</h2>
                        {dynamic(stats_view)}
                    </section>
                    <div class="control-main">
                        <Composer ops />
                        <News ops manage=true />
                    </div>
                    <div class="control-side">
                        <PhaseControl ops />
                        <ScheduleSetup ops />
                        <section class="panel" aria-labelledby="exports-heading">
                            <h2 id="exports-heading">{tr(|t| t.ops.exports_heading)}</h2>
                            <p class="muted">{tr(|t| t.ops.exports_lead)}</p>
                            <p class="export-buttons">
                                <Export ops file="registrations.csv" label=|t| t.ops.export_registrations />
                                <Export ops file="teams.csv" label=|t| t.ops.export_teams />
                            </p>
                        </section>
                        <p><a href=format!("/events/{id}")>{tr(|t| t.ops.back_to_event)}</a></p>
                    </div>
                </div>
            }
            .into_any(),
            Section::Event => view! { <div class="container setup"><EventSetup ops /></div> }.into_any(),
            Section::Challenges => view! { <div class="container setup"><ChallengesSetup ops /></div> }.into_any(),
            Section::Agenda => view! { <div class="container setup"><AgendaSetup ops /></div> }.into_any(),
            Section::Registrations => view! { <div class="container setup"><RegistrationsSetup ops /></div> }.into_any(),
            Section::Datasets => view! { <div class="container setup"><DatasetsSetup ops /></div> }.into_any(),
            Section::Unknown => view! {
                <NotFound title=|t| t.not_found_title text=|t| t.not_found_text />
            }
            .into_any(),
        })}
    }
}

/// "Move to: Hacking", behind a confirmation.
#[component]
fn PhaseControl(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let confirming = RwSignal::new(false);
    let phase = move || ops.event.with(|e| e.phase);
    let confirm = move |_| {
        let Some(next) = phase().next() else { return };
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match session
                .authorized(|token| api::ops::change_phase(ops.id, next, lang, token))
                .await
            {
                Ok(()) => {
                    form.done();
                    confirming.set(false);
                    announcer.say(i18n.texts_untracked().ops.phase_changed);
                    focus_later("phase-heading");
                }
                Err(error) => form.fail(error),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="phase-heading">
            <h2 id="phase-heading" tabindex="-1">{tr(|t| t.ops.phase_heading)}</h2>
            <p class="phase-now">
                <span>{tr(|t| t.ops.current_phase)} {tr(|t| t.colon)}</span>
                {dynamic(move || view! { <PhaseBadge phase=phase() /> }.into_any())}
            </p>
            <FormBanner form />
            {dynamic(move || match (phase().next(), confirming.get()) {
                (None, _) => view! { <p class="muted">{tr(|t| t.ops.last_phase)}</p> }.into_any(),
                (Some(next), false) => view! {
                    <button type="button" class="btn btn-primary btn-block" data-testid="phase-next"
                        on:click=move |_| { confirming.set(true); focus_later("phase-confirm"); }>
                        {tr(|t| t.ops.move_to)} " " {move || next.label(i18n.lang())}
                    </button>
                }
                .into_any(),
                (Some(next), true) => view! {
                    <div class="confirm-box" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
                        <p class="alert-title" id="confirm-title">
                            {tr(|t| t.ops.confirm_phase_title)} " → " {move || next.label(i18n.lang())}
                        </p>
                        <p id="confirm-text">{tr(|t| t.ops.confirm_phase_text)}</p>
                        <div class="confirm-actions">
                            <button type="button" id="phase-confirm" class="btn btn-primary"
                                disabled=move || form.is_pending() on:click=confirm>
                                {tr(|t| t.ops.confirm)}
                            </button>
                            <button type="button" class="btn btn-secondary"
                                on:click=move |_| { confirming.set(false); focus_later("phase-heading"); }>
                                {tr(|t| t.ops.cancel)}
                            </button>
                        </div>
                    </div>
                }
                .into_any(),
            })}
        </section>
    }
}

#[component]
fn Composer(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let body = RwSignal::new(String::new());
    let audience = RwSignal::new("everyone".to_owned());
    let urgent = RwSignal::new(false);
    let pinned = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = CreateAnnouncementRequest {
            body: body.get_untracked(),
            priority: Default::default(),
            pinned: pinned.get_untracked(),
            audience: audience.get_untracked().parse().unwrap_or(Audience::Everyone),
        };
        if let Err(issues) = request.validate() {
            return form.refuse(issues);
        }
        let payload = json!({
            "body": request.body.trim(),
            "priority": if urgent.get_untracked() { "urgent" } else { "normal" },
            "pinned": request.pinned,
            "audience": request.audience.to_string(),
        });
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let payload = &payload;
            match session
                .authorized(|token| api::ops::act(ops.id, "announcements", payload, lang, token))
                .await
            {
                Ok(()) => {
                    form.done();
                    body.set(String::new());
                    urgent.set(false);
                    pinned.set(false);
                    announcer.say(i18n.texts_untracked().ops.published);
                }
                Err(error) => form.fail(error),
            }
        });
    };
    let error = move || form.error("body");
    let options = move || {
        ops.challenges.with(|c| {
            c.as_ref().and_then(|c| c.as_ref().ok()).map(|list| {
                list.items
                    .iter()
                    .map(|c| {
                        let title = c.title.clone();
                        view! {
                            <option value=format!("challenge:{}", c.id)>
                                {tr(|t| t.ops.audience_challenge)} " " {title}
                            </option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="panel" aria-labelledby="composer-heading">
            <h2 id="composer-heading">{tr(|t| t.ops.composer_heading)}</h2>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="composer">
                <div class="field" class:field-invalid=move || error().is_some()>
                    <label for="field-body">{tr(|t| t.ops.body_label)}</label>
                    <p class="field-hint" id="field-body-hint">{tr(|t| t.ops.body_hint)}</p>
                    {move || error().map(|code| view! {
                        <p class="field-error" id="field-body-error">{code.message(i18n.lang())}</p>
                    })}
                    <textarea id="field-body" name="body" rows="5" required=true
                        aria-invalid=move || error().map(|_| "true")
                        aria-describedby=move || if error().is_some() { "field-body-error field-body-hint" } else { "field-body-hint" }
                        bind:value=body></textarea>
                </div>
                <div class="field">
                    <label for="field-audience">{tr(|t| t.ops.audience_label)}</label>
                    <select id="field-audience" bind:value=audience>
                        <option value="everyone">{tr(|t| t.ops.audience_everyone)}</option>
                        <option value="participants">{tr(|t| t.ops.audience_participants)}</option>
                        {options}
                    </select>
                </div>
                <CheckField form name="priority" label=|t| t.ops.urgent_label checked=urgent />
                <CheckField form name="pinned" label=|t| t.ops.pin_label checked=pinned />
                <SubmitButton form label=|t| t.ops.publish pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}

/// Saves `text` as a file through a Blob (no web-sys features needed).
fn save(name: &str, text: &str) -> Option<()> {
    let global = js_sys::global();
    let blob: Function = Reflect::get(&global, &"Blob".into()).ok()?.dyn_into().ok()?;
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &"text/csv;charset=utf-8".into()).ok()?;
    let parts = Array::of1(&JsValue::from_str(text));
    let blob = Reflect::construct(&blob, &Array::of2(&parts, &options)).ok()?;
    let urls = Reflect::get(&global, &"URL".into()).ok()?;
    let create: Function = Reflect::get(&urls, &"createObjectURL".into()).ok()?.dyn_into().ok()?;
    let href = create.call1(&urls, &blob).ok()?;
    download(&href.as_string()?, name)?;
    let revoke: Function = Reflect::get(&urls, &"revokeObjectURL".into()).ok()?.dyn_into().ok()?;
    set_timeout(move || drop(revoke.call1(&urls, &href)), std::time::Duration::from_secs(10));
    Some(())
}

#[component]
fn Export(ops: Ops, file: &'static str, label: Pick) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let busy = RwSignal::new(false);
    let download = move |_| {
        busy.set(true);
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match session.authorized(|token| api::ops::csv(ops.id, file, lang, token)).await {
                Ok(text) => drop(save(file, &text)),
                Err(error) => announcer.say(error.message(lang)),
            }
            busy.set(false);
        });
    };
    view! {
        <button type="button" class="btn btn-secondary" disabled=move || busy.get() on:click=download>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
            </svg>
            {tr(label)}
        </button>
    }
}

/// The parts of the control room, one address each (`/events/{id}/manage/<part>`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Live,
    Event,
    Challenges,
    Agenda,
    Registrations,
    Datasets,
    Unknown,
}

impl Section {
    const TABS: [(Section, &'static str, Pick); 6] = [
        (Section::Live, "", |t| t.setup.tab_live),
        (Section::Event, "/event", |t| t.setup.tab_event),
        (Section::Challenges, "/challenges", |t| t.setup.tab_challenges),
        (Section::Agenda, "/agenda", |t| t.setup.tab_agenda),
        (Section::Registrations, "/registrations", |t| t.setup.tab_registrations),
        (Section::Datasets, "/datasets", |t| t.setup.tab_datasets),
    ];

    fn parse(raw: Option<&str>) -> Self {
        match raw {
            None | Some("") => Section::Live,
            Some("event") => Section::Event,
            Some("challenges") => Section::Challenges,
            Some("agenda") => Section::Agenda,
            Some("registrations") => Section::Registrations,
            Some("datasets") => Section::Datasets,
            Some(_) => Section::Unknown,
        }
    }
}

#[component]
fn SectionTabs(id: hackops_shared::ids::EventId, section: Memo<Section>) -> impl IntoView {
    // On a phone the tabs scroll sideways: keep the current one in sight.
    Effect::new(move |_| {
        section.track();
        request_animation_frame(|| {
            let Some(tab) =
                document().query_selector(".tabs a[aria-current='page']").ok().flatten()
            else {
                return;
            };
            let options = Object::new();
            let _ = Reflect::set(&options, &"block".into(), &"nearest".into());
            let _ = Reflect::set(&options, &"inline".into(), &"center".into());
            if let Ok(scroll) =
                Reflect::get(&tab, &"scrollIntoView".into()).and_then(|f| f.dyn_into::<Function>())
            {
                let _ = scroll.call1(&tab, &options);
            }
        });
    });
    view! {
        <nav class="tabs" aria-label=tr(|t| t.setup.tabs_label)>
            <ul>
                {Section::TABS
                    .into_iter()
                    .map(|(tab, suffix, label)| view! {
                        <li>
                            <a href=format!("/events/{id}/manage{suffix}")
                                aria-current=move || (section.get() == tab).then_some("page")>
                                {tr(label)}
                            </a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
