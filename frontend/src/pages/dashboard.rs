//! "My events": every event the signed-in person organises, judges or registered for, with
//! their registration, their team and its invite code, the challenge and the newest notice.

use crate::api;
use crate::components::dynamic;
use crate::components::phase_badge::PhaseBadge;
use crate::components::rich_text::RichText;
use crate::components::status::{use_title, LoadError, Loading, SignInFirst};
use crate::format::{date_range, Detail};
use crate::i18n::{tr, use_i18n};
use crate::session::use_session;
use hackops_shared::auth::EventRole;
use hackops_shared::dashboard::MyEventDto;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    use_title(move || i18n.t().setup.dashboard_title.to_owned());
    let events = session.resource(i18n, |token, lang| api::manage::my_events(lang, token));
    let body = move || match events.get() {
        _ if !session.is_ready() => view! { <Loading label=|t| t.checking_session /> }.into_any(),
        Some(None) => view! { <SignInFirst /> }.into_any(),
        None => view! { <Loading label=|t| t.loading cards=2 /> }.into_any(),
        Some(Some(Err(error))) => {
            view! { <LoadError error retry=Callback::new(move |()| events.refetch()) /> }.into_any()
        }
        Some(Some(Ok(list))) if list.items.is_empty() => view! {
            <div class="empty-state" data-testid="dashboard-empty">
                <p>{tr(|t| t.setup.dashboard_empty)}</p>
                <a class="btn btn-secondary" href="/">{tr(|t| t.back_to_events)}</a>
            </div>
        }
        .into_any(),
        Some(Some(Ok(list))) => view! {
            <ul class="my-events" data-testid="my-events">
                {list.items.into_iter().map(|item| view! { <MyEvent item /> }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <div class="event-hero">
            <div class="container page-head">
                <div>
                    <h1>{tr(|t| t.setup.dashboard_title)}</h1>
                    <p class="lead">{tr(|t| t.setup.dashboard_lead)}</p>
                </div>
                <a class="btn btn-accent" href="/events/new">{tr(|t| t.setup.create_event)}</a>
            </div>
        </div>
        <div class="container section">{dynamic(body)}</div>
    }
}

#[component]
fn MyEvent(item: MyEventDto) -> impl IntoView {
    let i18n = use_i18n();
    let MyEventDto { event, roles, registration, team, challenge_title, latest_announcement } =
        item;
    let id = event.id;
    let (start, end, zone) = (event.starts_at, event.ends_at, event.timezone.clone());
    let dates = move || date_range(start, end, i18n.t().locale, &zone, Detail::Days);
    let organiser = roles.contains(&EventRole::Organiser);
    view! {
        <li class="panel my-event" data-testid="my-event">
            <div class="my-event-head">
                <div>
                    <h2><a href=format!("/events/{id}")>{event.title.clone()}</a></h2>
                    <p class="muted">{dates} " · " {event.organisation.name.clone()}</p>
                </div>
                <div class="my-event-badges">
                    <PhaseBadge phase=event.phase />
                    {roles
                        .iter()
                        .map(|role| {
                            let role = *role;
                            view! { <span class="tag">{move || role.label(i18n.lang())}</span> }
                        })
                        .collect_view()}
                </div>
            </div>
            <dl class="my-event-facts">
                {registration.map(|r| {
                    let status = r.status;
                    view! {
                        <div>
                            <dt>{tr(|t| t.ops.registration_heading)}</dt>
                            <dd>
                                <span class=format!("status status-{}", status.as_str())>{move || status.label(i18n.lang())}</span>
                                {r.waitlist_position.map(|n| view! { " " <span class="muted">{move || (i18n.t().ops.waitlist_position)(n)}</span> })}
                            </dd>
                        </div>
                    }
                })}
                {team.map(|team| view! {
                    <div>
                        <dt>{tr(|t| t.ops.my_team_heading)}</dt>
                        <dd data-testid="dashboard-team">
                            <strong>{team.name.clone()}</strong>
                            {team.invite_code.clone().map(|code| view! {
                                " · " {tr(|t| t.ops.invite_code_label)} " " <code>{code}</code>
                            })}
                        </dd>
                    </div>
                    <div>
                        <dt>{tr(|t| t.ops.challenge_label)}</dt>
                        <dd>{challenge_title.clone().unwrap_or_else(|| i18n.t().ops.no_challenge.to_owned())}</dd>
                    </div>
                })}
            </dl>
            {latest_announcement.map(|a| view! {
                <div class="my-event-notice">
                    <p class="kicker">{tr(|t| t.setup.latest_announcement)}</p>
                    <RichText source=a.body heading_base=3 />
                </div>
            })}
            <p class="my-event-links">
                <a class="btn btn-secondary btn-small" href=format!("/events/{id}")>{tr(|t| t.setup.open_event)}</a>
                {organiser.then(|| view! {
                    <a class="btn btn-accent btn-small" href=format!("/events/{id}/manage")>{tr(|t| t.ops.manage_link)}</a>
                })}
            </p>
        </li>
    }
}
