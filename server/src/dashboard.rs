//! The signed-in person's dashboard (`GET /api/v1/me/events`): every event they organise,
//! judge or registered for, with their registration, their team and its challenge, and the
//! newest announcement they may see. A read model over the other modules' services.

use crate::announcements::service as announcements;
use crate::app::AppState;
use crate::auth::extract::AuthUser;
use crate::auth::policy::Principal;
use crate::db::entities::registrations;
use crate::error::{AppError, AppResult};
use crate::events::service as events;
use crate::http::json::ApiJson;
use crate::participation::service as participation;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use hackops_shared::dashboard::{MyEventDto, MyEventList};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::EventId;
use hackops_shared::registrations::RegistrationStatus;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

pub fn router() -> Router<AppState> {
    Router::new().route("/me/events", get(my_events))
}

/// Your events: the ones you organise or judge, and the ones you registered for (also while
/// pending or waitlisted), soonest first.
#[utoipa::path(get, path = "/api/v1/me/events", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = MyEventList),
        (status = 401, description = "`unauthenticated`, `token_expired` or `token_invalid`", body = hackops_shared::error::ErrorBody),
    ))]
pub async fn my_events(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<ApiJson<MyEventList>> {
    let principal = crate::auth::service::principal(&state.db, user.id).await?;
    list(&state.db, &principal).await.map(ApiJson)
}

/// `Ok(None)` for "not found" (a registration or team that does not exist), errors otherwise.
fn found<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::Api(ErrorCode::NotFound)) => Ok(None),
        Err(error) => Err(error),
    }
}

pub async fn list(db: &DatabaseConnection, principal: &Principal) -> AppResult<MyEventList> {
    let user = principal.user_id.ok_or(ErrorCode::Unauthenticated)?;
    let registered: Vec<(uuid::Uuid, String)> = registrations::Entity::find()
        .select_only()
        .column(registrations::Column::EventId)
        .column(registrations::Column::Status)
        .filter(registrations::Column::UserId.eq(user.0))
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<EventId> = principal.event_roles.keys().copied().collect();
    ids.extend(
        registered
            .into_iter()
            .filter(|(_, status)| RegistrationStatus::parse(status).is_some_and(|s| s.is_active()))
            .map(|(event, _)| EventId(event)),
    );
    ids.sort_unstable();
    ids.dedup();

    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        // An event deleted or hidden since (a draft whose role was taken away) is skipped.
        let Some(event) = found(events::get(db, Some(principal), id).await)? else { continue };
        let registration =
            found(participation::mine(db, principal, id).await)?.filter(|r| r.status.is_active());
        let team = found(participation::my_team(db, principal, id).await)?;
        let challenge_title = match team.as_ref().and_then(|t| t.challenge_id) {
            Some(challenge) => events::challenges(db, Some(principal), id)
                .await?
                .items
                .into_iter()
                .find(|c| c.id == challenge)
                .map(|c| c.title),
            None => None,
        };
        let latest_announcement = announcements::list(db, Some(principal), id)
            .await?
            .items
            .into_iter()
            .max_by_key(|a| a.created_at);
        let roles = principal.event_roles.get(&id).map(|r| r.iter().copied().collect());
        items.push(MyEventDto {
            event,
            roles: roles.unwrap_or_default(),
            registration,
            team,
            challenge_title,
            latest_announcement,
        });
    }
    items.sort_by_key(|item| item.event.starts_at);
    Ok(MyEventList { items })
}
