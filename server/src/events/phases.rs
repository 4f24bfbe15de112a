//! Phases: organisers move an event forward one phase at a time, or schedule automatic
//! transitions. A scheduled transition fires exactly once even with several instances running:
//! each instance's scheduler claims it with a conditional update, and only the claimer acts.

use super::repo;
use super::service::{manageable, phase_of, EventChange};
use crate::auth::policy::Principal;
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use hackops_shared::error::{ErrorCode, FieldCode};
use hackops_shared::events::{
    EventDto, EventPhase, ScheduleTransitionRequest, ScheduledTransitionDto,
    ScheduledTransitionList,
};
use hackops_shared::ids::EventId;
use sea_orm::DatabaseConnection;
use std::time::Duration;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

fn dto(t: repo::Transition) -> Option<ScheduledTransitionDto> {
    Some(ScheduledTransitionDto {
        id: t.id,
        phase: EventPhase::parse(&t.phase)?,
        at: t.scheduled_at,
        fired_at: t.fired_at,
    })
}

/// Moves the event to the next phase now (the organiser confirmed in the UI).
pub async fn change(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    to: EventPhase,
) -> AppResult<EventDto> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = manageable(txn, principal, id).await?;
    let from = phase_of(&event)?;
    if from.next() != Some(to) || !repo::set_phase(txn, id.0, from, to).await? {
        return Err(ErrorCode::InvalidPhaseTransition.into());
    }
    let dto = change.commit(realtime).await?;
    tracing::info!(event_id = %id, from = from.as_str(), to = to.as_str(), "phase changed");
    Ok(dto)
}

pub async fn schedule(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: ScheduleTransitionRequest,
) -> AppResult<ScheduledTransitionDto> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    let event = manageable(txn, principal, id).await?;
    if request.phase <= phase_of(&event)? {
        return Err(ErrorCode::InvalidPhaseTransition.into());
    }
    if request.at < OffsetDateTime::now_utc() - time::Duration::minutes(1) {
        return Err(AppError::field("at", FieldCode::InvalidValue));
    }
    let transition = repo::insert_transition(txn, id.0, request.phase, request.at).await?;
    change.commit(realtime).await?;
    dto(transition).ok_or_else(|| AppError::Internal(anyhow::anyhow!("unreadable transition")))
}

pub async fn list(
    db: &DatabaseConnection,
    principal: &Principal,
    id: EventId,
) -> AppResult<ScheduledTransitionList> {
    manageable(db, principal, id).await?;
    Ok(ScheduledTransitionList {
        items: repo::transitions_of(db, id.0).await?.into_iter().filter_map(dto).collect(),
    })
}

pub async fn cancel(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    transition: Uuid,
) -> AppResult<()> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    match repo::find_transition(txn, transition).await? {
        Some(t) if t.event_id == id.0 => {}
        _ => return Err(ErrorCode::NotFound.into()),
    }
    if !repo::delete_pending_transition(txn, transition).await? {
        return Err(ErrorCode::Conflict.into());
    }
    change.commit(realtime).await.map(drop)
}

/// Fires every due transition this instance manages to claim. Returns how many it fired.
pub async fn run_due(db: &DatabaseConnection, realtime: &Realtime) -> AppResult<usize> {
    let mut fired = 0;
    for transition in repo::due_transitions(db, OffsetDateTime::now_utc()).await? {
        let id = EventId(transition.event_id);
        let change = EventChange::begin(db, id).await?;
        let txn = change.txn();
        if !repo::claim_transition(txn, transition.id).await? {
            continue; // another instance got it
        }
        let Some(event) = repo::find(txn, transition.event_id).await? else { continue };
        let (from, to) = (phase_of(&event)?, EventPhase::parse(&transition.phase));
        let moved = match to {
            Some(to) if to > from => repo::set_phase(txn, event.id, from, to).await?,
            _ => false, // already there or beyond: the claim alone records it ran
        };
        change.commit(realtime).await?;
        if moved {
            fired += 1;
            tracing::info!(event_id = %id, to = %transition.phase, "scheduled phase change fired");
        }
    }
    Ok(fired)
}

/// The scheduler loop of one instance.
pub async fn scheduler(
    db: DatabaseConnection,
    realtime: Realtime,
    every: Duration,
    shutdown: CancellationToken,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {
                if let Err(err) = run_due(&db, &realtime).await {
                    tracing::warn!(error = %err, "scheduled transitions failed; retrying");
                }
            }
        }
    }
}
