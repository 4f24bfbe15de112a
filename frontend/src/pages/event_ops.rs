//! The live parts of an event's page: countdown, announcements, agenda, teams, and the
//! participant's own registration and team. The control room reuses [`Ops`] and [`News`].

use crate::api::{self, ApiError};
use crate::components::dynamic;
use crate::components::form::{
    CheckField, FormBanner, FormState, SelectField, SubmitButton, TextField,
};
use crate::components::rich_text::RichText;
use crate::components::status::{use_announcer, LoadError, Loading};
use crate::format::{date_range, Detail};
use crate::i18n::{tr, use_i18n, Texts};
use crate::realtime::{server_now, use_topic};
use crate::session::use_session;
use hackops_shared::announcements::{AnnouncementList, Audience, Priority};
use hackops_shared::auth::EventRole;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::events::{ChallengeList, EventDto};
use hackops_shared::ids::{ChallengeId, EventId};
use hackops_shared::registrations::{RegisterForEventRequest, RegistrationStatus};
use hackops_shared::teams::{
    CreateJoinRequest, CreateTeamRequest, JoinRequestDto, JoinRequestStatus, TeamDto, TeamList,
};
use hackops_shared::validation::Issues;
use hackops_shared::ws::Topic;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use std::time::Duration;
use wasm_bindgen::JsCast;

type Loaded<T> = LocalResource<Result<T, ApiError>>;

/// What the parts of an event's page share: the event as it changes, its challenges, its
/// teams, and counters that move with the live topics (resources that read them refetch).
#[derive(Clone, Copy)]
pub struct Ops {
    pub id: EventId,
    pub event: Memo<EventDto>,
    pub challenges: Loaded<ChallengeList>,
    /// Moves when the `event:<id>` topic does (challenges, agenda, registrations, teams).
    pub changed: RwSignal<u32>,
    /// Moves when an announcements topic followed by the page does.
    news_changed: RwSignal<u32>,
    pub teams: Loaded<TeamList>,
}

impl Ops {
    pub fn new(event: Memo<EventDto>, challenges: Loaded<ChallengeList>) -> Self {
        let i18n = use_i18n();
        let session = use_session();
        let id = event.with_untracked(|e| e.id);
        let changed = RwSignal::new(0);
        let live = use_topic::<EventDto>(Topic::Event(id));
        bump_on_update(live, changed);
        let teams = LocalResource::new(move || {
            changed.track();
            let token = session.access_token();
            async move { api::ops::teams(id, i18n.lang_untracked(), token).await }
        });
        Self { id, event, challenges, changed, news_changed: RwSignal::new(0), teams }
    }

    /// The signed-in person's team, if any.
    fn my_team(self) -> Option<TeamDto> {
        let me = use_session().user()?.id;
        self.teams.with(|t| {
            t.as_ref()?
                .as_ref()
                .ok()?
                .items
                .iter()
                .find(|t| t.members.iter().any(|m| m.user_id == me))
                .cloned()
        })
    }

    /// An `<option>` per challenge, its id as the value (tracked: follows the list).
    pub fn challenge_options(self) -> Option<impl IntoView> {
        self.challenges.with(|c| {
            c.as_ref().and_then(|c| c.as_ref().ok()).map(|list| {
                list.items
                    .iter()
                    .map(|c| view! { <option value=c.id.to_string()>{c.title.clone()}</option> })
                    .collect_view()
            })
        })
    }

    pub fn challenge_title(self, id: Option<ChallengeId>) -> Option<String> {
        let id = id?;
        self.challenges.with(|c| {
            c.as_ref()?.as_ref().ok()?.items.iter().find(|c| c.id == id).map(|c| c.title.clone())
        })
    }
}

/// Bumps `counter` at every new state of a topic after its first snapshot (the page's REST
/// calls already hold that one).
fn bump_on_update<T: Send + Sync + 'static>(live: ReadSignal<Option<T>>, counter: RwSignal<u32>) {
    Effect::new(move |seen: Option<bool>| {
        let has = live.with(Option::is_some);
        if seen == Some(true) {
            counter.update(|n| *n += 1);
        }
        has
    });
}

fn when(event: Memo<EventDto>, start: time::OffsetDateTime, end: time::OffsetDateTime) -> String {
    let locale = use_i18n().t().locale;
    event.with(|e| date_range(start, end, locale, &e.timezone, Detail::DaysAndTimes))
}

/// Under the event's title: the countdown to the next phase and the useful links.
#[component]
pub fn OpsHero(ops: Ops, role: Signal<Option<EventRole>>) -> impl IntoView {
    let i18n = use_i18n();
    let tick = RwSignal::new(0u32);
    if let Ok(handle) =
        set_interval_with_handle(move || tick.update(|n| *n += 1), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let countdown = move || {
        tick.track();
        // A pending transition to a phase already reached (moved by hand) is no news.
        let next = ops.event.with(|e| e.next_transition.clone().filter(|n| n.phase > e.phase))?;
        let t = i18n.t().ops;
        let left = (next.at - server_now()).whole_seconds();
        let clock = if left <= 0 {
            t.countdown_now.to_owned()
        } else {
            (t.countdown)(left / 86_400, left / 3600 % 24, left / 60 % 60, left % 60)
        };
        Some(view! {
            <p class="countdown" role="timer" data-testid="countdown">
                <span>{(t.countdown_lead)(next.phase)}</span>
                " "
                <strong>{clock}</strong>
            </p>
        })
    };
    let manage = move || {
        (role.get() == Some(EventRole::Organiser)).then(|| {
            view! {
                <a class="btn btn-accent btn-small" href=format!("/events/{}/manage", ops.id)>
                    {tr(|t| t.ops.manage_link)}
                </a>
            }
        })
    };
    view! {
        {countdown}
        <p class="event-links">
            <a class="btn btn-secondary btn-small" href=format!("/api/v1/events/{}/calendar.ics", ops.id)>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="4" y="5" width="16" height="15" rx="2" />
                    <path d="M4 10h16M9 3v4M15 3v4" />
                </svg>
                {tr(|t| t.ops.calendar_link)}
            </a>
            {manage}
        </p>
    }
}

/// Follows one announcements topic while it is shown.
#[component]
fn Follow(topic: Topic, counter: RwSignal<u32>) -> impl IntoView {
    bump_on_update(use_topic::<AnnouncementList>(topic), counter);
}

/// The announcements the reader may see, pinned first; urgent ones stand out as alerts.
#[component]
pub fn News(
    ops: Ops,
    /// The organisers' view: each notice can be pinned, unpinned or removed.
    #[prop(optional)]
    manage: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let id = ops.id;
    let counter = ops.news_changed;
    let form = FormState::new();
    // Pin, unpin or remove; the announcements' topic brings the new list.
    let act = move |announcement: uuid::Uuid, what: &'static str| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| async move {
                let rest = format!("announcements/{announcement}");
                match what {
                    "remove" => {
                        api::manage::remove_announcement(id, announcement, lang, token).await
                    }
                    pin => {
                        let body = json!({ "pinned": pin == "pin" });
                        api::ops::act(id, &format!("{rest}/pin"), &body, lang, token).await
                    }
                }
            },
            move |()| {
                news_refetch(counter);
                announcer.say(i18n.texts_untracked().setup.saved);
            },
        );
    };
    let news = LocalResource::new(move || {
        counter.track();
        let token = session.access_token();
        async move { api::ops::announcements(id, i18n.lang_untracked(), token).await }
    });
    // A notice that arrives while the page is open is read out.
    Effect::new(move |before: Option<usize>| {
        let count =
            news.with(|n| n.as_ref().and_then(|n| n.as_ref().ok()).map_or(0, |n| n.items.len()));
        if before.is_some_and(|b| b > 0 || counter.get_untracked() > 0) && before < Some(count) {
            announcer.say(i18n.texts_untracked().ops.new_announcement);
        }
        count
    });
    let signed_in = Memo::new(move |_| session.user().is_some());
    let challenge = Memo::new(move |_| ops.my_team().and_then(|t| t.challenge_id));
    let list = dynamic(move || match news.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| news.refetch()) /> }.into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="empty-state">{tr(|t| t.ops.announcements_empty)}</p> }.into_any()
        }
        Some(Ok(mut list)) => {
            list.items.sort_by_key(|a| !a.pinned);
            view! {
                <ul class="notices" data-testid="announcements">
                    {list
                        .items
                        .into_iter()
                        .map(|a| {
                            let urgent = a.priority == Priority::Urgent;
                            let at = when(ops.event, a.created_at, a.created_at);
                            view! {
                                <li class="notice" class:notice-urgent=urgent class:notice-pinned=a.pinned>
                                    <p class="notice-tags">
                                        {a.pinned.then(|| view! { <span class="tag tag-pinned">{tr(|t| t.ops.pinned)}</span> })}
                                        {urgent.then(|| view! { <span class="tag tag-urgent">{tr(|t| t.ops.urgent)}</span> })}
                                    </p>
                                    <RichText source=a.body heading_base=3 />
                                    <p class="notice-meta">
                                        {tr(|t| t.ops.posted_by)} " " {a.author_name} " · " {at}
                                    </p>
                                    {manage.then(|| {
                                        let (notice, pinned) = (a.id, a.pinned);
                                        view! {
                                            <p class="notice-actions">
                                                <button type="button" class="btn btn-ghost btn-small" disabled=move || form.is_pending()
                                                    on:click=move |_| act(notice, if pinned { "unpin" } else { "pin" })>
                                                    {tr(if pinned { |t: &Texts| t.ops.unpin } else { |t: &Texts| t.ops.pin })}
                                                </button>
                                                <button type="button" class="btn btn-ghost btn-small btn-danger-text" disabled=move || form.is_pending()
                                                    on:click=move |_| act(notice, "remove")>
                                                    {tr(|t| t.setup.delete)}
                                                </button>
                                            </p>
                                        }
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    });
    view! {
        <section class="panel" aria-labelledby="news-heading">
            <h2 id="news-heading">{tr(|t| t.ops.announcements_heading)}</h2>
            {manage.then(|| view! { <FormBanner form /> })}
            <Follow topic=Topic::Announcements(id, Audience::Everyone) counter />
            {dynamic(move || {
                signed_in
                    .get()
                    .then(|| view! { <Follow topic=Topic::Announcements(id, Audience::Participants) counter /> })
                    .into_any()
            })}
            {dynamic(move || {
                challenge
                    .get()
                    .map(|c| view! { <Follow topic=Topic::Announcements(id, Audience::Challenge(c)) counter /> })
                    .into_any()
            })}
            {list}
        </section>
    }
}

/// The agenda and the teams, under the challenges.
#[component]
pub fn OpsBoard(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (id, changed) = (ops.id, ops.changed);
    let agenda = LocalResource::new(move || {
        changed.track();
        let token = session.access_token();
        async move { api::ops::agenda(id, i18n.lang_untracked(), token).await }
    });
    let agenda_view = dynamic(move || {
        match agenda.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => view! { <LoadError error retry=Callback::new(move |()| agenda.refetch()) /> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="empty-state">{tr(|t| t.ops.agenda_empty)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ol class="agenda" data-testid="agenda">
                {list
                    .items
                    .into_iter()
                    .map(|item| {
                        let at = when(ops.event, item.starts_at, item.ends_at.unwrap_or(item.starts_at));
                        view! {
                            <li class="agenda-item">
                                <p class="agenda-when">{at}</p>
                                <div>
                                    <p class="agenda-kind">{move || item.kind.label(i18n.lang())}</p>
                                    <h3>{item.title}</h3>
                                    {item.location.map(|l| view! { <p class="muted">{l}</p> })}
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any(),
    }
    });
    let teams = ops.teams;
    let teams_view = dynamic(move || match teams.get() {
        None => view! { <Loading label=|t| t.loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <LoadError error retry=Callback::new(move |()| teams.refetch()) /> }.into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => {
            view! { <p class="empty-state">{tr(|t| t.ops.teams_empty)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="team-grid" data-testid="teams">
                {list.items.into_iter().map(|team| view! { <TeamCard ops team /> }).collect_view()}
            </ul>
        }
        .into_any(),
    });
    view! {
        <section class="panel" aria-labelledby="agenda-heading">
            <h2 id="agenda-heading">{tr(|t| t.ops.agenda_heading)}</h2>
            {agenda_view}
        </section>
        <section aria-labelledby="teams-heading">
            <h2 id="teams-heading">{tr(|t| t.ops.teams_heading)}</h2>
            {teams_view}
        </section>
    }
}

/// One team: its name, its challenge, its members (the captain marked in words).
#[component]
fn TeamCard(ops: Ops, team: TeamDto) -> impl IntoView {
    let i18n = use_i18n();
    let count = team.members.len();
    let challenge = move || {
        ops.challenge_title(team.challenge_id)
            .unwrap_or_else(|| i18n.t().ops.no_challenge.to_owned())
    };
    view! {
        <li class="team-card">
            <h3>{team.name}</h3>
            <p class="team-challenge">{challenge}</p>
            <p class="team-count">{move || (i18n.t().ops.members_count)(count)}</p>
            <ul class="members">
                {team
                    .members
                    .into_iter()
                    .map(|m| {
                        view! {
                            <li>
                                <span>{m.display_name}</span>
                                {m.captain.then(|| view! { <span class="tag">{tr(|t| t.ops.captain)}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

fn words(pick: fn(&Texts) -> &'static str) -> &'static str {
    pick(use_i18n().texts_untracked())
}

/// The signed-in person's side of the event: register, then form or join a team.
#[component]
pub fn OpsAside(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (id, changed) = (ops.id, ops.changed);
    let mine = LocalResource::new(move || {
        changed.track();
        let signed_in = session.user().is_some();
        let lang = i18n.lang_untracked();
        async move {
            if !signed_in {
                return None;
            }
            Some(session.authorized(|token| api::ops::my_registration(id, lang, token)).await)
        }
    });
    // Redrawn only when the registration itself changes: other people's moves on the event
    // must not wipe what this person is typing below.
    let registration = Memo::new(move |_| mine.get());
    dynamic(move || match registration.get() {
        None | Some(None) => ().into_any(),
        Some(Some(Err(error))) if error.is(ErrorCode::NotFound) => {
            view! { <RegisterPanel ops done=Callback::new(move |()| mine.refetch()) /> }.into_any()
        }
        Some(Some(Err(error))) => view! {
            <aside class="panel ops-aside">
                <LoadError error retry=Callback::new(move |()| mine.refetch()) />
            </aside>
        }
        .into_any(),
        Some(Some(Ok(registration))) => {
            let status = registration.status;
            let position = registration.waitlist_position;
            view! {
                <aside class="panel panel-accent ops-aside" aria-labelledby="registration-heading">
                    <h2 id="registration-heading">{tr(|t| t.ops.registration_heading)}</h2>
                    <p class=format!("status status-{}", status.as_str()) data-testid="registration-status">
                        {move || status.label(i18n.lang())}
                    </p>
                    {position.map(|n| view! { <p>{move || (i18n.t().ops.waitlist_position)(n)}</p> })}
                    {if status == RegistrationStatus::Confirmed {
                        view! { <MyTeam ops /> }.into_any()
                    } else {
                        view! { <p class="muted">{tr(|t| t.ops.team_after_confirmation)}</p> }.into_any()
                    }}
                </aside>
            }
            .into_any()
        }
    })
}

#[component]
fn RegisterPanel(ops: Ops, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let form = FormState::new();
    let skills = RwSignal::new(String::new());
    let interests = RwSignal::new(String::new());
    let looking = RwSignal::new(false);
    let coc = RwSignal::new(false);
    let terms = RwSignal::new(false);
    let id = ops.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = RegisterForEventRequest {
            skills: skills
                .get_untracked()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            interests: interests.get_untracked().trim().to_owned(),
            accept_code_of_conduct: coc.get_untracked(),
            accept_data_terms: terms.get_untracked(),
            looking_for_team: looking.get_untracked(),
        };
        if let Err(issues) = request.validate() {
            return form.refuse(issues);
        }
        let body = json!({
            "skills": request.skills,
            "interests": request.interests,
            "accept_code_of_conduct": true,
            "accept_data_terms": true,
            "looking_for_team": request.looking_for_team,
        });
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match session.authorized(|token| api::ops::register(id, &body, lang, token)).await {
                Ok(_) => {
                    form.done();
                    done.run(());
                }
                Err(error) => form.fail(error),
            }
        });
    };
    let coc_text = move || ops.event.with(|e| e.settings.code_of_conduct.clone());
    view! {
        <aside class="panel panel-accent ops-aside" aria-labelledby="register-heading">
            <h2 id="register-heading">{tr(|t| t.ops.register_heading)}</h2>
            <p>{tr(|t| t.ops.register_lead)}</p>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="register-form">
                <TextField form name="skills" label=|t| t.ops.skills_label hint=|t| t.ops.skills_hint
                    input_type="text" autocomplete="off" value=skills optional=true />
                <TextField form name="interests" label=|t| t.ops.interests_label hint=|t| t.ops.optional
                    input_type="text" autocomplete="off" value=interests optional=true />
                <CheckField form name="looking_for_team" label=|t| t.ops.looking_label checked=looking />
                {dynamic(move || {
                    let text = coc_text();
                    (!text.trim().is_empty())
                        .then(|| view! {
                            <div class="coc" tabindex="0" role="region" aria-label=tr(|t| t.ops.coc_heading)>
                                <h3>{tr(|t| t.ops.coc_heading)}</h3>
                                <RichText source=text heading_base=3 />
                            </div>
                        })
                        .into_any()
                })}
                <CheckField form name="accept_code_of_conduct" label=|t| t.ops.accept_coc checked=coc required=true />
                <CheckField form name="accept_data_terms" label=|t| t.ops.accept_terms checked=terms required=true />
                <SubmitButton form label=|t| t.ops.register_submit pending_label=|t| t.ops.sending />
            </form>
        </aside>
    }
}

/// Copies `text` to the clipboard (quietly nothing where the browser refuses).
fn copy_text(text: &str) {
    let navigator = window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).unwrap_or_default();
    if let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = write.call1(&clipboard, &text.into());
    }
}

#[component]
fn MyTeam(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let id = ops.id;
    let create = FormState::new();
    let join = FormState::new();
    let leave = FormState::new();
    let name = RwSignal::new(String::new());
    let challenge = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let copied = RwSignal::new(false);
    let run = move |form: FormState, rest: String, body: serde_json::Value| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let body = &body;
            let rest = &rest;
            match session.authorized(|token| api::ops::act(id, rest, body, lang, token)).await {
                Ok(()) => {
                    form.done();
                    ops.teams.refetch();
                }
                Err(error) => form.fail(error),
            }
        });
    };
    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !create.begin() {
            return;
        }
        let challenge_id = challenge.get_untracked().parse::<ChallengeId>().ok();
        let request = CreateTeamRequest { name: name.get_untracked(), challenge_id };
        match request.validate() {
            Ok(name) => {
                run(create, "teams".into(), json!({ "name": name, "challenge_id": challenge_id }))
            }
            Err(issues) => create.refuse(issues),
        }
    };
    let on_join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !join.begin() {
            return;
        }
        let invite = code.get_untracked().trim().to_owned();
        if invite.is_empty() {
            let mut issues = Issues::default();
            issues.push("invite_code", FieldCode::Required);
            return join.refuse(issues);
        }
        run(join, "teams/join".into(), json!({ "invite_code": invite }));
    };
    // Only a change of one's own team redraws this part: a new team elsewhere must not wipe
    // what someone is typing in the forms below.
    let mine = Memo::new(move |_| ops.my_team());
    dynamic(move || {
        match mine.get() {
        Some(team) => {
            let invite = team.invite_code.clone().unwrap_or_default();
            let team_id = team.id;
            let me = session.user().map(|u| u.id);
            let captain = team.members.iter().any(|m| Some(m.user_id) == me && m.captain);
            let others: Vec<(String, String)> = team
                .members
                .iter()
                .filter(|m| Some(m.user_id) != me)
                .map(|m| (m.user_id.to_string(), m.display_name.clone()))
                .collect();
            let copy = move |_| {
                copy_text(&invite);
                copied.set(true);
                announcer.say(words(|t| t.ops.copied));
            };
            view! {
                <section class="my-team" aria-labelledby="my-team-heading" data-testid="my-team">
                    <h3 id="my-team-heading">{tr(|t| t.ops.my_team_heading)}</h3>
                    <p class="my-team-name">{team.name.clone()}</p>
                    <p class="muted">{ops.challenge_title(team.challenge_id)}</p>
                    <ul class="members" data-testid="my-team-members">
                        {team
                            .members
                            .iter()
                            .map(|m| view! {
                                <li>
                                    <span>{m.display_name.clone()}</span>
                                    {m.captain.then(|| view! { <span class="tag">{tr(|t| t.ops.captain)}</span> })}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                    {team.invite_code.clone().map(|c| view! {
                        <p class="field-hint">{tr(|t| t.ops.invite_hint)}</p>
                        <p class="invite">
                            <code data-testid="invite-code">{c}</code>
                            <button type="button" class="btn btn-secondary btn-small" on:click=copy>
                                {move || if copied.get() { i18n.t().ops.copied } else { i18n.t().ops.copy }}
                            </button>
                        </p>
                    })}
                    <FormBanner form=leave />
                    <button type="button" class="btn btn-ghost btn-small" disabled=move || leave.is_pending()
                        on:click=move |_| if leave.begin() { run(leave, format!("teams/{team_id}/leave"), json!({})) }>
                        {tr(|t| t.ops.leave_team)}
                    </button>
                    {captain.then(|| view! { <CaptainTools ops team_id others /> })}
                </section>
            }
            .into_any()
        }
        None => view! {
            <section aria-labelledby="create-team-heading">
                <h3 id="create-team-heading">{tr(|t| t.ops.create_team_heading)}</h3>
                <FormBanner form=create />
                <form class="form" novalidate=true on:submit=on_create data-testid="create-team-form">
                    <TextField form=create name="name" label=|t| t.ops.team_name_label
                        input_type="text" autocomplete="off" value=name />
                    <div class="field">
                        <label for="field-challenge_id">{tr(|t| t.ops.challenge_label)}</label>
                        <select id="field-challenge_id" bind:value=challenge>
                            <option value="">{tr(|t| t.ops.challenge_later)}</option>
                            {move || ops.challenge_options()}
                        </select>
                    </div>
                    <SubmitButton form=create label=|t| t.ops.create_team_submit pending_label=|t| t.ops.sending />
                </form>
            </section>
            <section aria-labelledby="join-team-heading">
                <h3 id="join-team-heading">{tr(|t| t.ops.join_team_heading)}</h3>
                <FormBanner form=join />
                <form class="form" novalidate=true on:submit=on_join data-testid="join-team-form">
                    <TextField form=join name="invite_code" label=|t| t.ops.invite_code_label
                        input_type="text" autocomplete="off" value=code />
                    <SubmitButton form=join label=|t| t.ops.join_submit pending_label=|t| t.ops.sending />
                </form>
            </section>
            <AskToJoin ops />
        }
        .into_any(),
    }
    })
}

/// What only a captain may do: hand the captaincy to a teammate, or dissolve the team.
#[component]
fn CaptainTools(ops: Ops, team_id: uuid::Uuid, others: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let next = RwSignal::new(others.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let confirming = RwSignal::new(false);
    let done = move |said: fn(&Texts) -> &'static str| {
        confirming.set(false);
        ops.teams.refetch();
        announcer.say(said(i18n.texts_untracked()));
    };
    let hand_over = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let body = json!({ "user_id": next.get_untracked() });
        let lang = i18n.lang_untracked();
        let rest = format!("teams/{team_id}/captain");
        form.send(
            session,
            move |token| {
                let (body, rest) = (body.clone(), rest.clone());
                async move { api::ops::act(ops.id, &rest, &body, lang, token).await }
            },
            move |()| done(|t| t.ops.captain_handed_over),
        );
    };
    let dissolve = move |_| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| async move { api::manage::dissolve_team(ops.id, team_id, lang, token).await },
            move |()| done(|t| t.ops.team_dissolved),
        );
    };
    let has_others = !others.is_empty();
    view! {
        <div class="captain-tools" data-testid="captain-tools">
            <JoinRequests ops team_id />
            <FormBanner form />
            {has_others.then(|| view! {
                <form class="form form-inline" novalidate=true on:submit=hand_over data-testid="hand-over-form">
                    <SelectField form name="user_id" label=|t| t.ops.new_captain_label value=next>
                        {others.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                    </SelectField>
                    <button type="submit" class="btn btn-secondary btn-small" disabled=move || form.is_pending()>
                        {tr(|t| t.ops.hand_over)}
                    </button>
                </form>
            })}
            {move || if confirming.get() {
                view! {
                    <div class="confirm-box" role="alertdialog" aria-labelledby="dissolve-title">
                        <p class="alert-title" id="dissolve-title">{tr(|t| t.ops.dissolve_confirm)}</p>
                        <div class="confirm-actions">
                            <button type="button" class="btn btn-danger" disabled=move || form.is_pending() on:click=dissolve>
                                {tr(|t| t.ops.dissolve_yes)}
                            </button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| confirming.set(false)>
                                {tr(|t| t.ops.cancel)}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-ghost btn-small btn-danger-text" on:click=move |_| confirming.set(true)>
                        {tr(|t| t.ops.dissolve)}
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}

/// People looking for a team, filtered by a skill: where captains find teammates.
#[component]
pub fn Seekers(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let skill = RwSignal::new(String::new());
    let seekers = LocalResource::new(move || {
        ops.changed.track();
        let skill = skill.get();
        let lang = i18n.lang_untracked();
        async move {
            session.user()?;
            Some(session.authorized(|token| api::ops::seekers(ops.id, &skill, lang, token)).await)
        }
    });
    let list = move || {
        match seekers.get() {
        None | Some(None) => ().into_any(),
        Some(Some(Err(error))) => view! { <LoadError error retry=Callback::new(move |()| seekers.refetch()) /> }.into_any(),
        Some(Some(Ok(list))) if list.items.is_empty() => {
            view! { <p class="muted">{tr(|t| t.ops.seekers_empty)}</p> }.into_any()
        }
        Some(Some(Ok(list))) => view! {
            <ul class="seekers" data-testid="seekers">
                {list.items.into_iter().map(|p| view! {
                    <li>
                        <p class="setup-item-title">{p.display_name}</p>
                        <p class="skills">{p.skills.into_iter().map(|s| view! { <span class="tag">{s}</span> }).collect_view()}</p>
                        {(!p.interests.is_empty()).then(|| view! { <p class="muted">{p.interests}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    move || {
        session.user().is_some().then(|| view! {
            <section class="panel" aria-labelledby="seekers-heading" data-testid="seekers-board">
                <h2 id="seekers-heading">{tr(|t| t.ops.seekers_heading)}</h2>
                <div class="field">
                    <label for="seekers-skill">{tr(|t| t.ops.seekers_filter)}</label>
                    <input id="seekers-skill" type="search" autocomplete="off"
                        on:change=move |ev| skill.set(event_target_value(&ev)) />
                </div>
                {dynamic(list)}
            </section>
        })
    }
}

/// A participant without a team asks a team's captain to let them in, and follows their
/// requests (withdrawing one that still waits).
#[component]
fn AskToJoin(ops: Ops) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let team = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let mine = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move { session.authorized(|token| api::ops::my_join_requests(ops.id, lang, token)).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = CreateJoinRequest { message: message.get_untracked() };
        let chosen = team.get_untracked();
        let mut issues = request.validate().err().unwrap_or_default();
        if chosen.is_empty() {
            issues.push("team", FieldCode::Required);
        }
        if !issues.is_empty() {
            return form.refuse(issues);
        }
        let body = json!({ "message": request.message.trim() });
        let rest = format!("teams/{chosen}/requests");
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let (body, rest) = (body.clone(), rest.clone());
                async move { api::ops::act(ops.id, &rest, &body, lang, token).await }
            },
            move |()| {
                message.set(String::new());
                mine.refetch();
                announcer.say(words(|t| t.ops.request_sent));
            },
        );
    };
    let withdraw = move |r: JoinRequestDto| {
        if !form.begin() {
            return;
        }
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| async move {
                api::ops::withdraw_join_request(ops.id, r.team_id, r.id, lang, token).await
            },
            move |()| mine.refetch(),
        );
    };
    // Teams with a free seat.
    let options = move || {
        let max = ops.event.with(|e| e.settings.team_max as usize);
        ops.teams.with(|t| {
            t.as_ref().and_then(|t| t.as_ref().ok()).map(|list| {
                list.items
                    .iter()
                    .filter(|t| t.members.len() < max)
                    .map(|t| {
                        let id = t.id.to_string();
                        let chosen = id.clone();
                        view! {
                            <option value=id selected=move || team.with(|v| *v == chosen)>{t.name.clone()}</option>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let requests = move || {
        let items = mine.get().and_then(Result::ok).map(|l| l.items).unwrap_or_default();
        (!items.is_empty()).then(|| {
            view! {
                <ul class="setup-list" data-testid="my-join-requests">
                    {items
                        .into_iter()
                        .map(|r| {
                            let status = r.status;
                            let pending = status == JoinRequestStatus::Pending;
                            let team_name = r.team_name.clone();
                            view! {
                                <li>
                                    <div>
                                        <p class="setup-item-title">{team_name}</p>
                                        <p class="muted">{move || status.label(i18n.lang())}</p>
                                    </div>
                                    {pending.then(|| view! {
                                        <button type="button" class="btn btn-ghost btn-small"
                                            on:click=move |_| withdraw(r.clone())>{tr(|t| t.ops.withdraw)}</button>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    view! {
        <section aria-labelledby="ask-team-heading">
            <h3 id="ask-team-heading">{tr(|t| t.ops.ask_heading)}</h3>
            <FormBanner form />
            <form class="form" novalidate=true on:submit=submit data-testid="ask-team-form">
                <SelectField form name="team" label=|t| t.ops.team_label value=team>
                    <option value="">{tr(|t| t.ops.choose_team)}</option>
                    {options}
                </SelectField>
                <TextField form name="message" label=|t| t.ops.message_label hint=|t| t.ops.optional
                    input_type="text" autocomplete="off" value=message optional=true rows=2 />
                <SubmitButton form label=|t| t.ops.ask_submit pending_label=|t| t.ops.sending />
            </form>
            {dynamic(move || requests().into_any())}
        </section>
    }
}

/// The captain's queue of requests to join: accept (a seat permitting) or decline.
#[component]
fn JoinRequests(ops: Ops, team_id: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let form = FormState::new();
    let pending = LocalResource::new(move || {
        ops.changed.track();
        let lang = i18n.lang_untracked();
        async move {
            session
                .authorized(|token| api::ops::team_join_requests(ops.id, team_id, lang, token))
                .await
        }
    });
    let decide = move |request: uuid::Uuid, decision: &'static str| {
        if !form.begin() {
            return;
        }
        let rest = format!("teams/{team_id}/requests/{request}/{decision}");
        let lang = i18n.lang_untracked();
        form.send(
            session,
            move |token| {
                let rest = rest.clone();
                async move { api::ops::act(ops.id, &rest, &json!({}), lang, token).await }
            },
            move |()| {
                pending.refetch();
                ops.teams.refetch();
                announcer.say(words(if decision == "accept" {
                    |t| t.ops.request_accepted
                } else {
                    |t| t.ops.request_declined
                }));
            },
        );
    };
    let list = move || {
        let items = pending.get().and_then(Result::ok).map(|l| l.items).unwrap_or_default();
        (!items.is_empty()).then(|| {
            view! {
                <section aria-labelledby="requests-heading">
                    <h3 id="requests-heading">{tr(|t| t.ops.requests_heading)}</h3>
                    <FormBanner form />
                    <ul class="setup-list" data-testid="join-requests">
                        {items
                            .into_iter()
                            .map(|r| {
                                let id = r.id;
                                view! {
                                    <li>
                                        <div>
                                            <p class="setup-item-title">{r.display_name.clone()}</p>
                                            {(!r.message.is_empty()).then(|| view! { <p class="muted">{r.message.clone()}</p> })}
                                        </div>
                                        <div class="setup-actions">
                                            <button type="button" class="btn btn-primary btn-small" disabled=move || form.is_pending()
                                                on:click=move |_| decide(id, "accept")>{tr(|t| t.ops.accept)}</button>
                                            <button type="button" class="btn btn-ghost btn-small" disabled=move || form.is_pending()
                                                on:click=move |_| decide(id, "decline")>{tr(|t| t.setup.decline)}</button>
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    };
    dynamic(move || list().into_any())
}

/// Asks the announcements to load again (as a live update would).
fn news_refetch(counter: RwSignal<u32>) {
    counter.update(|n| *n += 1);
}
