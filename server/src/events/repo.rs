use crate::db::entities::{challenges, events};
use hackops_shared::events::{EventPhase, ValidEvent};
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
        phase: Set(phase.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
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
