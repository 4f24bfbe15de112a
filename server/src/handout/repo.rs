use crate::db::entities::{challenge_datasets, events, handout_acceptances, handout_downloads};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub use challenge_datasets::Model as Attachment;
pub use handout_acceptances::Model as Acceptance;
pub use handout_downloads::Model as Download;

/// Attaches a dataset to a challenge, or changes the embargo of an attachment.
pub async fn attach(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    challenge_id: Uuid,
    dataset_id: Uuid,
    embargo: bool,
) -> Result<(), sea_orm::DbErr> {
    challenge_datasets::Entity::insert(challenge_datasets::ActiveModel {
        challenge_id: Set(challenge_id),
        dataset_id: Set(dataset_id),
        event_id: Set(event_id),
        embargo: Set(embargo),
        created_at: Set(OffsetDateTime::now_utc()),
    })
    .on_conflict(
        OnConflict::columns([
            challenge_datasets::Column::ChallengeId,
            challenge_datasets::Column::DatasetId,
        ])
        .update_column(challenge_datasets::Column::Embargo)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

pub async fn detach(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    challenge_id: Uuid,
    dataset_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = challenge_datasets::Entity::delete_many()
        .filter(challenge_datasets::Column::EventId.eq(event_id))
        .filter(challenge_datasets::Column::ChallengeId.eq(challenge_id))
        .filter(challenge_datasets::Column::DatasetId.eq(dataset_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn attachments_of_event(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Attachment>, sea_orm::DbErr> {
    challenge_datasets::Entity::find()
        .filter(challenge_datasets::Column::EventId.eq(event_id))
        .order_by_asc(challenge_datasets::Column::CreatedAt)
        .order_by_asc(challenge_datasets::Column::DatasetId)
        .all(db)
        .await
}

/// Datasets under an embargo that still holds: attached with `embargo` to a challenge of an
/// event whose phase is one of `holding_phases`. One query, whatever the number of events (the
/// pool asks on every public read), hence the subquery on `events` here rather than a call
/// through the events feature per event.
pub async fn embargoed(
    db: &impl ConnectionTrait,
    holding_phases: &[&str],
    only: Option<Uuid>,
) -> Result<Vec<Uuid>, sea_orm::DbErr> {
    let holding_events = Query::select()
        .column(events::Column::Id)
        .from(events::Entity)
        .and_where(events::Column::Phase.is_in(holding_phases.iter().copied()))
        .to_owned();
    let mut query = challenge_datasets::Entity::find()
        .select_only()
        .column(challenge_datasets::Column::DatasetId)
        .distinct()
        .filter(challenge_datasets::Column::Embargo.eq(true))
        .filter(challenge_datasets::Column::EventId.in_subquery(holding_events));
    if let Some(dataset) = only {
        query = query.filter(challenge_datasets::Column::DatasetId.eq(dataset));
    }
    query.into_tuple().all(db).await
}

/// Records an acceptance; the first one stands (accepting again changes nothing).
pub async fn accept(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    dataset_id: Uuid,
    user_id: Uuid,
    licence_id: &str,
) -> Result<(), sea_orm::DbErr> {
    handout_acceptances::Entity::insert(handout_acceptances::ActiveModel {
        event_id: Set(event_id),
        dataset_id: Set(dataset_id),
        user_id: Set(user_id),
        licence_id: Set(licence_id.to_owned()),
        accepted_at: Set(OffsetDateTime::now_utc()),
    })
    .on_conflict(
        OnConflict::columns([
            handout_acceptances::Column::EventId,
            handout_acceptances::Column::DatasetId,
            handout_acceptances::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

pub async fn acceptances_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<Acceptance>, sea_orm::DbErr> {
    handout_acceptances::Entity::find()
        .filter(handout_acceptances::Column::EventId.eq(event_id))
        .filter(handout_acceptances::Column::UserId.eq(user_id))
        .all(db)
        .await
}

/// Counts one download for a team, atomically (concurrent downloads all count).
pub async fn count_download(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    team_id: Uuid,
    dataset_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    handout_downloads::Entity::insert(handout_downloads::ActiveModel {
        team_id: Set(team_id),
        dataset_id: Set(dataset_id),
        event_id: Set(event_id),
        count: Set(1),
        last_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            handout_downloads::Column::TeamId,
            handout_downloads::Column::DatasetId,
        ])
        .value(
            handout_downloads::Column::Count,
            Expr::col((handout_downloads::Entity, handout_downloads::Column::Count)).add(1),
        )
        .value(handout_downloads::Column::LastAt, now)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

pub async fn downloads_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Download>, sea_orm::DbErr> {
    handout_downloads::Entity::find()
        .filter(handout_downloads::Column::EventId.eq(event_id))
        .order_by_desc(handout_downloads::Column::LastAt)
        .order_by_asc(handout_downloads::Column::TeamId)
        .all(db)
        .await
}
