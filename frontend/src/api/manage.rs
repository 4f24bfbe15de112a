//! What organisers set up (organisations, events, settings, challenges, agenda, the
//! moderation queue) and the dashboard of a signed-in person.
//!
//! Bodies are `serde_json::Value`s (see `ops`): no DTO gets a serialiser of its own.

use super::{get, post, write, write_empty, ApiError, Verb};
use hackops_shared::dashboard::MyEventList;
use hackops_shared::events::{
    AgendaItemDto, ChallengeDto, EventDto, ScheduledTransitionDto, ScheduledTransitionList,
};
use hackops_shared::ids::{ChallengeId, EventId};
use hackops_shared::lang::Lang;
use hackops_shared::organisations::{OrganisationDto, OrganisationList};
use hackops_shared::registrations::{RegistrationDto, RegistrationList};
use serde_json::Value;
use std::fmt::Display;

fn path(event: EventId, rest: &str) -> String {
    format!("/events/{event}/{rest}")
}

pub async fn my_events(lang: Lang, token: String) -> Result<MyEventList, ApiError> {
    get("/me/events", lang, Some(&token)).await
}

pub async fn create_organisation(
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<OrganisationDto, ApiError> {
    post("/organisations", body, lang, Some(&token)).await
}

pub async fn create_event(body: &Value, lang: Lang, token: String) -> Result<EventDto, ApiError> {
    post("/events", body, lang, Some(&token)).await
}

pub async fn update_event(
    event: EventId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<EventDto, ApiError> {
    write(Verb::Patch, &format!("/events/{event}"), Some(body), lang, Some(&token)).await
}

pub async fn update_settings(
    event: EventId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<EventDto, ApiError> {
    write(Verb::Put, &path(event, "settings"), Some(body), lang, Some(&token)).await
}

/// Adds a challenge (`challenge` is `None`) or replaces one.
pub async fn save_challenge(
    event: EventId,
    challenge: Option<ChallengeId>,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<ChallengeDto, ApiError> {
    match challenge {
        None => post(&path(event, "challenges"), body, lang, Some(&token)).await,
        Some(c) => {
            write(
                Verb::Put,
                &path(event, &format!("challenges/{c}")),
                Some(body),
                lang,
                Some(&token),
            )
            .await
        }
    }
}

pub async fn delete_challenge(
    event: EventId,
    challenge: impl Display,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let path = path(event, &format!("challenges/{challenge}"));
    write_empty::<Value>(Verb::Delete, &path, None, lang, Some(&token)).await
}

pub async fn add_agenda_item(
    event: EventId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<AgendaItemDto, ApiError> {
    post(&path(event, "agenda"), body, lang, Some(&token)).await
}

pub async fn remove_agenda_item(
    event: EventId,
    item: impl Display,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let path = path(event, &format!("agenda/{item}"));
    write_empty::<Value>(Verb::Delete, &path, None, lang, Some(&token)).await
}

pub async fn registrations(
    event: EventId,
    lang: Lang,
    token: String,
) -> Result<RegistrationList, ApiError> {
    get(&path(event, "registrations"), lang, Some(&token)).await
}

/// `decision` is `approve` or `reject`.
pub async fn decide(
    event: EventId,
    registration: impl Display,
    decision: &str,
    lang: Lang,
    token: String,
) -> Result<RegistrationDto, ApiError> {
    let rest = format!("registrations/{registration}/{decision}");
    post(&path(event, &rest), &serde_json::json!({}), lang, Some(&token)).await
}

/// Dissolves a team (its captain) — the page learns the rest from the live topic.
pub async fn dissolve_team(
    event: EventId,
    team: impl Display,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let path = path(event, &format!("teams/{team}"));
    write_empty::<Value>(Verb::Delete, &path, None, lang, Some(&token)).await
}

pub async fn organisations(lang: Lang) -> Result<OrganisationList, ApiError> {
    get("/organisations", lang, None).await
}

/// The organisations the signed-in person organises for.
pub async fn my_organisations(lang: Lang, token: String) -> Result<Vec<OrganisationDto>, ApiError> {
    let me = super::auth::me(lang, &token).await?;
    let all = organisations(lang).await?;
    Ok(all.items.into_iter().filter(|o| me.organisations.contains(&o.id)).collect())
}

/// Scheduled phase changes, pending and past.
pub async fn transitions(
    event: EventId,
    lang: Lang,
    token: String,
) -> Result<ScheduledTransitionList, ApiError> {
    get(&path(event, "transitions"), lang, Some(&token)).await
}

pub async fn schedule(
    event: EventId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<ScheduledTransitionDto, ApiError> {
    post(&path(event, "transitions"), body, lang, Some(&token)).await
}

pub async fn cancel_transition(
    event: EventId,
    transition: impl Display,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let path = path(event, &format!("transitions/{transition}"));
    write_empty::<Value>(Verb::Delete, &path, None, lang, Some(&token)).await
}

pub async fn remove_announcement(
    event: EventId,
    announcement: impl Display,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let path = path(event, &format!("announcements/{announcement}"));
    write_empty::<Value>(Verb::Delete, &path, None, lang, Some(&token)).await
}
