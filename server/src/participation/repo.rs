use crate::db::entities::{registrations, team_join_requests, team_members, teams};
use hackops_shared::registrations::RegistrationStatus;
use hackops_shared::teams::JoinRequestStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub use registrations::Model as Registration;
pub use team_join_requests::Model as JoinRequest;
pub use team_members::Model as Member;
pub use teams::Model as Team;

pub async fn registration_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Registration>, sea_orm::DbErr> {
    registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::UserId.eq(user_id))
        .one(db)
        .await
}

pub async fn find_registration(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<Registration>, sea_orm::DbErr> {
    registrations::Entity::find_by_id(id)
        .filter(registrations::Column::EventId.eq(event_id))
        .one(db)
        .await
}

pub async fn registrations_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Registration>, sea_orm::DbErr> {
    registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .order_by_asc(registrations::Column::CreatedAt)
        .order_by_asc(registrations::Column::Id)
        .all(db)
        .await
}

pub struct NewRegistration {
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub status: RegistrationStatus,
    pub skills: Vec<String>,
    pub interests: String,
    pub looking_for_team: bool,
}

/// Inserts, or replaces a cancelled or rejected registration of the same person.
pub async fn upsert_registration(
    db: &impl ConnectionTrait,
    new: NewRegistration,
) -> Result<Registration, sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    let skills = serde_json::to_string(&new.skills).unwrap_or_else(|_| "[]".into());
    match registration_of(db, new.event_id, new.user_id).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.status = Set(new.status.as_str().to_owned());
            active.skills = Set(skills);
            active.interests = Set(new.interests);
            active.looking_for_team = Set(new.looking_for_team);
            // Back of the queue, like any new registration.
            active.created_at = Set(now);
            active.updated_at = Set(now);
            active.update(db).await
        }
        None => {
            registrations::ActiveModel {
                id: Set(Uuid::new_v4()),
                event_id: Set(new.event_id),
                user_id: Set(new.user_id),
                status: Set(new.status.as_str().to_owned()),
                skills: Set(skills),
                interests: Set(new.interests),
                looking_for_team: Set(new.looking_for_team),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await
        }
    }
}

/// Changes a registration's status only if it is still `from` (race-safe).
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: RegistrationStatus,
    to: RegistrationStatus,
) -> Result<bool, sea_orm::DbErr> {
    let result = registrations::Entity::update_many()
        .col_expr(registrations::Column::Status, Expr::value(to.as_str()))
        .col_expr(registrations::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(registrations::Column::Id.eq(id))
        .filter(registrations::Column::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn first_waitlisted(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Option<Registration>, sea_orm::DbErr> {
    registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Status.eq(RegistrationStatus::Waitlisted.as_str()))
        .order_by_asc(registrations::Column::CreatedAt)
        .order_by_asc(registrations::Column::Id)
        .one(db)
        .await
}

pub async fn insert_team(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    name: String,
    challenge_id: Option<Uuid>,
    captain: Uuid,
    invite_code: String,
) -> Result<Team, sea_orm::DbErr> {
    teams::ActiveModel {
        id: Set(Uuid::new_v4()),
        event_id: Set(event_id),
        name: Set(name),
        challenge_id: Set(challenge_id),
        invite_code: Set(invite_code),
        captain_id: Set(captain),
        member_count: Set(1),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}

pub async fn add_member(
    db: &impl ConnectionTrait,
    team: &Team,
    user_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    team_members::ActiveModel {
        team_id: Set(team.id),
        user_id: Set(user_id),
        event_id: Set(team.event_id),
        joined_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Takes a seat in a team if one is left (atomic: the last-seat race has one winner).
pub async fn take_team_seat(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    max: i32,
) -> Result<bool, sea_orm::DbErr> {
    let result = teams::Entity::update_many()
        .col_expr(teams::Column::MemberCount, Expr::col(teams::Column::MemberCount).add(1))
        .filter(teams::Column::Id.eq(team_id))
        .filter(teams::Column::MemberCount.lt(max))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn remove_member(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let removed = team_members::Entity::delete_many()
        .filter(team_members::Column::TeamId.eq(team_id))
        .filter(team_members::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if removed.rows_affected == 1 {
        teams::Entity::update_many()
            .col_expr(teams::Column::MemberCount, Expr::col(teams::Column::MemberCount).sub(1))
            .filter(teams::Column::Id.eq(team_id))
            .exec(db)
            .await?;
    }
    Ok(removed.rows_affected == 1)
}

pub async fn set_captain(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    teams::Entity::update_many()
        .col_expr(teams::Column::CaptainId, Expr::value(user_id))
        .filter(teams::Column::Id.eq(team_id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn delete_team(db: &impl ConnectionTrait, team_id: Uuid) -> Result<(), sea_orm::DbErr> {
    team_members::Entity::delete_many()
        .filter(team_members::Column::TeamId.eq(team_id))
        .exec(db)
        .await?;
    teams::Entity::delete_by_id(team_id).exec(db).await.map(|_| ())
}

pub async fn find_team(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    team_id: Uuid,
) -> Result<Option<Team>, sea_orm::DbErr> {
    teams::Entity::find_by_id(team_id).filter(teams::Column::EventId.eq(event_id)).one(db).await
}

pub async fn team_by_id(
    db: &impl ConnectionTrait,
    team_id: Uuid,
) -> Result<Option<Team>, sea_orm::DbErr> {
    teams::Entity::find_by_id(team_id).one(db).await
}

pub async fn team_by_code(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    code: &str,
) -> Result<Option<Team>, sea_orm::DbErr> {
    teams::Entity::find()
        .filter(teams::Column::EventId.eq(event_id))
        .filter(teams::Column::InviteCode.eq(code))
        .one(db)
        .await
}

pub async fn teams_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Team>, sea_orm::DbErr> {
    teams::Entity::find()
        .filter(teams::Column::EventId.eq(event_id))
        .order_by_asc(teams::Column::Name)
        .all(db)
        .await
}

pub async fn members_of_event(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Member>, sea_orm::DbErr> {
    team_members::Entity::find()
        .filter(team_members::Column::EventId.eq(event_id))
        .order_by_asc(team_members::Column::JoinedAt)
        .all(db)
        .await
}

pub async fn membership(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Member>, sea_orm::DbErr> {
    team_members::Entity::find()
        .filter(team_members::Column::EventId.eq(event_id))
        .filter(team_members::Column::UserId.eq(user_id))
        .one(db)
        .await
}

pub async fn members_of_team(
    db: &impl ConnectionTrait,
    team_id: Uuid,
) -> Result<Vec<Member>, sea_orm::DbErr> {
    team_members::Entity::find()
        .filter(team_members::Column::TeamId.eq(team_id))
        .order_by_asc(team_members::Column::JoinedAt)
        .all(db)
        .await
}

/// Files a request, or reopens this person's earlier request to the same team once it was
/// decided. `None` when one is already pending.
pub async fn open_request(
    db: &impl ConnectionTrait,
    team: &Team,
    user_id: Uuid,
    message: String,
) -> Result<Option<JoinRequest>, sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    let existing = team_join_requests::Entity::find()
        .filter(team_join_requests::Column::TeamId.eq(team.id))
        .filter(team_join_requests::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let Some(existing) = existing else {
        return team_join_requests::ActiveModel {
            id: Set(Uuid::new_v4()),
            event_id: Set(team.event_id),
            team_id: Set(team.id),
            user_id: Set(user_id),
            message: Set(message),
            status: Set(JoinRequestStatus::Pending.as_str().to_owned()),
            created_at: Set(now),
            decided_at: Set(None),
        }
        .insert(db)
        .await
        .map(Some);
    };
    let reopened = team_join_requests::Entity::update_many()
        .col_expr(
            team_join_requests::Column::Status,
            Expr::value(JoinRequestStatus::Pending.as_str()),
        )
        .col_expr(team_join_requests::Column::Message, Expr::value(message))
        .col_expr(team_join_requests::Column::CreatedAt, Expr::value(now))
        .col_expr(
            team_join_requests::Column::DecidedAt,
            Expr::value(Option::<OffsetDateTime>::None),
        )
        .filter(team_join_requests::Column::Id.eq(existing.id))
        .filter(team_join_requests::Column::Status.ne(JoinRequestStatus::Pending.as_str()))
        .exec(db)
        .await?;
    if reopened.rows_affected != 1 {
        return Ok(None);
    }
    team_join_requests::Entity::find_by_id(existing.id).one(db).await
}

pub async fn find_request(
    db: &impl ConnectionTrait,
    team_id: Uuid,
    id: Uuid,
) -> Result<Option<JoinRequest>, sea_orm::DbErr> {
    team_join_requests::Entity::find_by_id(id)
        .filter(team_join_requests::Column::TeamId.eq(team_id))
        .one(db)
        .await
}

/// The requests waiting for a team's captain, oldest first.
pub async fn pending_requests_of_team(
    db: &impl ConnectionTrait,
    team_id: Uuid,
) -> Result<Vec<JoinRequest>, sea_orm::DbErr> {
    team_join_requests::Entity::find()
        .filter(team_join_requests::Column::TeamId.eq(team_id))
        .filter(team_join_requests::Column::Status.eq(JoinRequestStatus::Pending.as_str()))
        .order_by_asc(team_join_requests::Column::CreatedAt)
        .order_by_asc(team_join_requests::Column::Id)
        .all(db)
        .await
}

/// A person's requests in an event, newest first.
pub async fn requests_of_user(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<JoinRequest>, sea_orm::DbErr> {
    team_join_requests::Entity::find()
        .filter(team_join_requests::Column::EventId.eq(event_id))
        .filter(team_join_requests::Column::UserId.eq(user_id))
        .order_by_desc(team_join_requests::Column::CreatedAt)
        .order_by_asc(team_join_requests::Column::Id)
        .all(db)
        .await
}

/// Decides a request only if it is still pending (race-safe: one decision wins).
pub async fn decide_request(
    db: &impl ConnectionTrait,
    id: Uuid,
    to: JoinRequestStatus,
) -> Result<bool, sea_orm::DbErr> {
    let result = team_join_requests::Entity::update_many()
        .col_expr(team_join_requests::Column::Status, Expr::value(to.as_str()))
        .col_expr(team_join_requests::Column::DecidedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(team_join_requests::Column::Id.eq(id))
        .filter(team_join_requests::Column::Status.eq(JoinRequestStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Closes every request a person still has pending in an event (they are in a team now).
pub async fn close_pending_requests(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    team_join_requests::Entity::update_many()
        .col_expr(
            team_join_requests::Column::Status,
            Expr::value(JoinRequestStatus::Closed.as_str()),
        )
        .col_expr(team_join_requests::Column::DecidedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(team_join_requests::Column::EventId.eq(event_id))
        .filter(team_join_requests::Column::UserId.eq(user_id))
        .filter(team_join_requests::Column::Status.eq(JoinRequestStatus::Pending.as_str()))
        .exec(db)
        .await
        .map(|_| ())
}
