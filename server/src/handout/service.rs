//! Hand-out rules: which datasets a team gets and when, licence acceptance, signed links and
//! download counts.

use super::links::{Grant, LinkKeys};
use super::repo;
use crate::auth::policy::{allows, authorize, Action, Principal};
use crate::datasets::service as datasets;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, manageable, phase_of, visible, EventChange};
use crate::participation::service as participation;
use crate::realtime::Realtime;
use hackops_shared::datasets::licence;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::events::EventPhase;
use hackops_shared::handout::{
    AcceptTermsRequest, AttachDatasetRequest, ChallengeDatasetDto, DownloadLinkDto,
    HandoutDatasetDto, HandoutDto, LicenceDto, TeamDownloadDto, TeamDownloadList,
};
use hackops_shared::ids::{ChallengeId, EventId, OrganisationId};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// An embargo holds while the event has not reached its hacking phase.
fn released(embargo: bool, phase: EventPhase) -> bool {
    !embargo || phase >= EventPhase::Hacking
}

fn holding_phases() -> Vec<&'static str> {
    EventPhase::ALL.into_iter().filter(|p| !released(true, *p)).map(EventPhase::as_str).collect()
}

/// Datasets that the public pool (REST, CKAN, DCAT, Data Package, downloads) must not show yet.
pub async fn embargoed(db: &impl ConnectionTrait) -> AppResult<Vec<Uuid>> {
    Ok(repo::embargoed(db, &holding_phases(), None).await?)
}

pub async fn is_embargoed(db: &impl ConnectionTrait, dataset: Uuid) -> AppResult<bool> {
    Ok(!repo::embargoed(db, &holding_phases(), Some(dataset)).await?.is_empty())
}

/// Attaches a dataset of the pool to a challenge, or changes its embargo (organisers). Only
/// people who may publish for the dataset's organisation may embargo it: an embargo hides the
/// dataset from the public pool.
pub async fn attach(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    challenge: ChallengeId,
    request: AttachDatasetRequest,
) -> AppResult<ChallengeDatasetDto> {
    let name = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = manageable(txn, principal, id).await?;
    if !events::challenge_exists(txn, id, challenge).await? {
        return Err(ErrorCode::NotFound.into());
    }
    let dataset = datasets::find_unchecked(txn, &name)
        .await?
        .ok_or_else(|| AppError::field("dataset", FieldCode::InvalidValue))?;
    if request.embargo {
        authorize(
            Some(principal),
            Action::PublishData { organisation: OrganisationId(dataset.organisation_id) },
        )?;
    }
    repo::attach(txn, id.0, challenge.0, dataset.id, request.embargo).await?;
    change.commit(realtime).await?;
    Ok(ChallengeDatasetDto {
        challenge_id: challenge,
        dataset: dataset.name,
        embargo: request.embargo,
        released: released(request.embargo, phase_of(&event)?),
    })
}

pub async fn detach(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    challenge: ChallengeId,
    name: &str,
) -> AppResult<()> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    let dataset = datasets::find_unchecked(txn, name).await?.ok_or(ErrorCode::NotFound)?;
    if !repo::detach(txn, id.0, challenge.0, dataset.id).await? {
        return Err(ErrorCode::NotFound.into());
    }
    change.commit(realtime).await.map(drop)
}

/// Who is asking for the hand-out.
enum Viewer {
    Organiser,
    Member { team: Uuid, challenge: Option<ChallengeId> },
}

impl Viewer {
    fn team(&self) -> Option<Uuid> {
        match self {
            Viewer::Organiser => None,
            Viewer::Member { team, .. } => Some(*team),
        }
    }
}

/// Organisers of the event, or members of one of its teams; anyone else is refused (401
/// anonymous, 403 signed in), and events they may not see do not exist (404).
async fn viewer(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: EventId,
) -> AppResult<(EventPhase, Viewer, Uuid)> {
    let user = principal.user_id.ok_or(ErrorCode::Unauthenticated)?;
    let event = visible(db, Some(principal), id).await?;
    let phase = phase_of(&event)?;
    if allows(Some(principal), Action::UpdateEvent { event: id }) {
        return Ok((phase, Viewer::Organiser, user.0));
    }
    match participation::team_of(db, id, user).await? {
        Some((team, challenge)) => Ok((phase, Viewer::Member { team, challenge }, user.0)),
        None => Err(ErrorCode::Forbidden.into()),
    }
}

async fn items(
    db: &impl ConnectionTrait,
    id: EventId,
    phase: EventPhase,
    viewer: &Viewer,
    user: Uuid,
    public_url: &str,
) -> AppResult<Vec<HandoutDatasetDto>> {
    let attachments: Vec<repo::Attachment> = repo::attachments_of_event(db, id.0)
        .await?
        .into_iter()
        .filter(|a| match viewer {
            Viewer::Organiser => true,
            Viewer::Member { challenge, .. } => {
                *challenge == Some(ChallengeId(a.challenge_id)) && released(a.embargo, phase)
            }
        })
        .collect();
    let mut ids: Vec<Uuid> = attachments.iter().map(|a| a.dataset_id).collect();
    ids.sort();
    ids.dedup();
    let dtos: HashMap<Uuid, _> =
        datasets::dtos_by_ids(db, ids, public_url).await?.into_iter().map(|d| (d.id, d)).collect();
    let accepted: HashMap<Uuid, OffsetDateTime> = repo::acceptances_of(db, id.0, user)
        .await?
        .into_iter()
        .map(|a| (a.dataset_id, a.accepted_at))
        .collect();
    attachments
        .into_iter()
        .filter_map(|a| dtos.get(&a.dataset_id).map(|d| (a, d.clone())))
        .map(|(a, dataset)| {
            let licence = licence(&dataset.licence_id).ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("dataset {} has no known licence", dataset.id))
            })?;
            Ok(HandoutDatasetDto {
                challenge_id: ChallengeId(a.challenge_id),
                licence: LicenceDto::from(licence),
                embargo: a.embargo,
                released: released(a.embargo, phase),
                accepted_at: accepted.get(&dataset.id).copied(),
                dataset,
            })
        })
        .collect()
}

/// For a team member: the released datasets of the team's challenge. For organisers: every
/// dataset attached to the event's challenges, embargoed or not.
pub async fn handout(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
    public_url: &str,
) -> AppResult<HandoutDto> {
    let (phase, viewer, user) = viewer(db, principal, id).await?;
    let items = items(db, id, phase, &viewer, user, public_url).await?;
    Ok(HandoutDto { team_id: viewer.team(), items })
}

/// One dataset of the caller's hand-out (404 when it is not in it, or not yet released).
async fn item(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: EventId,
    name: &str,
    public_url: &str,
) -> AppResult<(Viewer, Uuid, HandoutDatasetDto)> {
    let (phase, viewer, user) = viewer(db, principal, id).await?;
    let item = items(db, id, phase, &viewer, user, public_url)
        .await?
        .into_iter()
        .find(|i| i.dataset.name == name)
        .ok_or(ErrorCode::NotFound)?;
    Ok((viewer, user, item))
}

/// Records that the caller accepts the dataset's licence and the event's data-use terms.
pub async fn accept(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
    name: &str,
    request: AcceptTermsRequest,
    public_url: &str,
) -> AppResult<HandoutDatasetDto> {
    request.validate()?;
    let (_, user, item) = item(db, principal, id, name, public_url).await?;
    repo::accept(db, id.0, item.dataset.id, user, &item.licence.id).await?;
    tracing::info!(event_id = %id, dataset = %item.dataset.name, licence = %item.licence.id, user_id = %user, "hand-out terms accepted");
    let (_, _, item) = self::item(db, principal, id, name, public_url).await?;
    Ok(item)
}

/// Issues a signed link to one resource. Team members must have accepted the terms first.
pub async fn link(
    db: &DatabaseConnection,
    keys: &LinkKeys,
    principal: &Principal,
    id: EventId,
    name: &str,
    resource: Uuid,
    public_url: &str,
) -> AppResult<DownloadLinkDto> {
    let (viewer, user, item) = item(db, principal, id, name, public_url).await?;
    if !item.dataset.resources.iter().any(|r| r.id == resource) {
        return Err(ErrorCode::NotFound.into());
    }
    if matches!(viewer, Viewer::Member { .. }) && item.accepted_at.is_none() {
        return Err(ErrorCode::TermsNotAccepted.into());
    }
    let ttl = i64::try_from(keys.ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let expires = OffsetDateTime::now_utc().unix_timestamp().saturating_add(ttl);
    let expires_at = OffsetDateTime::from_unix_timestamp(expires)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("link expiry out of range: {e}")))?;
    let token = keys.sign(&Grant { resource, user, team: viewer.team(), expires_at: expires });
    Ok(DownloadLinkDto { url: download_url(&token), expires_at })
}

pub fn download_url(token: &str) -> String {
    format!("/api/v1/handout/download?token={token}")
}

/// Counts a download through a link for the link's team (organisers' links count nothing).
pub async fn count_download(
    db: &DatabaseConnection,
    grant: &Grant,
    dataset: Uuid,
) -> AppResult<()> {
    let Some(team) = grant.team else { return Ok(()) };
    match participation::event_of_team(db, team).await? {
        Some(event) => Ok(repo::count_download(db, event.0, team, dataset).await?),
        None => {
            tracing::info!(team_id = %team, "download for a team that no longer exists: not counted");
            Ok(())
        }
    }
}

/// Downloads per team and dataset (organisers).
pub async fn downloads(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<TeamDownloadList> {
    manageable(db, principal, id).await?;
    let rows = repo::downloads_of(db, id.0).await?;
    let teams = participation::team_names(db, id).await?;
    let mut ids: Vec<Uuid> = rows.iter().map(|r| r.dataset_id).collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<Uuid, (String, String)> = datasets::find_many_unchecked(db, ids)
        .await?
        .into_iter()
        .map(|d| (d.id, (d.name, d.title)))
        .collect();
    let items: Vec<TeamDownloadDto> = rows
        .into_iter()
        .map(|r| {
            let (dataset, dataset_title) = names.get(&r.dataset_id).cloned().unwrap_or_default();
            TeamDownloadDto {
                team_id: r.team_id,
                team_name: teams.get(&r.team_id).cloned().unwrap_or_default(),
                dataset,
                dataset_title,
                count: u64::try_from(r.count).unwrap_or(0),
                last_at: r.last_at,
            }
        })
        .collect();
    let total = items.iter().map(|i| i.count).sum();
    Ok(TeamDownloadList { items, total })
}

/// Every counted download of the event (for the control room's stats).
pub async fn download_total(db: &impl ConnectionTrait, id: EventId) -> AppResult<u64> {
    Ok(repo::downloads_of(db, id.0)
        .await?
        .iter()
        .map(|r| u64::try_from(r.count).unwrap_or(0))
        .sum())
}

/// Demo seed: attaches a dataset to a challenge (no authorisation, no realtime).
pub(crate) async fn seed_attachment(
    db: &impl ConnectionTrait,
    event: EventId,
    challenge: ChallengeId,
    dataset: Uuid,
    embargo: bool,
) -> AppResult<()> {
    Ok(repo::attach(db, event.0, challenge.0, dataset, embargo).await?)
}
