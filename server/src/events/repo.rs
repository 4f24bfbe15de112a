use crate::db::entities::{agenda_items, challenges, events, phase_transitions};
use hackops_shared::events::{EventPhase, ValidAgendaItem, ValidChallenge, ValidEvent};
use hackops_shared::registrations::EventSettings;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

pub use challenges::Model as Challenge;
pub use events::Model as Event;

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Event>, sea_orm::DbErr> {
    events::Entity::find()
        .order_by_asc(events::Column::StartsAt)
        .order_by_asc(events::Column::Id)
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Event>, sea_orm::DbErr> {
    events::Entity::find_by_id(id).one(db).await
}

pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<Event>, sea_orm::DbErr> {
    events::Entity::find().filter(events::Column::Slug.eq(slug)).one(db).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    organisation_id: Uuid,
    slug: String,
    content: ValidEvent,
    phase: EventPhase,
) -> Result<Event, sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    events::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(organisation_id),
        slug: Set(slug),
        title: Set(content.title),
        description: Set(content.description),
        timezone: Set(content.timezone),
        starts_at: Set(content.starts_at.to_offset(UtcOffset::UTC)),
        ends_at: Set(content.ends_at.to_offset(UtcOffset::UTC)),
        venue: Set(content.venue),
        online: Set(content.online),
        phase: Set(phase.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        // Registration and team settings start at the migration's defaults.
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update(
    db: &impl ConnectionTrait,
    event: Event,
    content: ValidEvent,
) -> Result<Event, sea_orm::DbErr> {
    let mut active = event.into_active_model();
    active.title = Set(content.title);
    active.description = Set(content.description);
    active.timezone = Set(content.timezone);
    active.starts_at = Set(content.starts_at.to_offset(UtcOffset::UTC));
    active.ends_at = Set(content.ends_at.to_offset(UtcOffset::UTC));
    active.venue = Set(content.venue);
    active.online = Set(content.online);
    active.updated_at = Set(OffsetDateTime::now_utc());
    active.update(db).await
}

pub async fn challenges_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Challenge>, sea_orm::DbErr> {
    challenges::Entity::find()
        .filter(challenges::Column::EventId.eq(event_id))
        .order_by_asc(challenges::Column::Position)
        .order_by_asc(challenges::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn challenge_counts(
    db: &impl ConnectionTrait,
    event_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, u32>, sea_orm::DbErr> {
    let rows: Vec<(Uuid, i64)> = challenges::Entity::find()
        .select_only()
        .column(challenges::Column::EventId)
        .column_as(challenges::Column::Id.count(), "count")
        .filter(challenges::Column::EventId.is_in(event_ids))
        .group_by(challenges::Column::EventId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX))).collect())
}

pub struct NewChallenge<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub prize: Option<&'a str>,
    pub position: i32,
}

pub async fn insert_challenge(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    new: NewChallenge<'_>,
) -> Result<Challenge, sea_orm::DbErr> {
    challenges::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event_id),
        title: Set(new.title.to_owned()),
        summary: Set(new.summary.to_owned()),
        description: Set(new.description.to_owned()),
        prize: Set(new.prize.map(str::to_owned)),
        position: Set(new.position),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

/// Moves an event to `to` only if it is still in `from` (two organisers clicking at once, or
/// a scheduled transition racing a manual one: exactly one wins).
pub async fn set_phase(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: EventPhase,
    to: EventPhase,
) -> Result<bool, sea_orm::DbErr> {
    let result = events::Entity::update_many()
        .col_expr(events::Column::Phase, Expr::value(to.as_str()))
        .col_expr(events::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(events::Column::Id.eq(id))
        .filter(events::Column::Phase.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub use phase_transitions::Model as Transition;

pub async fn insert_transition(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    phase: EventPhase,
    at: OffsetDateTime,
) -> Result<Transition, sea_orm::DbErr> {
    phase_transitions::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event_id),
        phase: Set(phase.as_str().to_owned()),
        scheduled_at: Set(at.to_offset(UtcOffset::UTC)),
        fired_at: Set(None),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

pub async fn transitions_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Transition>, sea_orm::DbErr> {
    phase_transitions::Entity::find()
        .filter(phase_transitions::Column::EventId.eq(event_id))
        .order_by_asc(phase_transitions::Column::ScheduledAt)
        .all(db)
        .await
}

pub async fn find_transition(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Transition>, sea_orm::DbErr> {
    phase_transitions::Entity::find_by_id(id).one(db).await
}

pub async fn delete_pending_transition(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = phase_transitions::Entity::delete_many()
        .filter(phase_transitions::Column::Id.eq(id))
        .filter(phase_transitions::Column::FiredAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn due_transitions(
    db: &impl ConnectionTrait,
    now: OffsetDateTime,
) -> Result<Vec<Transition>, sea_orm::DbErr> {
    phase_transitions::Entity::find()
        .filter(phase_transitions::Column::FiredAt.is_null())
        .filter(phase_transitions::Column::ScheduledAt.lte(now.to_offset(UtcOffset::UTC)))
        .order_by_asc(phase_transitions::Column::ScheduledAt)
        .limit(100)
        .all(db)
        .await
}

/// Marks a transition fired unless someone (another instance) did first.
pub async fn claim_transition(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = phase_transitions::Entity::update_many()
        .col_expr(phase_transitions::Column::FiredAt, Expr::value(Some(OffsetDateTime::now_utc())))
        .filter(phase_transitions::Column::Id.eq(id))
        .filter(phase_transitions::Column::FiredAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The pending transitions of each event, earliest first.
pub async fn pending_transitions(
    db: &impl ConnectionTrait,
    event_ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, Vec<Transition>>, sea_orm::DbErr> {
    let pending = phase_transitions::Entity::find()
        .filter(phase_transitions::Column::EventId.is_in(event_ids))
        .filter(phase_transitions::Column::FiredAt.is_null())
        .order_by_asc(phase_transitions::Column::ScheduledAt)
        .all(db)
        .await?;
    let mut by_event: HashMap<Uuid, Vec<Transition>> = HashMap::new();
    for t in pending {
        by_event.entry(t.event_id).or_default().push(t);
    }
    Ok(by_event)
}

pub use agenda_items::Model as AgendaItem;

pub async fn agenda_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<AgendaItem>, sea_orm::DbErr> {
    agenda_items::Entity::find()
        .filter(agenda_items::Column::EventId.eq(event_id))
        .order_by_asc(agenda_items::Column::StartsAt)
        .order_by_asc(agenda_items::Column::Id)
        .all(db)
        .await
}

pub async fn insert_agenda_item(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    item: ValidAgendaItem,
) -> Result<AgendaItem, sea_orm::DbErr> {
    agenda_items::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event_id),
        title: Set(item.title),
        kind: Set(item.kind.as_str().to_owned()),
        starts_at: Set(item.starts_at.to_offset(UtcOffset::UTC)),
        ends_at: Set(item.ends_at.map(|t| t.to_offset(UtcOffset::UTC))),
        location: Set(item.location),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

pub async fn delete_agenda_item(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = agenda_items::Entity::delete_many()
        .filter(agenda_items::Column::Id.eq(id))
        .filter(agenda_items::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn find_challenge(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<Challenge>, sea_orm::DbErr> {
    challenges::Entity::find_by_id(id)
        .filter(challenges::Column::EventId.eq(event_id))
        .one(db)
        .await
}

pub async fn update_challenge(
    db: &impl ConnectionTrait,
    challenge: Challenge,
    content: ValidChallenge,
) -> Result<Challenge, sea_orm::DbErr> {
    let position = content.position.unwrap_or(challenge.position);
    let mut active = challenge.into_active_model();
    active.title = Set(content.title);
    active.summary = Set(content.summary);
    active.description = Set(content.description);
    active.prize = Set(content.prize);
    active.position = Set(position);
    active.update(db).await
}

pub async fn delete_challenge(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = challenges::Entity::delete_many()
        .filter(challenges::Column::Id.eq(id))
        .filter(challenges::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn update_settings(
    db: &impl ConnectionTrait,
    event: Event,
    settings: &EventSettings,
) -> Result<Event, sea_orm::DbErr> {
    let mut active = event.into_active_model();
    active.capacity = Set(settings.capacity.map(|c| i32::try_from(c).unwrap_or(i32::MAX)));
    active.team_min = Set(i32::try_from(settings.team_min).unwrap_or(1));
    active.team_max = Set(i32::try_from(settings.team_max).unwrap_or(1));
    active.moderated = Set(settings.moderated);
    active.code_of_conduct = Set(settings.code_of_conduct.clone());
    active.teams_lock_at = Set(settings.teams_lock_at.map(|t| t.to_offset(UtcOffset::UTC)));
    active.updated_at = Set(OffsetDateTime::now_utc());
    active.update(db).await
}

/// Takes a seat if one is left (atomic: two people racing for the last seat, one wins).
pub async fn take_seat(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = events::Entity::update_many()
        .col_expr(events::Column::ConfirmedCount, Expr::col(events::Column::ConfirmedCount).add(1))
        .filter(events::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any().add(events::Column::Capacity.is_null()).add(
                Expr::col(events::Column::ConfirmedCount).lt(Expr::col(events::Column::Capacity)),
            ),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn release_seat(db: &impl ConnectionTrait, id: Uuid) -> Result<(), sea_orm::DbErr> {
    events::Entity::update_many()
        .col_expr(events::Column::ConfirmedCount, Expr::col(events::Column::ConfirmedCount).sub(1))
        .filter(events::Column::Id.eq(id))
        .filter(events::Column::ConfirmedCount.gt(0))
        .exec(db)
        .await
        .map(|_| ())
}
