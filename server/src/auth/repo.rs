//! Storage of accounts, sessions (refresh tokens) and role grants.

use crate::db::entities::{event_roles, organisation_members, refresh_tokens, users};
use hackops_shared::auth::EventRole;
use sea_orm::sea_query::{
    Alias, ColumnRef, Expr, IntoColumnRef, IntoTableRef, Query, TableRef, UnionType,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, Set,
};
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

/// What decides what a user may do: their admin flag, organisations and event roles.
pub struct Grants {
    pub is_admin: bool,
    pub organisations: Vec<Uuid>,
    pub event_roles: Vec<(Uuid, EventRole)>,
}

/// One row of [`grants_of`]'s union: the user (`kind` 0), an organisation membership (1, `id`)
/// or an event role (2, `id` and `role`). Every column is a real column of its branch, so both
/// databases type the union alike.
#[derive(FromQueryResult)]
struct GrantRow {
    kind: i32,
    id: Uuid,
    role: String,
    is_admin: bool,
}

/// A user's [`Grants`] in one statement (it runs for every authenticated request); `None` when
/// the account does not exist.
pub async fn grants_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Option<Grants>, sea_orm::DbErr> {
    let mut query = Query::select()
        .expr_as(Expr::val(0i32), Alias::new("kind"))
        .expr_as(Expr::col(users::Column::Id), Alias::new("id"))
        .expr_as(Expr::col(users::Column::Locale), Alias::new("role"))
        .expr_as(Expr::col(users::Column::IsAdmin), Alias::new("is_admin"))
        .from(users::Entity)
        .and_where(Expr::col(users::Column::Id).eq(user_id))
        .to_owned();
    // One branch per grant table: (kind, granted id, role, false).
    let branch = |kind: i32, table: TableRef, id: ColumnRef, role: ColumnRef, user: ColumnRef| {
        Query::select()
            .expr(Expr::val(kind))
            .column(id)
            .column(role)
            .expr(Expr::val(false))
            .from(table)
            .and_where(Expr::col(user).eq(user_id))
            .to_owned()
    };
    use event_roles::Column as Role;
    use organisation_members::Column as Member;
    query.union(
        UnionType::All,
        branch(
            1,
            organisation_members::Entity.into_table_ref(),
            Member::OrganisationId.into_column_ref(),
            Member::Role.into_column_ref(),
            Member::UserId.into_column_ref(),
        ),
    );
    query.union(
        UnionType::All,
        branch(
            2,
            event_roles::Entity.into_table_ref(),
            Role::EventId.into_column_ref(),
            Role::Role.into_column_ref(),
            Role::UserId.into_column_ref(),
        ),
    );
    let rows = GrantRow::find_by_statement(db.get_database_backend().build(&query)).all(db).await?;
    let mut is_admin = None;
    let (mut organisations, mut event_roles) = (Vec::new(), Vec::new());
    for row in rows {
        match row.kind {
            0 => is_admin = Some(row.is_admin),
            1 => organisations.push(row.id),
            _ => event_roles.extend(EventRole::parse(&row.role).map(|role| (row.id, role))),
        }
    }
    Ok(is_admin.map(|is_admin| Grants { is_admin, organisations, event_roles }))
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
