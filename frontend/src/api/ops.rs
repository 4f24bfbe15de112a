//! Event operations: agenda, announcements, registration, teams, the control room.
//!
//! Request bodies are written with `json!` (the `Value` serialiser is already in the WASM,
//! so no DTO gets a serialiser of its own); answers are the contract's DTOs.

use super::{encode, get, post, post_empty, send, url, with_headers, write_empty, ApiError, Verb};
use gloo_net::http::Request;
use hackops_shared::announcements::AnnouncementList;
use hackops_shared::events::{AgendaList, EventPhase};
use hackops_shared::ids::EventId;
use hackops_shared::lang::Lang;
use hackops_shared::registrations::{EventStats, RegistrationDto};
use hackops_shared::teams::{JoinRequestList, TeamList, TeamSeekerList};
use serde_json::{json, Value};

fn path(event: EventId, rest: &str) -> String {
    format!("/events/{event}/{rest}")
}

/// The agenda; the token lets organisers read the agenda of a draft.
pub async fn agenda(
    event: EventId,
    lang: Lang,
    token: Option<String>,
) -> Result<AgendaList, ApiError> {
    get(&path(event, "agenda"), lang, token.as_deref()).await
}

/// What the caller may see (the token unlocks participants' and challenges' notices).
pub async fn announcements(
    event: EventId,
    lang: Lang,
    token: Option<String>,
) -> Result<AnnouncementList, ApiError> {
    get(&path(event, "announcements"), lang, token.as_deref()).await
}

/// The teams; the caller's own team carries its invite code.
pub async fn teams(
    event: EventId,
    lang: Lang,
    token: Option<String>,
) -> Result<TeamList, ApiError> {
    get(&path(event, "teams"), lang, token.as_deref()).await
}

pub async fn my_registration(
    event: EventId,
    lang: Lang,
    token: String,
) -> Result<RegistrationDto, ApiError> {
    get(&path(event, "registrations/me"), lang, Some(&token)).await
}

pub async fn stats(event: EventId, lang: Lang, token: String) -> Result<EventStats, ApiError> {
    get(&path(event, "stats"), lang, Some(&token)).await
}

/// A POST whose answer the page does not need (the live topics bring the new state).
pub async fn act(
    event: EventId,
    rest: &str,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    post_empty(&path(event, rest), body, lang, Some(&token)).await
}

pub async fn register(
    event: EventId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<RegistrationDto, ApiError> {
    post(&path(event, "registrations"), body, lang, Some(&token)).await
}

pub async fn change_phase(
    event: EventId,
    phase: EventPhase,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    act(event, "phase", &json!({ "phase": phase.as_str() }), lang, token).await
}

/// A CSV export, as text (`registrations.csv`, `teams.csv`).
pub async fn csv(
    event: EventId,
    file: &str,
    lang: Lang,
    token: String,
) -> Result<String, ApiError> {
    let request = with_headers(Request::get(&url(&path(event, file))), lang, Some(&token)).build();
    let response = send(request).await?;
    let status = response.status();
    response.text().await.map_err(|_| ApiError::Unexpected { status })
}

/// Confirmed participants looking for a team, with a skill containing `skill` (all when empty).
pub async fn seekers(
    event: EventId,
    skill: &str,
    lang: Lang,
    token: String,
) -> Result<TeamSeekerList, ApiError> {
    let query = encode(skill.trim());
    get(&path(event, &format!("seekers?skill={query}")), lang, Some(&token)).await
}

/// The caller's requests to join a team, newest first, whatever their status.
pub async fn my_join_requests(
    event: EventId,
    lang: Lang,
    token: String,
) -> Result<JoinRequestList, ApiError> {
    get(&path(event, "teams/requests/mine"), lang, Some(&token)).await
}

/// The pending requests to join a team (its captain).
pub async fn team_join_requests(
    event: EventId,
    team: uuid::Uuid,
    lang: Lang,
    token: String,
) -> Result<JoinRequestList, ApiError> {
    get(&path(event, &format!("teams/{team}/requests")), lang, Some(&token)).await
}

/// Takes back one's own request.
pub async fn withdraw_join_request(
    event: EventId,
    team: uuid::Uuid,
    request: uuid::Uuid,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let rest = format!("teams/{team}/requests/{request}");
    write_empty::<Value>(Verb::Delete, &path(event, &rest), None, lang, Some(&token)).await
}
