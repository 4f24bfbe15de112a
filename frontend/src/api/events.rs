//! Public reads of events and their challenges.

use super::{encode, get, ApiError};
use hackops_shared::events::{ChallengeList, EventDto, EventList};
use hackops_shared::lang::Lang;

pub async fn list(lang: Lang) -> Result<EventList, ApiError> {
    get("/events", lang, None).await
}

/// One event; with a token, also a draft its organisers and judges may see.
pub async fn one(id: &str, lang: Lang, token: Option<String>) -> Result<EventDto, ApiError> {
    get(&format!("/events/{}", encode(id)), lang, token.as_deref()).await
}

pub async fn challenges(
    id: &str,
    lang: Lang,
    token: Option<String>,
) -> Result<ChallengeList, ApiError> {
    get(&format!("/events/{}/challenges", encode(id)), lang, token.as_deref()).await
}
