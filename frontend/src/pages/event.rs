use crate::api;
use crate::components::dynamic;
use crate::components::phase_badge::PhaseBadge;
use crate::components::rich_text::RichText;
use crate::components::status::{set_title, use_announcer, use_title, LoadError, Loading};
use crate::format::{date_range, Detail};
use crate::i18n::{tr, use_i18n};
use crate::pages::event_ops::{News, Ops, OpsAside, OpsBoard, OpsHero, Seekers};
use crate::pages::handout::TeamDatasets;
use crate::pages::not_found::NotFound;
use crate::realtime::use_topic;
use crate::session::use_session;
use hackops_shared::auth::EventRole;
use hackops_shared::error::ErrorCode;
use hackops_shared::events::{ChallengeDto, EventDto, EventPhase};
use hackops_shared::ws::Topic;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());

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
    // The signed-in person's role in this event, from /me (refreshing the token if needed).
    let role = LocalResource::new(move || {
        let user = signed_in.get();
        let id = id.get();
        async move {
            user?;
            let lang = i18n.lang_untracked();
            let me = session
                .authorized(|token| async move { api::auth::me(lang, &token).await })
                .await
                .ok()?;
            me.event_roles.into_iter().find(|r| r.event_id.to_string() == id).map(|r| r.role)
        }
    });

    use_title(move || match event.get() {
        Some(Ok(e)) => e.title,
        Some(Err(e)) if e.is(ErrorCode::NotFound) => i18n.t().event_not_found_title.to_owned(),
        _ => i18n.t().loading.to_owned(),
    });

    let retry = Callback::new(move |()| {
        event.refetch();
        challenges.refetch();
    });

    dynamic(move || match event.get() {
        Some(Ok(e)) => view! {
            <EventView event=e challenges role=Signal::derive(move || role.get().flatten()) />
        }
        .into_any(),
        // A draft answers "not found" until the restored session's token comes along.
        Some(Err(error)) if session.is_ready() && error.is(ErrorCode::NotFound) => {
            view! { <NotFound title=|t| t.event_not_found_title text=|t| t.event_not_found_text /> }
                .into_any()
        }
        Some(Err(error)) if session.is_ready() => view! {
            <div class="container section">
                <LoadError error retry />
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="container section">
                <Loading label=|t| t.event_loading />
            </div>
        }
        .into_any(),
    })
}

/// One event, as the REST call gave it and then as it changes: the page follows the event's
/// topic and every part below shows its newest state.
#[component]
fn EventView(
    event: EventDto,
    challenges: LocalResource<Result<hackops_shared::events::ChallengeList, api::ApiError>>,
    role: Signal<Option<EventRole>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let live = use_topic::<EventDto>(Topic::Event(event.id));
    // The newest state: the live one once it has come, else the REST answer. Equal states
    // (the first snapshot, usually) change nothing on the page.
    let event = Memo::new(move |_| live.get().unwrap_or_else(|| event.clone()));
    let ops = Ops::new(event, challenges);
    let text = move |pick: fn(&EventDto) -> String| move || event.with(pick);
    let title = text(|e| e.title.clone());
    let dates = move || {
        event.with(|e| {
            date_range(e.starts_at, e.ends_at, i18n.t().locale, &e.timezone, Detail::DaysAndTimes)
        })
    };
    let show_join = move || session.is_ready() && session.user().is_none();

    // A change made elsewhere: the tab's title follows, the challenges are read again when
    // their number moved, and screen readers hear of it when what the page shows changed
    // (not for each new registration, which also changes the event's state).
    Effect::new(move |before: Option<(Shown, u32)>| {
        let (shown, count) = event.with(|e| (Shown::of(e), e.challenge_count));
        set_title(&shown.0);
        if let Some((shown_before, count_before)) = before {
            if count_before != count {
                challenges.refetch();
            }
            if shown_before != shown {
                announcer.say(i18n.texts_untracked().event_updated);
            }
        }
        (shown, count)
    });

    let challenge_list = dynamic(move || match challenges.get() {
        None => view! { <Loading label=|t| t.challenges_loading /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |()| challenges.refetch());
            view! { <LoadError error retry /> }.into_any()
        }
        Some(Ok(list)) if list.items.is_empty() => view! {
            <p class="empty-state">{tr(|t| t.challenges_empty)}</p>
        }
        .into_any(),
        Some(Ok(list)) => {
            let mut items = list.items;
            items.sort_by_key(|c| c.position);
            view! {
                <ol class="challenge-list" data-testid="challenge-list">
                    {items.into_iter().map(|c| view! { <ChallengeCard challenge=c /> }).collect_view()}
                </ol>
            }
            .into_any()
        }
    });

    view! {
        <div class="event-hero">
            <div class="container">
                <nav class="breadcrumb" aria-label=tr(|t| t.breadcrumb)>
                    <ol>
                        <li>
                            <a href="/">{tr(|t| t.all_events)}</a>
                        </li>
                        <li aria-current="page">{title}</li>
                    </ol>
                </nav>
                <p class="event-org">
                    <span>{tr(|t| t.organised_by)}</span>
                    " "
                    <strong>{text(|e| e.organisation.name.clone())}</strong>
                </p>
                <h1>{title}</h1>
                <p class="event-badges">
                    {dynamic(move || view! { <PhaseBadge phase=event.with(|e| e.phase) /> }.into_any())}
                    {dynamic(move || {
                        role.get()
                            .map(|r| {
                                view! {
                                    <span class="badge badge-role">
                                        {tr(|t| t.your_role)} {tr(|t| t.colon)}
                                        {move || r.label(i18n.lang())}
                                    </span>
                                }
                            })
                            .into_any()
                    })}
                </p>
                <OpsHero ops role />
            </div>
        </div>
        <div class="container event-layout">
            <dl class="facts panel" aria-label=tr(|t| t.key_facts)>
                <div>
                    <dt>{tr(|t| t.event_phase)}</dt>
                    <dd>{move || event.with(|e| e.phase).label(i18n.lang())}</dd>
                </div>
                <div>
                    <dt>{tr(|t| t.event_dates)}</dt>
                    <dd>{dates}</dd>
                </div>
                <div>
                    <dt>{tr(|t| t.event_timezone)}</dt>
                    <dd>{text(|e| e.timezone.replace('_', " "))}</dd>
                </div>
                <div>
                    <dt>{tr(|t| t.event_venue)}</dt>
                    <dd>
                        {dynamic(move || match event.with(|e| (e.venue.clone(), e.online)) {
                            (Some(v), false) => v.into_any(),
                            (Some(v), true) => view! { {v} <br /> {tr(|t| t.online_too)} }.into_any(),
                            (None, true) => view! { {tr(|t| t.online)} }.into_any(),
                            (None, false) => view! { <span class="muted">{tr(|t| t.venue_tba)}</span> }.into_any(),
                        })}
                    </dd>
                </div>
            </dl>
            <div class="event-main">
                <News ops />
                <section class="panel" aria-labelledby="about-heading">
                    <h2 id="about-heading">{tr(|t| t.about_event)}</h2>
                    {dynamic(move || {
                        let description = event.with(|e| e.description.clone());
                        if description.trim().is_empty() {
                            view! { <p class="muted">{tr(|t| t.no_description)}</p> }.into_any()
                        } else {
                            view! { <RichText source=description /> }.into_any()
                        }
                    })}
                </section>
                <section class="event-challenges" aria-labelledby="challenges-heading">
                    <h2 id="challenges-heading">
                        {tr(|t| t.challenges_heading)}
                        <span class="count-pill">{text(|e| e.challenge_count.to_string())}</span>
                    </h2>
                    {challenge_list}
                </section>
                <TeamDatasets ops />
                <OpsBoard ops />
                <Seekers ops />
            </div>
            <OpsAside ops />
            {dynamic(move || {
                show_join()
                    .then(|| {
                        view! {
                            <aside class="panel panel-accent join-box" aria-labelledby="join-heading">
                                <h2 id="join-heading">{tr(|t| t.join_cta_title)}</h2>
                                <p>{tr(|t| t.join_cta_text)}</p>
                                <a href="/sign-up" class="btn btn-primary btn-block">
                                    {tr(|t| t.home_cta_sign_up)}
                                </a>
                                <p class="auth-switch">
                                    {tr(|t| t.have_account)}
                                    " "
                                    <a href="/sign-in">{tr(|t| t.sign_in_link)}</a>
                                </p>
                            </aside>
                        }
                    })
                    .into_any()
            })}
        </div>
    }
    .into_any()
}

/// What the page shows of an event, to tell a visible change from another one: title,
/// description, venue, dates (as seconds) and phase.
#[derive(PartialEq)]
struct Shown(String, String, Option<String>, i64, i64, EventPhase);

impl Shown {
    fn of(e: &EventDto) -> Self {
        let (start, end) = (e.starts_at.unix_timestamp(), e.ends_at.unix_timestamp());
        Shown(e.title.clone(), e.description.clone(), e.venue.clone(), start, end, e.phase)
    }
}

#[component]
fn ChallengeCard(challenge: ChallengeDto) -> impl IntoView {
    let has_details = !challenge.description.trim().is_empty();
    view! {
        <li class="challenge-card">
            <h3>{challenge.title.clone()}</h3>
            <p class="challenge-summary">{challenge.summary.clone()}</p>
            {challenge
                .prize
                .clone()
                .map(|prize| {
                    view! {
                        <p class="challenge-prize">
                            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                                <path d="M8 4h8v5a4 4 0 0 1-8 0zM8 6H5a3 3 0 0 0 3 4M16 6h3a3 3 0 0 1-3 4M12 13v4M8 20h8" />
                            </svg>
                            <span>
                                <strong>{tr(|t| t.prize)} {tr(|t| t.colon)}</strong>
                                {prize}
                            </span>
                        </p>
                    }
                })}
            {has_details
                .then(|| {
                    view! {
                        <details class="challenge-details">
                            <summary>{tr(|t| t.challenge_details)}</summary>
                            <RichText source=challenge.description.clone() heading_base=3 />
                        </details>
                    }
                })}
        </li>
    }
}
