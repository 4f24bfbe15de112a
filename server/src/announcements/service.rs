//! Who sees which announcement, posting, pinning, removing, and the live topics.

use super::repo::{self, Announcement, NewAnnouncement};
use crate::auth::policy::Principal;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, manageable, visible};
use crate::realtime::{versions, Change, Realtime};
use hackops_shared::announcements::{
    AnnouncementDto, AnnouncementList, Audience, CreateAnnouncementRequest, Priority,
};
use hackops_shared::auth::EventRole;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::ids::EventId;
use hackops_shared::ws::Topic;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use uuid::Uuid;

/// The audiences whose announcements this caller sees (the event is visible to them).
pub async fn audiences_for(
    db: &impl ConnectionTrait,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<Vec<Audience>> {
    let mut audiences = vec![Audience::Everyone];
    let Some(p) = principal else { return Ok(audiences) };
    if p.is_admin
        || p.has_event_role(id, EventRole::Organiser)
        || p.has_event_role(id, EventRole::Judge)
    {
        audiences.push(Audience::Participants);
        let all = events::challenges_unchecked(db, id).await?;
        audiences.extend(all.into_iter().map(Audience::Challenge));
    } else if p.has_event_role(id, EventRole::Participant) {
        audiences.push(Audience::Participants);
        if let Some(user) = p.user_id {
            if let Some(challenge) =
                crate::participation::service::team_challenge(db, id, user).await?
            {
                audiences.push(Audience::Challenge(challenge));
            }
        }
    }
    Ok(audiences)
}

async fn dtos(
    db: &impl ConnectionTrait,
    rows: Vec<Announcement>,
) -> AppResult<Vec<AnnouncementDto>> {
    let names =
        crate::auth::service::display_names(db, rows.iter().map(|a| a.author_id).collect()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            Some(AnnouncementDto {
                id: a.id,
                event_id: EventId(a.event_id),
                priority: if a.priority == "urgent" { Priority::Urgent } else { Priority::Normal },
                pinned: a.pinned,
                audience: a.audience.parse().ok()?,
                author_name: names.get(&a.author_id).cloned().unwrap_or_default(),
                body: a.body,
                created_at: a.created_at,
            })
        })
        .collect())
}

/// Every announcement the caller may see, pinned first then newest first.
pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<AnnouncementList> {
    visible(db, principal, id).await?;
    let audiences = audiences_for(db, principal, id).await?;
    Ok(AnnouncementList { items: dtos(db, repo::of_event(db, id.0, &audiences).await?).await? })
}

/// One audience's announcements: the state of its realtime topic.
pub async fn for_audience(
    db: &impl ConnectionTrait,
    id: EventId,
    audience: Audience,
) -> AppResult<AnnouncementList> {
    Ok(AnnouncementList { items: dtos(db, repo::of_event(db, id.0, &[audience]).await?).await? })
}

async fn announce(
    txn: sea_orm::DatabaseTransaction,
    realtime: &Realtime,
    id: EventId,
    audience: Audience,
) -> AppResult<()> {
    let topic = Topic::Announcements(id, audience);
    let version = versions::bump(&txn, topic).await?;
    txn.commit().await?;
    realtime.publish(&[Change::new(topic, version)]).await;
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: CreateAnnouncementRequest,
) -> AppResult<AnnouncementDto> {
    let body = request.validate()?;
    let author = principal.user_id.ok_or(ErrorCode::Unauthenticated)?;
    let txn = db.begin().await?;
    manageable(&txn, principal, id).await?;
    if let Audience::Challenge(challenge) = request.audience {
        if !events::challenge_exists(&txn, id, challenge).await? {
            return Err(AppError::field("audience", FieldCode::InvalidValue));
        }
    }
    let row = repo::insert(
        &txn,
        NewAnnouncement {
            event_id: id.0,
            body,
            priority: request.priority,
            pinned: request.pinned,
            audience: request.audience,
            author_id: author.0,
        },
    )
    .await?;
    let dto = dtos(&txn, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("announcement vanished")))?;
    announce(txn, realtime, id, request.audience).await?;
    Ok(dto)
}

pub async fn pin(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    announcement: Uuid,
    pinned: bool,
) -> AppResult<()> {
    let txn = db.begin().await?;
    manageable(&txn, principal, id).await?;
    let row = repo::find(&txn, id.0, announcement).await?.ok_or(ErrorCode::NotFound)?;
    repo::set_pinned(&txn, row.id, pinned).await?;
    let audience = row.audience.parse().unwrap_or(Audience::Everyone);
    announce(txn, realtime, id, audience).await
}

pub async fn remove(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    announcement: Uuid,
) -> AppResult<()> {
    let txn = db.begin().await?;
    manageable(&txn, principal, id).await?;
    let row = repo::find(&txn, id.0, announcement).await?.ok_or(ErrorCode::NotFound)?;
    repo::delete(&txn, row.id).await?;
    let audience = row.audience.parse().unwrap_or(Audience::Everyone);
    announce(txn, realtime, id, audience).await
}

/// Demo seed: no authorisation, no realtime.
pub(crate) async fn seed(
    db: &impl ConnectionTrait,
    id: EventId,
    author: Uuid,
    body: &str,
    priority: Priority,
    pinned: bool,
    audience: Audience,
) -> AppResult<()> {
    repo::insert(
        db,
        NewAnnouncement {
            event_id: id.0,
            body: body.to_owned(),
            priority,
            pinned,
            audience,
            author_id: author,
        },
    )
    .await?;
    Ok(())
}
