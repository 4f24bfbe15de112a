//! Storage of accounts, sessions (refresh tokens) and role grants.

use crate::db::entities::{event_roles, organisation_members, refresh_tokens, users};
use hackops_shared::auth::EventRole;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use uuid::Uuid;

pub use users::Model as User;

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: String,
    pub display_name: &'a str,
    pub locale: &'a str,
}

pub async fn insert_user(
    db: &impl ConnectionTrait,
    new: NewUser<'_>,
) -> Result<User, sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    users::ActiveModel {
        id: Set(Uuid::new_v4()),
        email: Set(new.email.to_owned()),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name.to_owned()),
        locale: Set(new.locale.to_owned()),
        is_admin: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<User>, sea_orm::DbErr> {
    users::Entity::find().filter(users::Column::Email.eq(email)).one(db).await
}

pub async fn find_user(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<User>, sea_orm::DbErr> {
    users::Entity::find_by_id(id).one(db).await
}

pub async fn set_admin(
    db: &impl ConnectionTrait,
    id: Uuid,
    is_admin: bool,
) -> Result<(), sea_orm::DbErr> {
    users::Entity::update_many()
        .col_expr(users::Column::IsAdmin, Expr::value(is_admin))
        .col_expr(users::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub struct NewRefreshToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: String,
    pub expires_at: OffsetDateTime,
}

pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    new: NewRefreshToken,
) -> Result<(), sea_orm::DbErr> {
    refresh_tokens::ActiveModel {
        id: Set(new.id),
        user_id: Set(new.user_id),
        family_id: Set(new.family_id),
        token_hash: Set(new.token_hash),
        expires_at: Set(new.expires_at),
        created_at: Set(OffsetDateTime::now_utc()),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

pub async fn find_refresh_token(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<refresh_tokens::Model>, sea_orm::DbErr> {
    refresh_tokens::Entity::find_by_id(id).one(db).await
}

/// Marks a refresh token used, only if nobody used or revoked it first. Returns whether this
/// call won (two concurrent refreshes with the same token: exactly one wins).
pub async fn consume_refresh_token(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(Some(OffsetDateTime::now_utc())))
        .filter(refresh_tokens::Column::Id.eq(id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Ends a whole session: every token of the family, past and present.
pub async fn revoke_family(
    db: &impl ConnectionTrait,
    family_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Some(OffsetDateTime::now_utc())))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn organisations_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<Uuid>, sea_orm::DbErr> {
    Ok(organisation_members::Entity::find()
        .filter(organisation_members::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.organisation_id)
        .collect())
}

pub async fn event_roles_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<(Uuid, EventRole)>, sea_orm::DbErr> {
    Ok(event_roles::Entity::find()
        .filter(event_roles::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| EventRole::parse(&r.role).map(|role| (r.event_id, role)))
        .collect())
}

pub async fn grant_event_role(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
    role: EventRole,
) -> Result<(), sea_orm::DbErr> {
    let exists = event_roles::Entity::find_by_id((event_id, user_id, role.as_str().to_owned()))
        .one(db)
        .await?
        .is_some();
    if !exists {
        event_roles::ActiveModel {
            event_id: Set(event_id),
            user_id: Set(user_id),
            role: Set(role.as_str().to_owned()),
            created_at: Set(OffsetDateTime::now_utc()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn revoke_event_role(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
    role: EventRole,
) -> Result<(), sea_orm::DbErr> {
    event_roles::Entity::delete_by_id((event_id, user_id, role.as_str().to_owned()))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, sea_orm::DbErr> {
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}
