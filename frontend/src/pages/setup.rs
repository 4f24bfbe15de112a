//! The organisers' set-up pages of the control room: the event and its settings, the
//! challenges, the agenda, and the registrations waiting for approval.

use crate::api;
use crate::components::form::{
    CheckField, FormBanner, FormState, SelectField, SubmitButton, TextField,
};
use crate::components::status::{use_announcer, LoadError, Loading};
use crate::components::{dynamic, focus_later};
use crate::format::{date_range, from_wall_clock, time_zones, to_wall_clock, Detail};
use crate::i18n::{tr, use_i18n};
use crate::pages::event_ops::Ops;
use crate::session::use_session;
use hackops_shared::error::FieldCode;
use hackops_shared::events::{
    AgendaItemRequest, AgendaKind, ChallengeDto, ChallengeRequest, CreateEventRequest, EventPhase,
};
use hackops_shared::ids::ChallengeId;
use hackops_shared::registrations::{EventSettings, RegistrationDto, RegistrationStatus};
use hackops_shared::validation::Issues;
use leptos::prelude::*;
use serde_json::json;
use time::OffsetDateTime;

/// Reads a date field (`datetime-local`, on the event's clocks) into `issues` when it is not
/// a date.
fn wall_date(
    issues: &mut Issues,
    field: &'static str,
    raw: &str,
    timezone: &str,
    required: bool,
) -> Option<OffsetDateTime> {
    if raw.trim().is_empty() {
        if required {
            issues.push(field, FieldCode::Required);
        }
        return None;
    }
    let at = from_wall_clock(raw, timezone);
    if at.is_none() {
        issues.push(field, FieldCode::InvalidValue);
    }
    at
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A whole number from a form field: `Ok(None)` when left empty.
fn number(issues: &mut Issues, field: &'static str, raw: &str) -> Option<u32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            issues.push(field, FieldCode::InvalidValue);
            None
        }
    }
}

/// The event's fields as a form, in the event's own time zone. Shared by the new-event page.
#[derive(Clone, Copy)]
pub struct EventFields {
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub timezone: RwSignal<String>,
    pub starts: RwSignal<String>,
    pub ends: RwSignal<String>,
    pub venue: RwSignal<String>,
    pub online: RwSignal<bool>,
}

impl EventFields {
    pub fn new(
        title: String,
        description: String,
        timezone: String,
        starts_at: Option<OffsetDateTime>,
        ends_at: Option<OffsetDateTime>,
        venue: String,
        online: bool,
    ) -> Self {
        let wall = |at: Option<OffsetDateTime>| {
            at.and_then(|at| to_wall_clock(at, &timezone)).unwrap_or_default()
        };
        Self {
            starts: RwSignal::new(wall(starts_at)),
            ends: RwSignal::new(wall(ends_at)),
            title: RwSignal::new(title),
            description: RwSignal::new(description),
            timezone: RwSignal::new(timezone),
            venue: RwSignal::new(venue),
            online: RwSignal::new(online),
        }
    }

    /// The JSON body of `POST /events` and `PATCH /events/{id}` (without the organisation),
    /// checked by the same rules as the server's.
    pub fn body(self) -> Result<serde_json::Value, Issues> {
        let mut issues = Issues::default();
        let timezone = self.timezone.get_untracked().trim().to_owned();
        let starts =
            wall_date(&mut issues, "starts_at", &self.starts.get_untracked(), &timezone, true);
        let ends = wall_date(&mut issues, "ends_at", &self.ends.get_untracked(), &timezone, true);
        // Check the other fields even when a date is missing, so every mistake shows at once.
        let placeholder = OffsetDateTime::UNIX_EPOCH;
        let dated = starts.is_some() && ends.is_some();
        let request = self.request(
            starts.unwrap_or(placeholder),
            ends.unwrap_or(placeholder + time::Duration::DAY),
            &timezone,
        );
        let valid = match request.validate() {
            Ok(valid) if issues.is_empty() => valid,
            Ok(_) => return Err(issues),
            Err(more) => {
                issues.0.extend(more.0.into_iter().filter(|i| dated || i.field != "ends_at"));
                return Err(issues);
            }
        };
        Ok(json!({
            "title": valid.title,
            "description": valid.description,
            "timezone": valid.timezone,
            "starts_at": rfc3339(valid.starts_at),
            "ends_at": rfc3339(valid.ends_at),
            "venue": valid.venue.unwrap_or_default(),
            "online": valid.online,
        }))
    }

    fn request(
        self,
        starts_at: OffsetDateTime,
        ends_at: OffsetDateTime,
        timezone: &str,
    ) -> CreateEventRequest {
        CreateEventRequest {
            organisation_id: None,
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            timezone: timezone.to_owned(),
            starts_at,
            ends_at,
            venue: Some(self.venue.get_untracked()),
            online: self.online.get_untracked(),
        }
    }
}

/// The inputs of [`EventFields`].
#[component]
pub fn EventInputs(form: FormState, fields: EventFields) -> impl IntoView {
    let zones = time_zones();
    view! {
        <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=fields.title />
        <TextField form name="description" label=|t| t.setup.description_label hint=|t| t.ops.body_hint
            input_type="text" autocomplete="off" value=fields.description optional=true rows=8 />
        <TextField form name="timezone" label=|t| t.event_timezone hint=|t| t.setup.timezone_hint
            input_type="text" autocomplete="off" value=fields.timezone list="time-zones" />
        <datalist id="time-zones">
            {zones.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
        </datalist>
        <div class="field-row">
            <TextField form name="starts_at" label=|t| t.setup.starts_label hint=|t| t.setup.local_time_hint
                input_type="datetime-local" autocomplete="off" value=fields.starts />
            <TextField form name="ends_at" label=|t| t.setup.ends_label hint=|t| t.setup.local_time_hint
                input_type="datetime-local" autocomplete="off" value=fields.ends />
        </div>
        <TextField form name="venue" label=|t| t.event_venue hint=|t| t.setup.venue_hint
            input_type="text" autocomplete="off" value=fields.venue optional=true />
        <CheckField form name="online" label=|t| t.setup.online_label checked=fields.online />
    }
}

/// The event's description and dates, then how registration and teams work.
#[component]
pub fn EventSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let e = ops.event.get_untracked();
    let form = FormState::new();
    let fields = EventFields::new(
        e.title.clone(),
        e.description.clone(),
        e.timezone.clone(),
        Some(e.starts_at),
        Some(e.ends_at),
        e.venue.clone().unwrap_or_default(),
        e.online,
    );
    let save_event = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let body = match fields.body() {
            Ok(body) => body,
            Err(issues) => return form.refuse(issues),
        };
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::update_event(ops.id, &body, lang, token).await }
            },
            move |_| announcer.say(i18n.texts_untracked().setup.saved),
        );
    };

    let settings = FormState::new();
    let s = e.settings.clone();
    let capacity = RwSignal::new(s.capacity.map(|c| c.to_string()).unwrap_or_default());
    let team_min = RwSignal::new(s.team_min.to_string());
    let team_max = RwSignal::new(s.team_max.to_string());
    let moderated = RwSignal::new(s.moderated);
    let coc = RwSignal::new(s.code_of_conduct.clone());
    let lock = RwSignal::new(
        s.teams_lock_at.and_then(|at| to_wall_clock(at, &e.timezone)).unwrap_or_default(),
    );
    let save_settings = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !settings.begin() {
            return;
        }
        let mut issues = Issues::default();
        let timezone = ops.event.with_untracked(|e| e.timezone.clone());
        let wanted = EventSettings {
            capacity: number(&mut issues, "capacity", &capacity.get_untracked()),
            team_min: number(&mut issues, "team_min", &team_min.get_untracked()).unwrap_or(0),
            team_max: number(&mut issues, "team_max", &team_max.get_untracked()).unwrap_or(0),
            moderated: moderated.get_untracked(),
            code_of_conduct: coc.get_untracked().trim().to_owned(),
            teams_lock_at: wall_date(
                &mut issues,
                "teams_lock_at",
                &lock.get_untracked(),
                &timezone,
                false,
            ),
        };
        if let Err(more) = wanted.validate() {
            issues.0.extend(more.0);
        }
        if !issues.is_empty() {
            return settings.refuse(issues);
        }
        let body = json!({
            "capacity": wanted.capacity,
            "team_min": wanted.team_min,
            "team_max": wanted.team_max,
            "moderated": wanted.moderated,
            "code_of_conduct": wanted.code_of_conduct,
            "teams_lock_at": wanted.teams_lock_at.map(rfc3339),
        });
        let lang = i18n.lang_untracked();
        settings.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::update_settings(ops.id, &body, lang, token).await }
            },
            move |_| announcer.say(i18n.texts_untracked().setup.saved),
        );
    };
    view! {
        <div class="setup-grid">
            <section class="panel" aria-labelledby="event-form-heading">
                <h2 id="event-form-heading">{tr(|t| t.setup.event_heading)}</h2>
                <FormBanner form />
                <form class="form" novalidate=true on:submit=save_event data-testid="event-form">
                    <EventInputs form fields />
                    <SubmitButton form label=|t| t.setup.save pending_label=|t| t.ops.sending />
                </form>
            </section>
            <section class="panel" aria-labelledby="settings-heading">
                <h2 id="settings-heading">{tr(|t| t.setup.settings_heading)}</h2>
                <FormBanner form=settings />
                <form class="form" novalidate=true on:submit=save_settings data-testid="settings-form">
                    <TextField form=settings name="capacity" label=|t| t.setup.capacity_label hint=|t| t.setup.capacity_hint
                        input_type="number" autocomplete="off" value=capacity optional=true />
                    <div class="field-row">
                        <TextField form=settings name="team_min" label=|t| t.setup.team_min_label
                            input_type="number" autocomplete="off" value=team_min />
                        <TextField form=settings name="team_max" label=|t| t.setup.team_max_label
                            input_type="number" autocomplete="off" value=team_max />
                    </div>
                    <CheckField form=settings name="moderated" label=|t| t.setup.moderated_label checked=moderated />
                    <TextField form=settings name="code_of_conduct" label=|t| t.ops.coc_heading hint=|t| t.setup.coc_hint
                        input_type="text" autocomplete="off" value=coc optional=true rows=8 />
                    <TextField form=settings name="teams_lock_at" label=|t| t.setup.lock_label hint=|t| t.setup.lock_hint
                        input_type="datetime-local" autocomplete="off" value=lock optional=true />
                    <SubmitButton form=settings label=|t| t.setup.save pending_label=|t| t.ops.sending />
                </form>
            </section>
        </div>
    }
}

/// The challenges: a list with edit and delete, and one form that adds or edits.
#[component]
pub fn ChallengesSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let editing = RwSignal::new(None::<ChallengeId>);
    let title = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let prize = RwSignal::new(String::new());
    let reset = move || {
        editing.set(None);
        for field in [title, summary, description, prize] {
            field.set(String::new());
        }
    };
    let edit = move |c: ChallengeDto| {
        editing.set(Some(c.id));
        title.set(c.title);
        summary.set(c.summary);
        description.set(c.description);
        prize.set(c.prize.unwrap_or_default());
        focus_later("field-title");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = ChallengeRequest {
            title: title.get_untracked(),
            summary: summary.get_untracked(),
            description: description.get_untracked(),
            prize: Some(prize.get_untracked()),
            position: None,
        };
        let valid = match request.validate() {
            Ok(valid) => valid,
            Err(issues) => return form.refuse(issues),
        };
        let body = json!({
            "title": valid.title,
            "summary": valid.summary,
            "description": valid.description,
            "prize": valid.prize,
        });
        let target = editing.get_untracked();
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::save_challenge(ops.id, target, &body, lang, token).await }
            },
            move |_| {
                reset();
                ops.challenges.refetch();
                announcer.say(i18n.texts_untracked().setup.saved);
            },
        );
    };
    let remove = move |c: ChallengeDto| {
        let lang = i18n.lang_untracked();
        if !form.begin() {
            return;
        }
        form.send(
            session,
            move |token| async move { api::manage::delete_challenge(ops.id, c.id, lang, token).await },
            move |()| {
                if editing.get_untracked() == Some(c.id) {
                    reset();
                }
                ops.challenges.refetch();
                announcer.say(i18n.texts_untracked().setup.deleted);
            },
        );
    };
    let list = move || {
        match ops.challenges.get() {
        None => view! { <Loading label=|t| t.challenges_loading /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry=Callback::new(move |()| ops.challenges.refetch()) /> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="muted">{tr(|t| t.setup.no_challenges)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="setup-list" data-testid="challenge-setup-list">
                {list
                    .items
                    .into_iter()
                    .map(|c| {
                        let (for_edit, for_remove) = (c.clone(), c.clone());
                        view! {
                            <li>
                                <div>
                                    <p class="setup-item-title">{c.title.clone()}</p>
                                    <p class="muted">{c.summary.clone()}</p>
                                    {c.prize.clone().map(|p| view! { <p class="tag">{tr(|t| t.prize)} " " {p}</p> })}
                                </div>
                                <div class="setup-actions">
                                    <button type="button" class="btn btn-secondary btn-small"
                                        on:click=move |_| edit(for_edit.clone())>{tr(|t| t.setup.edit)}</button>
                                    <button type="button" class="btn btn-ghost btn-small"
                                        on:click=move |_| remove(for_remove.clone())>{tr(|t| t.setup.delete)}</button>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <div class="setup-grid">
            <section class="panel" aria-labelledby="challenges-heading">
                <h2 id="challenges-heading">{tr(|t| t.challenges_heading)}</h2>
                {dynamic(list)}
            </section>
            <section class="panel" aria-labelledby="challenge-form-heading">
                <h2 id="challenge-form-heading">
                    {move || if editing.get().is_some() { i18n.t().setup.edit_challenge } else { i18n.t().setup.add_challenge }}
                </h2>
                <FormBanner form />
                <form class="form" novalidate=true on:submit=submit data-testid="challenge-form">
                    <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=title />
                    <TextField form name="summary" label=|t| t.setup.summary_label hint=|t| t.setup.summary_hint
                        input_type="text" autocomplete="off" value=summary />
                    <TextField form name="description" label=|t| t.setup.description_label hint=|t| t.ops.body_hint
                        input_type="text" autocomplete="off" value=description optional=true rows=6 />
                    <TextField form name="prize" label=|t| t.prize hint=|t| t.ops.optional
                        input_type="text" autocomplete="off" value=prize optional=true />
                    <SubmitButton form label=|t| t.setup.save_challenge pending_label=|t| t.ops.sending />
                    {move || editing.get().is_some().then(|| view! {
                        <button type="button" class="btn btn-ghost btn-block" on:click=move |_| reset()>
                            {tr(|t| t.ops.cancel)}
                        </button>
                    })}
                </form>
            </section>
        </div>
    }
}

/// The agenda: the sessions in order, each removable, and a form to add one.
#[component]
pub fn AgendaSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("other".to_owned());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let agenda = LocalResource::new(move || {
        ops.changed.track();
        let token = session.access_token();
        async move { api::ops::agenda(ops.id, i18n.lang_untracked(), token).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut issues = Issues::default();
        let timezone = ops.event.with_untracked(|e| e.timezone.clone());
        let starts_at =
            wall_date(&mut issues, "starts_at", &starts.get_untracked(), &timezone, true);
        let ends_at = wall_date(&mut issues, "ends_at", &ends.get_untracked(), &timezone, false);
        let kind = AgendaKind::parse(&kind.get_untracked()).unwrap_or(AgendaKind::Other);
        let request = AgendaItemRequest {
            title: title.get_untracked(),
            kind,
            starts_at: starts_at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
            ends_at,
            location: Some(location.get_untracked()),
        };
        let checked = request.validate();
        if let Err(more) = &checked {
            issues.0.extend(more.0.iter().cloned());
        }
        let valid = match checked {
            Ok(valid) if issues.is_empty() => valid,
            _ => return form.refuse(issues),
        };
        let body = json!({
            "title": valid.title,
            "kind": valid.kind,
            "starts_at": rfc3339(valid.starts_at),
            "ends_at": valid.ends_at.map(rfc3339),
            "location": valid.location,
        });
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::add_agenda_item(ops.id, &body, lang, token).await }
            },
            move |_| {
                for field in [title, starts, ends, location] {
                    field.set(String::new());
                }
                agenda.refetch();
                announcer.say(i18n.texts_untracked().setup.saved);
            },
        );
    };
    let remove = move |item: String| {
        let lang = i18n.lang_untracked();
        if !form.begin() {
            return;
        }
        form.send(
            session,
            move |token| {
                let item = item.clone();
                async move { api::manage::remove_agenda_item(ops.id, item, lang, token).await }
            },
            move |()| {
                agenda.refetch();
                announcer.say(i18n.texts_untracked().setup.deleted);
            },
        );
    };
    let list = move || match agenda.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| agenda.refetch()) /> }.into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="muted">{tr(|t| t.ops.agenda_empty)}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let locale = i18n.t().locale;
            let timezone = ops.event.with(|e| e.timezone.clone());
            view! {
                <ul class="setup-list" data-testid="agenda-setup-list">
                    {list
                        .items
                        .into_iter()
                        .map(|item| {
                            let when = date_range(item.starts_at, item.ends_at.unwrap_or(item.starts_at), locale, &timezone, Detail::DaysAndTimes);
                            let id = item.id.to_string();
                            view! {
                                <li>
                                    <div>
                                        <p class="setup-item-title">{item.title.clone()}</p>
                                        <p class="muted">
                                            <span class="tag">{move || item.kind.label(i18n.lang())}</span> " " {when}
                                            {item.location.clone().map(|l| format!(" · {l}"))}
                                        </p>
                                    </div>
                                    <div class="setup-actions">
                                        <button type="button" class="btn btn-ghost btn-small"
                                            on:click=move |_| remove(id.clone())>{tr(|t| t.setup.delete)}</button>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <div class="setup-grid">
            <section class="panel" aria-labelledby="agenda-setup-heading">
                <h2 id="agenda-setup-heading">{tr(|t| t.ops.agenda_heading)}</h2>
                {dynamic(list)}
            </section>
            <section class="panel" aria-labelledby="agenda-form-heading">
                <h2 id="agenda-form-heading">{tr(|t| t.setup.add_session)}</h2>
                <FormBanner form />
                <form class="form" novalidate=true on:submit=submit data-testid="agenda-form">
                    <TextField form name="title" label=|t| t.setup.title_label input_type="text" autocomplete="off" value=title />
                    <SelectField form name="kind" label=|t| t.setup.kind_label value=kind>
                        {AgendaKind::ALL
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str()>{move || k.label(i18n.lang())}</option> })
                            .collect_view()}
                    </SelectField>
                    <div class="field-row">
                        <TextField form name="starts_at" label=|t| t.setup.starts_label hint=|t| t.setup.local_time_hint
                            input_type="datetime-local" autocomplete="off" value=starts />
                        <TextField form name="ends_at" label=|t| t.setup.ends_label hint=|t| t.ops.optional
                            input_type="datetime-local" autocomplete="off" value=ends optional=true />
                    </div>
                    <TextField form name="location" label=|t| t.setup.location_label hint=|t| t.ops.optional
                        input_type="text" autocomplete="off" value=location optional=true />
                    <SubmitButton form label=|t| t.setup.add_session pending_label=|t| t.ops.sending />
                </form>
            </section>
        </div>
    }
}

/// Registrations: those waiting for approval first (approve or decline), then everyone else.
#[component]
pub fn RegistrationsSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let registrations = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move { session.authorized(|token| api::manage::registrations(ops.id, lang, token)).await }
    });
    let decide = move |id: String, decision: &'static str| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let id = id.clone();
                async move { api::manage::decide(ops.id, id, decision, lang, token).await }
            },
            move |_| {
                registrations.refetch();
                let t = i18n.texts_untracked();
                announcer.say(if decision == "approve" {
                    t.setup.approved
                } else {
                    t.setup.declined
                });
            },
        );
    };
    let row = move |r: RegistrationDto, actions: bool| {
        let id = r.id.to_string();
        let id2 = id.clone();
        let status = r.status;
        view! {
            <li>
                <div>
                    <p class="setup-item-title">{r.display_name.clone()}</p>
                    <p class="muted">{r.skills.join(", ")}</p>
                    {(!r.interests.is_empty()).then(|| view! { <p class="muted">{r.interests.clone()}</p> })}
                </div>
                <div class="setup-actions">
                    {if actions {
                        view! {
                            <button type="button" class="btn btn-primary btn-small" disabled=move || form.is_pending()
                                on:click=move |_| decide(id.clone(), "approve")>{tr(|t| t.setup.approve)}</button>
                            <button type="button" class="btn btn-ghost btn-small" disabled=move || form.is_pending()
                                on:click=move |_| decide(id2.clone(), "reject")>{tr(|t| t.setup.decline)}</button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <span class=format!("status status-{}", status.as_str())>{move || status.label(i18n.lang())}</span>
                        }
                        .into_any()
                    }}
                </div>
            </li>
        }
    };
    let lists = move || match registrations.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| registrations.refetch()) /> }
                .into_any()
        }
        Some(Ok(list)) => {
            let (pending, others): (Vec<_>, Vec<_>) = list
                .items
                .into_iter()
                .filter(|r| r.status.is_active())
                .partition(|r| r.status == RegistrationStatus::Pending);
            let moderated = ops.event.with(|e| e.settings.moderated);
            let count = others.len();
            view! {
                <section class="panel" aria-labelledby="queue-heading">
                    <h2 id="queue-heading">{tr(|t| t.setup.queue_heading)}</h2>
                    {if pending.is_empty() {
                        view! {
                            <p class="muted" data-testid="queue-empty">
                                {move || if moderated { i18n.t().setup.queue_empty } else { i18n.t().setup.queue_open }}
                            </p>
                        }
                        .into_any()
                    } else {
                        view! {
                            <ul class="setup-list" data-testid="moderation-queue">
                                {pending.into_iter().map(|r| row(r, true)).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </section>
                <section class="panel" aria-labelledby="registered-heading">
                    <h2 id="registered-heading">{move || (i18n.t().setup.registered_count)(count)}</h2>
                    <ul class="setup-list" data-testid="registrations-list">
                        {others.into_iter().map(|r| row(r, false)).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
    };
    view! {
        <FormBanner form />
        <div class="setup-stack">{dynamic(lists)}</div>
    }
}

/// Phase changes that happen by themselves at a set time (on the server's clock, once, even
/// with several servers): the pending ones, each cancellable, and a form to add one.
#[component]
pub fn ScheduleSetup(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let phase = RwSignal::new(String::new());
    let at = RwSignal::new(String::new());
    let transitions = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move { session.authorized(|token| api::manage::transitions(ops.id, lang, token)).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let mut issues = Issues::default();
        let timezone = ops.event.with_untracked(|e| e.timezone.clone());
        let when = wall_date(&mut issues, "at", &at.get_untracked(), &timezone, true);
        let target = EventPhase::parse(&phase.get_untracked());
        if target.is_none() {
            issues.push("phase", FieldCode::Required);
        }
        let (Some(when), Some(target)) = (when, target) else { return form.refuse(issues) };
        let body = json!({ "phase": target.as_str(), "at": rfc3339(when) });
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let body = body.clone();
                async move { api::manage::schedule(ops.id, &body, lang, token).await }
            },
            move |_| {
                at.set(String::new());
                transitions.refetch();
                announcer.say(i18n.texts_untracked().setup.saved);
            },
        );
    };
    let cancel = move |id: String| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let id = id.clone();
                async move { api::manage::cancel_transition(ops.id, id, lang, token).await }
            },
            move |()| {
                transitions.refetch();
                announcer.say(i18n.texts_untracked().setup.deleted);
            },
        );
    };
    let list = move || {
        // Pending changes still ahead (one to a phase already reached by hand is moot).
        let now = ops.event.with(|e| e.phase);
        let pending: Vec<_> = transitions
            .get()
            .and_then(Result::ok)
            .map(|l| {
                l.items.into_iter().filter(|t| t.fired_at.is_none() && t.phase > now).collect()
            })
            .unwrap_or_default();
        if pending.is_empty() {
            return view! { <p class="muted">{tr(|t| t.setup.no_schedule)}</p> }.into_any();
        }
        let locale = i18n.t().locale;
        let timezone = ops.event.with(|e| e.timezone.clone());
        view! {
            <ul class="setup-list" data-testid="schedule-list">
                {pending
                    .into_iter()
                    .map(|t| {
                        let when = date_range(t.at, t.at, locale, &timezone, Detail::DaysAndTimes);
                        let id = t.id.to_string();
                        let target = t.phase;
                        view! {
                            <li>
                                <div>
                                    <p class="setup-item-title">{move || target.label(i18n.lang())}</p>
                                    <p class="muted">{when}</p>
                                </div>
                                <button type="button" class="btn btn-ghost btn-small" disabled=move || form.is_pending()
                                    on:click=move |_| cancel(id.clone())>{tr(|t| t.ops.cancel)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let options = move || {
        let now = ops.event.with(|e| e.phase);
        EventPhase::ALL
            .into_iter()
            .filter(|p| *p > now)
            .map(|p| view! { <option value=p.as_str()>{move || p.label(i18n.lang())}</option> })
            .collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">{tr(|t| t.setup.schedule_heading)}</h2>
            <p class="muted">{tr(|t| t.setup.schedule_lead)}</p>
            {dynamic(list)}
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="schedule-form">
                <SelectField form name="phase" label=|t| t.setup.schedule_phase value=phase>
                    <option value="">{tr(|t| t.setup.choose_phase)}</option>
                    {options}
                </SelectField>
                <TextField form name="at" label=|t| t.setup.schedule_at hint=|t| t.setup.local_time_hint
                    input_type="datetime-local" autocomplete="off" value=at />
                <SubmitButton form label=|t| t.setup.schedule_submit pending_label=|t| t.ops.sending />
            </form>
        </section>
    }
}
