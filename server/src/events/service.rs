//! Event rules: who sees which event, creation with its organiser role, edits.

use super::repo::{self, Challenge, Event, NewChallenge};
use crate::auth::policy::{authorize, Action, Principal};
use crate::auth::service::grant_event_role;
use crate::error::{AppError, AppResult};
use crate::organisations::service as organisations;
use crate::realtime::{state_of, versions, Change, Realtime};
use hackops_shared::auth::EventRole;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::events::{
    ChallengeDto, ChallengeList, ChallengeRequest, CreateEventRequest, EventDto, EventList,
    EventPhase, NextTransition, UpdateEventRequest, ValidEvent,
};
use hackops_shared::ids::{ChallengeId, EventId, OrganisationId};
use hackops_shared::validation::slugify;
use hackops_shared::ws::Topic;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use uuid::Uuid;

pub(crate) fn phase_of(event: &Event) -> AppResult<EventPhase> {
    EventPhase::parse(&event.phase).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("unknown phase `{}` in event {}", event.phase, event.id))
    })
}

fn content_of(event: &Event) -> ValidEvent {
    ValidEvent {
        title: event.title.clone(),
        description: event.description.clone(),
        timezone: event.timezone.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        venue: event.venue.clone(),
        online: event.online,
    }
}

/// The server also checks that the time zone exists in its database.
fn check_timezone(content: &ValidEvent) -> AppResult<()> {
    content
        .timezone
        .parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| AppError::field("timezone", FieldCode::InvalidTimezone))
}

async fn to_dtos(db: &impl ConnectionTrait, events: Vec<Event>) -> AppResult<Vec<EventDto>> {
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let org_ids: Vec<Uuid> = events.iter().map(|e| e.organisation_id).collect();
    let orgs = organisations::summaries(db, org_ids).await?;
    let counts = repo::challenge_counts(db, ids.clone()).await?;
    let mut pending = repo::pending_transitions(db, ids).await?;
    events
        .into_iter()
        .map(|event| {
            let organisation = orgs.get(&event.organisation_id).cloned().ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("event {} has no organisation", event.id))
            })?;
            let phase = phase_of(&event)?;
            // A transition to a phase already reached by hand is no milestone any more.
            let next_transition = pending
                .remove(&event.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|t| {
                    EventPhase::parse(&t.phase)
                        .map(|phase| NextTransition { phase, at: t.scheduled_at })
                })
                .find(|t| t.phase > phase);
            Ok(EventDto {
                id: EventId(event.id),
                phase,
                next_transition,
                challenge_count: counts.get(&event.id).copied().unwrap_or(0),
                settings: settings_of(&event),
                confirmed_count: u32::try_from(event.confirmed_count).unwrap_or(0),
                slug: event.slug,
                organisation,
                title: event.title,
                description: event.description,
                timezone: event.timezone,
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                venue: event.venue,
                online: event.online,
                created_at: event.created_at,
                updated_at: event.updated_at,
            })
        })
        .collect()
}

pub(crate) async fn one_dto(db: &impl ConnectionTrait, event: Event) -> AppResult<EventDto> {
    to_dtos(db, vec![event])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("event vanished")))
}

/// Events the caller may see, soonest first. Drafts only reach their organisers and judges.
pub async fn list(db: &DatabaseConnection, principal: Option<&Principal>) -> AppResult<EventList> {
    let mut visible = Vec::new();
    for event in repo::list(db).await? {
        let action = Action::ViewEvent { event: EventId(event.id), phase: phase_of(&event)? };
        if crate::auth::policy::allows(principal, action) {
            visible.push(event);
        }
    }
    Ok(EventList { items: to_dtos(db, visible).await? })
}

/// Loads an event the caller may see. Events they may not see do not exist for them (404).
pub(crate) async fn visible(
    db: &impl ConnectionTrait,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<Event> {
    let event = repo::find(db, id.0).await?.ok_or(ErrorCode::NotFound)?;
    let action = Action::ViewEvent { event: id, phase: phase_of(&event)? };
    if !crate::auth::policy::allows(principal, action) {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(event)
}

/// An event whatever its visibility: for callers that authorised access already.
pub async fn get_unchecked(db: &impl ConnectionTrait, id: EventId) -> AppResult<EventDto> {
    let event = repo::find(db, id.0).await?.ok_or(ErrorCode::NotFound)?;
    one_dto(db, event).await
}

/// The phase of an event, `None` when it does not exist.
pub async fn phase(db: &impl ConnectionTrait, id: EventId) -> AppResult<Option<EventPhase>> {
    match repo::find(db, id.0).await? {
        Some(event) => Ok(Some(phase_of(&event)?)),
        None => Ok(None),
    }
}

pub async fn get(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<EventDto> {
    let event = visible(db, principal, id).await?;
    one_dto(db, event).await
}

/// A change to one existing event, made in one transaction and announced on its topics.
///
/// It takes the next version of the event's topic before anything else. On PostgreSQL that
/// locks the topic's version row until commit, so the writers of one event take turns (all in
/// the same order: the event's topic, then the events list's), and the event read at commit is
/// exactly its state at that version. That state is handed to the realtime hub, which then has
/// nothing to read back (see [`Change::state`]). SQLite has one writer at a time anyway.
pub(crate) struct EventChange {
    txn: DatabaseTransaction,
    id: EventId,
    version: u64,
}

impl EventChange {
    pub(crate) async fn begin(db: &DatabaseConnection, id: EventId) -> AppResult<Self> {
        let txn = db.begin().await?;
        let version = versions::bump(&txn, Topic::Event(id)).await?;
        Ok(EventChange { txn, id, version })
    }

    /// The transaction, for the change's own statements.
    pub(crate) fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Commits and announces the change; returns the event as committed.
    pub(crate) async fn commit(self, realtime: &Realtime) -> AppResult<EventDto> {
        let event = repo::find(&self.txn, self.id.0).await?.ok_or(ErrorCode::NotFound)?;
        self.commit_with(realtime, event).await
    }

    /// As [`Self::commit`], for a caller that holds the event row it just wrote.
    pub(crate) async fn commit_with(
        self,
        realtime: &Realtime,
        event: Event,
    ) -> AppResult<EventDto> {
        let dto = one_dto(&self.txn, event).await?;
        let state = state_of(&dto).map_err(AppError::Internal)?;
        let mut changes = vec![Change {
            topic: Topic::Event(self.id),
            version: self.version,
            state: Some(state),
        }];
        if dto.phase.is_public() {
            let version = versions::bump(&self.txn, Topic::Events).await?;
            changes.push(Change::new(Topic::Events, version));
        }
        self.txn.commit().await?;
        realtime.publish(&changes).await;
        Ok(dto)
    }
}

/// Creates a draft event; its creator becomes its organiser.
pub async fn create(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    request: CreateEventRequest,
) -> AppResult<EventDto> {
    let content = request.validate()?;
    check_timezone(&content)?;
    let organisation = organisations::acting_for(principal, request.organisation_id)?;
    authorize(Some(principal), Action::CreateEvent { organisation })?;
    let user = principal.user_id.ok_or(ErrorCode::Unauthenticated)?;
    let txn = db.begin().await?;
    let event = insert_event(&txn, organisation, content, EventPhase::Draft).await?;
    grant_event_role(&txn, event.id, user.0, EventRole::Organiser).await?;
    let dto = one_dto(&txn, event).await?;
    // A new event is a draft: it is not in the public events list, nobody follows its own topic
    // yet (no state to hand over), and no other writer can know it before the commit.
    let topic = Topic::Event(dto.id);
    let changes = [Change::new(topic, versions::bump(&txn, topic).await?)];
    txn.commit().await?;
    realtime.publish(&changes).await;
    tracing::info!(event_id = %dto.id, "event created");
    Ok(dto)
}

pub(crate) async fn insert_event(
    db: &impl ConnectionTrait,
    organisation: OrganisationId,
    content: ValidEvent,
    phase: EventPhase,
) -> AppResult<Event> {
    let slug = crate::db::unique_slug(&slugify(&content.title), "event", |candidate| async move {
        Ok(repo::find_by_slug(db, &candidate).await?.is_some())
    })
    .await?;
    Ok(repo::insert(db, organisation.0, slug, content, phase).await?)
}

/// Applies a partial update; the merged event must still be valid as a whole.
pub async fn update(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    patch: UpdateEventRequest,
) -> AppResult<EventDto> {
    let change = EventChange::begin(db, id).await?;
    let event = manageable(change.txn(), principal, id).await?;
    let content = patch.apply(&content_of(&event))?;
    check_timezone(&content)?;
    let event = repo::update(change.txn(), event, content).await?;
    change.commit_with(realtime, event).await
}

fn challenge_dto(c: Challenge) -> ChallengeDto {
    ChallengeDto {
        id: ChallengeId(c.id),
        event_id: EventId(c.event_id),
        title: c.title,
        summary: c.summary,
        description: c.description,
        prize: c.prize,
        position: c.position,
    }
}

pub async fn challenges(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<ChallengeList> {
    let event = visible(db, principal, id).await?;
    Ok(ChallengeList {
        items: repo::challenges_of(db, event.id).await?.into_iter().map(challenge_dto).collect(),
    })
}

pub(crate) async fn add_challenge(
    db: &impl ConnectionTrait,
    event: EventId,
    new: NewChallenge<'_>,
) -> AppResult<ChallengeDto> {
    Ok(challenge_dto(repo::insert_challenge(db, event.0, new).await?))
}

pub(crate) async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> AppResult<Option<EventId>> {
    Ok(repo::find_by_slug(db, slug).await?.map(|e| EventId(e.id)))
}

/// Loads an event the caller organises (404 when they may not see it, 403 when they may only
/// look), inside the caller's transaction.
pub(crate) async fn manageable(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: EventId,
) -> AppResult<Event> {
    let event = visible(db, Some(principal), id).await?;
    authorize(Some(principal), Action::UpdateEvent { event: id })?;
    Ok(event)
}

pub async fn create_challenge(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: ChallengeRequest,
) -> AppResult<ChallengeDto> {
    let content = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    let position = match content.position {
        Some(p) => p,
        None => {
            repo::challenges_of(txn, id.0).await?.iter().map(|c| c.position).max().unwrap_or(0) + 1
        }
    };
    let challenge = repo::insert_challenge(
        txn,
        id.0,
        NewChallenge {
            title: &content.title,
            summary: &content.summary,
            description: &content.description,
            prize: content.prize.as_deref(),
            position,
        },
    )
    .await?;
    change.commit(realtime).await?;
    Ok(challenge_dto(challenge))
}

pub async fn update_challenge(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    challenge: ChallengeId,
    request: ChallengeRequest,
) -> AppResult<ChallengeDto> {
    let content = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    let existing =
        repo::find_challenge(txn, id.0, challenge.0).await?.ok_or(ErrorCode::NotFound)?;
    let updated = repo::update_challenge(txn, existing, content).await?;
    change.commit(realtime).await?;
    Ok(challenge_dto(updated))
}

pub async fn delete_challenge(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    challenge: ChallengeId,
) -> AppResult<()> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    if !repo::delete_challenge(txn, id.0, challenge.0).await? {
        return Err(ErrorCode::NotFound.into());
    }
    change.commit(realtime).await.map(drop)
}

/// Seeding helpers (demo): no authorisation, no realtime (nobody follows yet).
pub(crate) async fn add_agenda_item_unchecked(
    db: &impl ConnectionTrait,
    event: EventId,
    item: hackops_shared::events::ValidAgendaItem,
) -> AppResult<()> {
    repo::insert_agenda_item(db, event.0, item).await?;
    Ok(())
}

pub(crate) async fn schedule_unchecked(
    db: &impl ConnectionTrait,
    event: EventId,
    phase: EventPhase,
    at: time::OffsetDateTime,
) -> AppResult<()> {
    repo::insert_transition(db, event.0, phase, at).await?;
    Ok(())
}

pub(crate) fn settings_of(event: &Event) -> hackops_shared::registrations::EventSettings {
    hackops_shared::registrations::EventSettings {
        capacity: event.capacity.and_then(|c| u32::try_from(c).ok()),
        team_min: u32::try_from(event.team_min).unwrap_or(1),
        team_max: u32::try_from(event.team_max).unwrap_or(1),
        moderated: event.moderated,
        code_of_conduct: event.code_of_conduct.clone(),
        teams_lock_at: event.teams_lock_at,
    }
}

/// Replaces how registration and teams work (organisers).
pub async fn update_settings(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    settings: hackops_shared::registrations::EventSettings,
) -> AppResult<EventDto> {
    settings.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = manageable(txn, principal, id).await?;
    repo::update_settings(txn, event, &settings).await?;
    change.commit(realtime).await
}

/// Seats of an event, for the participation feature.
pub(crate) async fn take_seat(db: &impl ConnectionTrait, id: EventId) -> AppResult<bool> {
    Ok(repo::take_seat(db, id.0).await?)
}

pub(crate) async fn release_seat(db: &impl ConnectionTrait, id: EventId) -> AppResult<()> {
    Ok(repo::release_seat(db, id.0).await?)
}

pub(crate) async fn challenge_exists(
    db: &impl ConnectionTrait,
    id: EventId,
    challenge: ChallengeId,
) -> AppResult<bool> {
    Ok(repo::find_challenge(db, id.0, challenge.0).await?.is_some())
}

pub(crate) async fn challenges_unchecked(
    db: &impl ConnectionTrait,
    id: EventId,
) -> AppResult<Vec<ChallengeId>> {
    Ok(repo::challenges_of(db, id.0).await?.into_iter().map(|c| ChallengeId(c.id)).collect())
}
