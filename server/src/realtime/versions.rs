//! The `topic_versions` table: the version of each topic's state, kept in the database with the
//! state itself so that every instance agrees on it.

use crate::db::entities::topic_versions;
use hackops_shared::ws::Topic;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// Increments a topic's version. Call it inside the transaction that changes the topic's state.
pub async fn bump(db: &impl ConnectionTrait, topic: Topic) -> Result<u64, sea_orm::DbErr> {
    topic_versions::Entity::insert(topic_versions::ActiveModel {
        topic: Set(topic.to_string()),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(topic_versions::Column::Topic)
            .value(
                topic_versions::Column::Version,
                Expr::col((topic_versions::Entity, topic_versions::Column::Version)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await
    .map(|row| u64::try_from(row.version).unwrap_or(0))
}

/// The current version; 0 for a topic that never changed.
pub async fn current(db: &impl ConnectionTrait, topic: Topic) -> Result<u64, sea_orm::DbErr> {
    let row = topic_versions::Entity::find_by_id(topic.to_string()).one(db).await?;
    Ok(row.map(|r| u64::try_from(r.version).unwrap_or(0)).unwrap_or(0))
}
