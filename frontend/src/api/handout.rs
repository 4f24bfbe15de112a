//! The datasets handed out to teams (with the licence to accept and signed download links),
//! the organisers' attachments of datasets to challenges, and per-team download counts.

use super::{get, post, write, write_empty, ApiError, Verb};
use hackops_shared::handout::{
    ChallengeDatasetDto, DownloadLinkDto, HandoutDatasetDto, HandoutDto, TeamDownloadList,
};
use hackops_shared::ids::{ChallengeId, EventId};
use hackops_shared::lang::Lang;
use serde_json::{json, Value};

fn path(event: EventId, rest: &str) -> String {
    format!("/events/{event}/{rest}")
}

/// The caller's hand-out: their team's released datasets (organisers: every attachment).
pub async fn handout(event: EventId, lang: Lang, token: String) -> Result<HandoutDto, ApiError> {
    get(&path(event, "handout"), lang, Some(&token)).await
}

pub async fn accept(
    event: EventId,
    dataset: &str,
    lang: Lang,
    token: String,
) -> Result<HandoutDatasetDto, ApiError> {
    let body = json!({ "accept_licence": true, "accept_data_terms": true });
    post(&path(event, &format!("handout/{dataset}/accept")), &body, lang, Some(&token)).await
}

/// A signed link, valid a few minutes, to download one resource.
pub async fn link(
    event: EventId,
    dataset: &str,
    resource: uuid::Uuid,
    lang: Lang,
    token: String,
) -> Result<DownloadLinkDto, ApiError> {
    let rest = format!("handout/{dataset}/resources/{resource}/link");
    post(&path(event, &rest), &json!({}), lang, Some(&token)).await
}

pub async fn downloads(
    event: EventId,
    lang: Lang,
    token: String,
) -> Result<TeamDownloadList, ApiError> {
    get(&path(event, "handout/downloads"), lang, Some(&token)).await
}

pub async fn attach(
    event: EventId,
    challenge: ChallengeId,
    body: &Value,
    lang: Lang,
    token: String,
) -> Result<ChallengeDatasetDto, ApiError> {
    let rest = format!("challenges/{challenge}/datasets");
    write(Verb::Put, &path(event, &rest), Some(body), lang, Some(&token)).await
}

pub async fn detach(
    event: EventId,
    challenge: ChallengeId,
    dataset: &str,
    lang: Lang,
    token: String,
) -> Result<(), ApiError> {
    let rest = format!("challenges/{challenge}/datasets/{dataset}");
    write_empty::<Value>(Verb::Delete, &path(event, &rest), None, lang, Some(&token)).await
}
