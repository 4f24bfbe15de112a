use crate::db::entities::{organisation_members, organisations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub use organisations::Model as Organisation;

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Organisation>, sea_orm::DbErr> {
    organisations::Entity::find().order_by_asc(organisations::Column::Name).all(db).await
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Organisation>, sea_orm::DbErr> {
    organisations::Entity::find().filter(organisations::Column::Id.is_in(ids)).all(db).await
}

pub async fn find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<Organisation>, sea_orm::DbErr> {
    organisations::Entity::find().filter(organisations::Column::Slug.eq(slug)).one(db).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    slug: String,
    name: String,
    website: Option<String>,
) -> Result<Organisation, sea_orm::DbErr> {
    organisations::ActiveModel {
        id: Set(Uuid::new_v4()),
        slug: Set(slug),
        name: Set(name),
        website: Set(website),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

pub async fn add_member(
    db: &impl ConnectionTrait,
    organisation_id: Uuid,
    user_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    organisation_members::ActiveModel {
        organisation_id: Set(organisation_id),
        user_id: Set(user_id),
        role: Set("organiser".to_owned()),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
    .map(|_| ())
}
