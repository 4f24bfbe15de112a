//! Public reads of events and their challenges.

use super::{get, ApiError};
use hackops_shared::events::{ChallengeList, EventDto, EventList};
use hackops_shared::lang::Lang;

pub async fn list(lang: Lang) -> Result<EventList, ApiError> {
    get("/events", lang, None).await
}

pub async fn one(id: &str, lang: Lang) -> Result<EventDto, ApiError> {
    get(&format!("/events/{}", encode_segment(id)), lang, None).await
}

pub async fn challenges(id: &str, lang: Lang) -> Result<ChallengeList, ApiError> {
    get(&format!("/events/{}/challenges", encode_segment(id)), lang, None).await
}

/// Keeps a path segment taken from the address bar from reaching another route.
fn encode_segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
