use crate::db::entities::announcements;
use hackops_shared::announcements::{Audience, Priority};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub use announcements::Model as Announcement;

pub struct NewAnnouncement {
    pub event_id: Uuid,
    pub body: String,
    pub priority: Priority,
    pub pinned: bool,
    pub audience: Audience,
    pub author_id: Uuid,
}

pub fn priority_str(p: Priority) -> &'static str {
    match p {
        Priority::Normal => "normal",
        Priority::Urgent => "urgent",
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewAnnouncement,
) -> Result<Announcement, sea_orm::DbErr> {
    announcements::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(new.event_id),
        body: Set(new.body),
        priority: Set(priority_str(new.priority).to_owned()),
        pinned: Set(new.pinned),
        audience: Set(new.audience.to_string()),
        author_id: Set(new.author_id),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

/// Pinned first, then newest first.
pub async fn of_event(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    audiences: &[Audience],
) -> Result<Vec<Announcement>, sea_orm::DbErr> {
    announcements::Entity::find()
        .filter(announcements::Column::EventId.eq(event_id))
        .filter(announcements::Column::Audience.is_in(audiences.iter().map(ToString::to_string)))
        .order_by_desc(announcements::Column::Pinned)
        .order_by_desc(announcements::Column::CreatedAt)
        .order_by_desc(announcements::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<Announcement>, sea_orm::DbErr> {
    announcements::Entity::find_by_id(id)
        .filter(announcements::Column::EventId.eq(event_id))
        .one(db)
        .await
}

pub async fn set_pinned(
    db: &impl ConnectionTrait,
    id: Uuid,
    pinned: bool,
) -> Result<(), sea_orm::DbErr> {
    announcements::Entity::update_many()
        .col_expr(announcements::Column::Pinned, Expr::value(pinned))
        .filter(announcements::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), sea_orm::DbErr> {
    announcements::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}
