//! Registration and team rules.

use super::repo::{self, JoinRequest, NewRegistration, Registration, Team};
use crate::auth::policy::Principal;
use crate::auth::service::{grant_event_role, revoke_event_role};
use crate::error::{AppError, AppResult};
use crate::events::service::{
    self as events, manageable, phase_of, settings_of, visible, EventChange,
};
use crate::realtime::Realtime;
use hackops_shared::auth::EventRole;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::events::EventPhase;
use hackops_shared::ids::{ChallengeId, EventId, UserId};
use hackops_shared::registrations::{
    EventStats, RegisterForEventRequest, RegistrationCounts, RegistrationDto, RegistrationList,
    RegistrationStatus,
};
use hackops_shared::teams::{
    CreateJoinRequest, CreateTeamRequest, JoinRequestDto, JoinRequestList, JoinRequestStatus,
    TeamDto, TeamList, TeamMemberDto, TeamSeekerDto, TeamSeekerList,
};
use rand::Rng;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn me(principal: &Principal) -> AppResult<UserId> {
    principal.user_id.ok_or(AppError::Api(ErrorCode::Unauthenticated))
}

fn status_of(r: &Registration) -> AppResult<RegistrationStatus> {
    RegistrationStatus::parse(&r.status).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("unknown registration status `{}`", r.status))
    })
}

fn skills_of(r: &Registration) -> Vec<String> {
    serde_json::from_str(&r.skills).unwrap_or_default()
}

async fn registration_dtos(
    db: &impl ConnectionTrait,
    regs: Vec<Registration>,
    event_id: Uuid,
) -> AppResult<Vec<RegistrationDto>> {
    let names =
        crate::auth::service::display_names(db, regs.iter().map(|r| r.user_id).collect()).await?;
    // Waitlist positions come from the whole queue, not just the rows asked for.
    let queue: Vec<Uuid> = repo::registrations_of(db, event_id)
        .await?
        .into_iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted.as_str())
        .map(|r| r.id)
        .collect();
    regs.into_iter()
        .map(|r| {
            let status = status_of(&r)?;
            Ok(RegistrationDto {
                id: r.id,
                event_id: EventId(r.event_id),
                user_id: UserId(r.user_id),
                display_name: names.get(&r.user_id).cloned().unwrap_or_default(),
                status,
                skills: skills_of(&r),
                interests: r.interests.clone(),
                looking_for_team: r.looking_for_team,
                waitlist_position: queue
                    .iter()
                    .position(|id| *id == r.id)
                    .and_then(|p| u32::try_from(p + 1).ok()),
                created_at: r.created_at,
            })
        })
        .collect()
}

async fn one_registration(
    db: &impl ConnectionTrait,
    r: Registration,
) -> AppResult<RegistrationDto> {
    let event_id = r.event_id;
    registration_dtos(db, vec![r], event_id)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("registration vanished")))
}

/// Confirms a registration if a seat is left, otherwise puts it on the waitlist.
async fn seat_or_waitlist(
    txn: &DatabaseTransaction,
    event: EventId,
    user: Uuid,
) -> AppResult<RegistrationStatus> {
    if events::take_seat(txn, event).await? {
        grant_event_role(txn, event.0, user, EventRole::Participant).await?;
        Ok(RegistrationStatus::Confirmed)
    } else {
        Ok(RegistrationStatus::Waitlisted)
    }
}

pub async fn register(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: RegisterForEventRequest,
) -> AppResult<RegistrationDto> {
    let user = me(principal)?;
    let valid = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = visible(txn, Some(principal), id).await?;
    if phase_of(&event)? != EventPhase::Registration {
        return Err(ErrorCode::RegistrationClosed.into());
    }
    if let Some(existing) = repo::registration_of(txn, id.0, user.0).await? {
        if status_of(&existing)?.is_active() {
            return Err(ErrorCode::AlreadyRegistered.into());
        }
    }
    let status = if event.moderated {
        RegistrationStatus::Pending
    } else {
        seat_or_waitlist(txn, id, user.0).await?
    };
    let registration = repo::upsert_registration(
        txn,
        NewRegistration {
            event_id: id.0,
            user_id: user.0,
            status,
            skills: valid.skills,
            interests: valid.interests,
            looking_for_team: valid.looking_for_team,
        },
    )
    .await?;
    let dto = one_registration(txn, registration).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

pub async fn mine(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<RegistrationDto> {
    let user = me(principal)?;
    visible(db, Some(principal), id).await?;
    let registration = repo::registration_of(db, id.0, user.0).await?.ok_or(ErrorCode::NotFound)?;
    one_registration(db, registration).await
}

/// Frees a seat and gives it to the first person on the waitlist, in the same transaction.
async fn free_seat(txn: &DatabaseTransaction, event: EventId) -> AppResult<()> {
    events::release_seat(txn, event).await?;
    if let Some(next) = repo::first_waitlisted(txn, event.0).await? {
        if events::take_seat(txn, event).await?
            && repo::set_status(
                txn,
                next.id,
                RegistrationStatus::Waitlisted,
                RegistrationStatus::Confirmed,
            )
            .await?
        {
            grant_event_role(txn, event.0, next.user_id, EventRole::Participant).await?;
            tracing::info!(event_id = %event, user_id = %next.user_id, "promoted from the waitlist");
        }
    }
    Ok(())
}

pub async fn cancel(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
) -> AppResult<()> {
    let user = me(principal)?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    visible(txn, Some(principal), id).await?;
    let registration =
        repo::registration_of(txn, id.0, user.0).await?.ok_or(ErrorCode::NotFound)?;
    let status = status_of(&registration)?;
    if !status.is_active()
        || !repo::set_status(txn, registration.id, status, RegistrationStatus::Cancelled).await?
    {
        return Err(ErrorCode::NotFound.into());
    }
    repo::close_pending_requests(txn, id.0, user.0).await?;
    if status == RegistrationStatus::Confirmed {
        if let Some(member) = repo::membership(txn, id.0, user.0).await? {
            leave_team(txn, member.team_id, user.0).await?;
        }
        revoke_event_role(txn, id.0, user.0, EventRole::Participant).await?;
        free_seat(txn, id).await?;
    }
    change.commit(realtime).await.map(drop)
}

/// Organisers decide on a pending registration of a moderated event.
pub async fn decide(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    registration: Uuid,
    approve: bool,
) -> AppResult<RegistrationDto> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    let existing =
        repo::find_registration(txn, id.0, registration).await?.ok_or(ErrorCode::NotFound)?;
    if status_of(&existing)? != RegistrationStatus::Pending {
        return Err(ErrorCode::Conflict.into());
    }
    let to = if approve {
        seat_or_waitlist(txn, id, existing.user_id).await?
    } else {
        RegistrationStatus::Rejected
    };
    if !repo::set_status(txn, existing.id, RegistrationStatus::Pending, to).await? {
        return Err(ErrorCode::Conflict.into());
    }
    let updated =
        repo::find_registration(txn, id.0, registration).await?.ok_or(ErrorCode::NotFound)?;
    let dto = one_registration(txn, updated).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

pub async fn list(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<RegistrationList> {
    manageable(db, principal, id).await?;
    let regs = repo::registrations_of(db, id.0).await?;
    Ok(RegistrationList { items: registration_dtos(db, regs, id.0).await? })
}

/// A spreadsheet cell that cannot run as a formula (OWASP CSV injection).
pub fn csv_cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

pub async fn registrations_csv(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<String> {
    let list = list(db, principal, id).await?;
    let mut out = String::from(
        "name,status,waitlist_position,skills,interests,looking_for_team,registered_at\r\n",
    );
    for r in list.items {
        let row = [
            csv_cell(&r.display_name),
            r.status.as_str().to_owned(),
            r.waitlist_position.map(|p| p.to_string()).unwrap_or_default(),
            csv_cell(&r.skills.join("; ")),
            csv_cell(&r.interests),
            r.looking_for_team.to_string(),
            r.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// Teams may change from registration until judging starts, and before the organisers' lock.
fn check_teams_open(event: &crate::events::repo::Event) -> AppResult<()> {
    let phase = phase_of(event)?;
    let locked_by_time = event.teams_lock_at.is_some_and(|at| at <= OffsetDateTime::now_utc());
    if !matches!(phase, EventPhase::Registration | EventPhase::Hacking) || locked_by_time {
        return Err(ErrorCode::TeamsLocked.into());
    }
    Ok(())
}

async fn confirmed_participant(
    db: &impl ConnectionTrait,
    event: EventId,
    user: UserId,
) -> AppResult<()> {
    match repo::registration_of(db, event.0, user.0).await? {
        Some(r) if status_of(&r)? == RegistrationStatus::Confirmed => Ok(()),
        _ => Err(ErrorCode::Forbidden.into()),
    }
}

fn invite_code() -> String {
    // No 0/O or 1/I: codes are read aloud and typed on phones.
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..8).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect()
}

/// The database's unique (event, user) on team members means "already in a team".
fn already_in_team(err: AppError) -> AppError {
    match err {
        AppError::Api(ErrorCode::Conflict) => AppError::Api(ErrorCode::AlreadyInTeam),
        other => other,
    }
}

pub async fn create_team(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: CreateTeamRequest,
) -> AppResult<TeamDto> {
    let user = me(principal)?;
    let name = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = visible(txn, Some(principal), id).await?;
    check_teams_open(&event)?;
    confirmed_participant(txn, id, user).await?;
    if repo::membership(txn, id.0, user.0).await?.is_some() {
        return Err(ErrorCode::AlreadyInTeam.into());
    }
    if let Some(challenge) = request.challenge_id {
        if !events::challenge_exists(txn, id, challenge).await? {
            return Err(AppError::field("challenge_id", FieldCode::InvalidValue));
        }
    }
    let team = repo::insert_team(
        txn,
        id.0,
        name,
        request.challenge_id.map(|c| c.0),
        user.0,
        invite_code(),
    )
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Api(ErrorCode::Conflict) => AppError::field("name", FieldCode::InvalidValue),
        other => other,
    })?;
    repo::add_member(txn, &team, user.0).await.map_err(|e| already_in_team(e.into()))?;
    repo::close_pending_requests(txn, id.0, user.0).await?;
    let dto = team_dto(txn, team, Some(user)).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

/// Seats someone in a team: one team per person and the size limit, both held by the database
/// under concurrency; their other pending requests are closed. The invite code and accepted
/// requests both come through here.
async fn seat_in_team(
    txn: &DatabaseTransaction,
    event: &crate::events::repo::Event,
    team: &Team,
    user: Uuid,
) -> AppResult<()> {
    if repo::membership(txn, event.id, user).await?.is_some() {
        return Err(ErrorCode::AlreadyInTeam.into());
    }
    if !repo::take_team_seat(txn, team.id, settings_of(event).team_max as i32).await? {
        return Err(ErrorCode::TeamFull.into());
    }
    repo::add_member(txn, team, user).await.map_err(|e| already_in_team(e.into()))?;
    repo::close_pending_requests(txn, event.id, user).await?;
    Ok(())
}

pub async fn join_team(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    code: &str,
) -> AppResult<TeamDto> {
    let user = me(principal)?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = visible(txn, Some(principal), id).await?;
    check_teams_open(&event)?;
    confirmed_participant(txn, id, user).await?;
    let code = code.trim().to_uppercase();
    let team = repo::team_by_code(txn, id.0, &code)
        .await?
        .ok_or_else(|| AppError::field("invite_code", FieldCode::InvalidValue))?;
    seat_in_team(txn, &event, &team, user.0).await?;
    let dto = team_dto(txn, team, Some(user)).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

/// Removes a member; the captaincy passes to the longest-standing member, and an empty team
/// is dissolved.
async fn leave_team(txn: &DatabaseTransaction, team_id: Uuid, user: Uuid) -> AppResult<()> {
    if !repo::remove_member(txn, team_id, user).await? {
        return Err(ErrorCode::NotFound.into());
    }
    let remaining = repo::members_of_team(txn, team_id).await?;
    match remaining.first() {
        None => repo::delete_team(txn, team_id).await?,
        Some(next) => {
            let team = repo::find_team(txn, next.event_id, team_id).await?;
            if team.is_some_and(|t| t.captain_id == user) {
                repo::set_captain(txn, team_id, next.user_id).await?;
            }
        }
    }
    Ok(())
}

pub async fn leave(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
) -> AppResult<()> {
    let user = me(principal)?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = visible(txn, Some(principal), id).await?;
    check_teams_open(&event)?;
    repo::find_team(txn, id.0, team).await?.ok_or(ErrorCode::NotFound)?;
    leave_team(txn, team, user.0).await?;
    change.commit(realtime).await.map(drop)
}

/// A team the caller captains (404 unknown team, 403 not its captain).
async fn captained(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: EventId,
    team: Uuid,
) -> AppResult<(crate::events::repo::Event, Team, UserId)> {
    let user = me(principal)?;
    let event = visible(db, Some(principal), id).await?;
    let team = repo::find_team(db, id.0, team).await?.ok_or(ErrorCode::NotFound)?;
    if team.captain_id != user.0 {
        return Err(ErrorCode::Forbidden.into());
    }
    Ok((event, team, user))
}

/// A team the caller captains, for changes (teams must not be locked).
async fn captain_team(
    txn: &DatabaseTransaction,
    principal: &Principal,
    id: EventId,
    team: Uuid,
) -> AppResult<(Team, UserId)> {
    let (event, team, user) = captained(txn, principal, id, team).await?;
    check_teams_open(&event)?;
    Ok((team, user))
}

pub async fn hand_over(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
    to: UserId,
) -> AppResult<TeamDto> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let (team, user) = captain_team(txn, principal, id, team).await?;
    if !repo::members_of_team(txn, team.id).await?.iter().any(|m| m.user_id == to.0) {
        return Err(AppError::field("user_id", FieldCode::InvalidValue));
    }
    repo::set_captain(txn, team.id, to.0).await?;
    let team = repo::find_team(txn, id.0, team.id).await?.ok_or(ErrorCode::NotFound)?;
    let dto = team_dto(txn, team, Some(user)).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

pub async fn dissolve(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
) -> AppResult<()> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let (team, _) = captain_team(txn, principal, id, team).await?;
    repo::delete_team(txn, team.id).await?;
    change.commit(realtime).await.map(drop)
}

async fn team_dtos(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    teams: Vec<Team>,
    viewer: Option<UserId>,
) -> AppResult<Vec<TeamDto>> {
    let members = repo::members_of_event(db, event_id).await?;
    let names =
        crate::auth::service::display_names(db, members.iter().map(|m| m.user_id).collect())
            .await?;
    let mut by_team: HashMap<Uuid, Vec<&repo::Member>> = HashMap::new();
    for member in &members {
        by_team.entry(member.team_id).or_default().push(member);
    }
    Ok(teams
        .into_iter()
        .map(|team| {
            let list = by_team.get(&team.id).cloned().unwrap_or_default();
            let is_member = viewer.is_some_and(|v| list.iter().any(|m| m.user_id == v.0));
            TeamDto {
                id: team.id,
                event_id: EventId(team.event_id),
                name: team.name.clone(),
                challenge_id: team.challenge_id.map(ChallengeId),
                members: list
                    .iter()
                    .map(|m| TeamMemberDto {
                        user_id: UserId(m.user_id),
                        display_name: names.get(&m.user_id).cloned().unwrap_or_default(),
                        captain: m.user_id == team.captain_id,
                    })
                    .collect(),
                invite_code: is_member.then(|| team.invite_code.clone()),
            }
        })
        .collect())
}

async fn team_dto(
    db: &impl ConnectionTrait,
    team: Team,
    viewer: Option<UserId>,
) -> AppResult<TeamDto> {
    let event_id = team.event_id;
    team_dtos(db, event_id, vec![team], viewer)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("team vanished")))
}

pub async fn teams(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<TeamList> {
    visible(db, principal, id).await?;
    let teams = repo::teams_of(db, id.0).await?;
    Ok(TeamList { items: team_dtos(db, id.0, teams, principal.and_then(|p| p.user_id)).await? })
}

pub async fn my_team(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<TeamDto> {
    let user = me(principal)?;
    visible(db, Some(principal), id).await?;
    let member = repo::membership(db, id.0, user.0).await?.ok_or(ErrorCode::NotFound)?;
    let team = repo::find_team(db, id.0, member.team_id).await?.ok_or(ErrorCode::NotFound)?;
    team_dto(db, team, Some(user)).await
}

fn request_status(r: &JoinRequest) -> AppResult<JoinRequestStatus> {
    JoinRequestStatus::parse(&r.status).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("unknown join request status `{}`", r.status))
    })
}

async fn request_dtos(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    requests: Vec<JoinRequest>,
) -> AppResult<Vec<JoinRequestDto>> {
    let names =
        crate::auth::service::display_names(db, requests.iter().map(|r| r.user_id).collect())
            .await?;
    let teams = team_names(db, EventId(event_id)).await?;
    requests
        .into_iter()
        .map(|r| {
            Ok(JoinRequestDto {
                status: request_status(&r)?,
                id: r.id,
                event_id: EventId(r.event_id),
                team_id: r.team_id,
                team_name: teams.get(&r.team_id).cloned().unwrap_or_default(),
                user_id: UserId(r.user_id),
                display_name: names.get(&r.user_id).cloned().unwrap_or_default(),
                message: r.message,
                created_at: r.created_at,
                decided_at: r.decided_at,
            })
        })
        .collect()
}

async fn request_dto(db: &impl ConnectionTrait, request: JoinRequest) -> AppResult<JoinRequestDto> {
    let event_id = request.event_id;
    request_dtos(db, event_id, vec![request])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("join request vanished")))
}

/// A confirmed participant without a team asks to join one.
pub async fn request_to_join(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
    request: CreateJoinRequest,
) -> AppResult<JoinRequestDto> {
    let user = me(principal)?;
    let message = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = visible(txn, Some(principal), id).await?;
    let team = repo::find_team(txn, id.0, team).await?.ok_or(ErrorCode::NotFound)?;
    check_teams_open(&event)?;
    confirmed_participant(txn, id, user).await?;
    if repo::membership(txn, id.0, user.0).await?.is_some() {
        return Err(ErrorCode::AlreadyInTeam.into());
    }
    let opened =
        repo::open_request(txn, &team, user.0, message).await.map_err(
            |e| match AppError::from(e) {
                AppError::Api(ErrorCode::Conflict) => AppError::Api(ErrorCode::AlreadyRequested),
                other => other,
            },
        )?;
    let opened = opened.ok_or(ErrorCode::AlreadyRequested)?;
    let dto = request_dto(txn, opened).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

/// The requests waiting for the team's captain.
pub async fn team_requests(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
    team: Uuid,
) -> AppResult<JoinRequestList> {
    let (_, team, _) = captained(db, principal, id, team).await?;
    let pending = repo::pending_requests_of_team(db, team.id).await?;
    Ok(JoinRequestList { items: request_dtos(db, id.0, pending).await? })
}

/// The caller's own requests in the event (every status, newest first).
pub async fn my_requests(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<JoinRequestList> {
    let user = me(principal)?;
    visible(db, Some(principal), id).await?;
    let mine = repo::requests_of_user(db, id.0, user.0).await?;
    Ok(JoinRequestList { items: request_dtos(db, id.0, mine).await? })
}

/// The captain accepts (a seat is taken exactly as with the invite code) or declines.
pub async fn decide_request(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
    request: Uuid,
    accept: bool,
) -> AppResult<JoinRequestDto> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let (event, team, _) = captained(txn, principal, id, team).await?;
    let pending = repo::find_request(txn, team.id, request).await?.ok_or(ErrorCode::NotFound)?;
    if accept {
        check_teams_open(&event)?;
        confirmed_participant(txn, id, UserId(pending.user_id))
            .await
            .map_err(|_| AppError::Api(ErrorCode::Conflict))?;
    }
    let to = if accept { JoinRequestStatus::Accepted } else { JoinRequestStatus::Declined };
    if !repo::decide_request(txn, pending.id, to).await? {
        return Err(ErrorCode::Conflict.into());
    }
    if accept {
        seat_in_team(txn, &event, &team, pending.user_id).await?;
    }
    let decided = repo::find_request(txn, team.id, request).await?.ok_or(ErrorCode::NotFound)?;
    let dto = request_dto(txn, decided).await?;
    change.commit(realtime).await?;
    Ok(dto)
}

/// The requester takes a pending request back.
pub async fn withdraw_request(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    team: Uuid,
    request: Uuid,
) -> AppResult<()> {
    let user = me(principal)?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    visible(txn, Some(principal), id).await?;
    let team = repo::find_team(txn, id.0, team).await?.ok_or(ErrorCode::NotFound)?;
    let pending = repo::find_request(txn, team.id, request).await?.ok_or(ErrorCode::NotFound)?;
    if pending.user_id != user.0 {
        return Err(ErrorCode::Forbidden.into());
    }
    if !repo::decide_request(txn, pending.id, JoinRequestStatus::Withdrawn).await? {
        return Err(ErrorCode::Conflict.into());
    }
    change.commit(realtime).await.map(drop)
}

/// Confirmed participants looking for a team and not in one, optionally with a skill.
pub async fn seekers(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
    skill: Option<&str>,
) -> AppResult<TeamSeekerList> {
    visible(db, Some(principal), id).await?;
    let in_team: Vec<Uuid> =
        repo::members_of_event(db, id.0).await?.into_iter().map(|m| m.user_id).collect();
    let skill = skill.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let candidates: Vec<Registration> = repo::registrations_of(db, id.0)
        .await?
        .into_iter()
        .filter(|r| {
            r.status == RegistrationStatus::Confirmed.as_str()
                && r.looking_for_team
                && !in_team.contains(&r.user_id)
        })
        .filter(|r| {
            skill.as_ref().is_none_or(|s| skills_of(r).iter().any(|k| k.contains(s.as_str())))
        })
        .collect();
    let names =
        crate::auth::service::display_names(db, candidates.iter().map(|r| r.user_id).collect())
            .await?;
    Ok(TeamSeekerList {
        items: candidates
            .iter()
            .map(|r| TeamSeekerDto {
                user_id: UserId(r.user_id),
                display_name: names.get(&r.user_id).cloned().unwrap_or_default(),
                skills: skills_of(r),
                interests: r.interests.clone(),
            })
            .collect(),
    })
}

/// The caller's team in this event and its challenge, if they are in a team.
pub async fn team_of(
    db: &impl ConnectionTrait,
    event: EventId,
    user: UserId,
) -> AppResult<Option<(Uuid, Option<ChallengeId>)>> {
    let Some(member) = repo::membership(db, event.0, user.0).await? else { return Ok(None) };
    Ok(repo::find_team(db, event.0, member.team_id)
        .await?
        .map(|t| (t.id, t.challenge_id.map(ChallengeId))))
}

/// The challenge of the caller's team in this event, if any (for challenge audiences).
pub async fn team_challenge(
    db: &impl ConnectionTrait,
    event: EventId,
    user: UserId,
) -> AppResult<Option<ChallengeId>> {
    Ok(team_of(db, event, user).await?.and_then(|(_, challenge)| challenge))
}

/// The event a team belongs to (`None` once it is dissolved).
pub async fn event_of_team(db: &impl ConnectionTrait, team: Uuid) -> AppResult<Option<EventId>> {
    Ok(repo::team_by_id(db, team).await?.map(|t| EventId(t.event_id)))
}

/// Team names by id, for an event.
pub async fn team_names(
    db: &impl ConnectionTrait,
    event: EventId,
) -> AppResult<HashMap<Uuid, String>> {
    Ok(repo::teams_of(db, event.0).await?.into_iter().map(|t| (t.id, t.name)).collect())
}

/// Demo seed: a confirmed registration (takes a seat, grants the participant role).
pub(crate) async fn seed_registration(
    txn: &DatabaseTransaction,
    event: EventId,
    user: Uuid,
    skills: &[&str],
    looking_for_team: bool,
) -> AppResult<()> {
    let status = seat_or_waitlist(txn, event, user).await?;
    repo::upsert_registration(
        txn,
        NewRegistration {
            event_id: event.0,
            user_id: user,
            status,
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            interests: String::new(),
            looking_for_team,
        },
    )
    .await?;
    Ok(())
}

/// Demo seed: a team with its captain first.
pub(crate) async fn seed_team(
    txn: &DatabaseTransaction,
    event: EventId,
    name: &str,
    challenge: Option<ChallengeId>,
    members: &[Uuid],
) -> AppResult<()> {
    let Some((captain, others)) = members.split_first() else { return Ok(()) };
    let team = repo::insert_team(
        txn,
        event.0,
        name.to_owned(),
        challenge.map(|c| c.0),
        *captain,
        invite_code(),
    )
    .await?;
    repo::add_member(txn, &team, *captain).await?;
    for member in others {
        repo::take_team_seat(txn, team.id, i32::MAX).await?;
        repo::add_member(txn, &team, *member).await?;
    }
    Ok(())
}

/// Counts for the control room (organisers).
pub async fn stats(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<EventStats> {
    manageable(db, principal, id).await?;
    let registrations = repo::registrations_of(db, id.0).await?;
    let in_team: Vec<Uuid> =
        repo::members_of_event(db, id.0).await?.into_iter().map(|m| m.user_id).collect();
    let mut counts = RegistrationCounts::default();
    let mut without_team = 0;
    for r in &registrations {
        match status_of(r)? {
            RegistrationStatus::Confirmed => {
                counts.confirmed += 1;
                if !in_team.contains(&r.user_id) {
                    without_team += 1;
                }
            }
            RegistrationStatus::Waitlisted => counts.waitlisted += 1,
            RegistrationStatus::Pending => counts.pending += 1,
            RegistrationStatus::Rejected | RegistrationStatus::Cancelled => {}
        }
    }
    let teams = u32::try_from(repo::teams_of(db, id.0).await?.len()).unwrap_or(u32::MAX);
    let downloads = crate::handout::service::download_total(db, id).await?;
    Ok(EventStats { registrations: counts, teams, without_team, downloads })
}

/// Every team with its members as CSV (organisers), safe to open in a spreadsheet.
pub async fn teams_csv(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<String> {
    manageable(db, principal, id).await?;
    let all = teams(db, Some(principal), id).await?;
    let mut out = String::from("team,challenge_id,members,captain\r\n");
    for team in all.items {
        let members: Vec<&str> = team.members.iter().map(|m| m.display_name.as_str()).collect();
        let captain = team
            .members
            .iter()
            .find(|m| m.captain)
            .map(|m| m.display_name.as_str())
            .unwrap_or_default();
        let row = [
            csv_cell(&team.name),
            team.challenge_id.map(|c| c.to_string()).unwrap_or_default(),
            csv_cell(&members.join("; ")),
            csv_cell(captain),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_cell("+33 6 00"), "'+33 6 00");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("Awa, Diop"), "\"Awa, Diop\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn invite_codes_are_unambiguous() {
        for _ in 0..100 {
            let code = invite_code();
            assert_eq!(code.len(), 8);
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
        }
    }
}
