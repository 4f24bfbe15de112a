//! The agenda of an event, and its iCalendar feed.

use super::repo::{self, AgendaItem};
use super::service::{manageable, visible, EventChange};
use crate::auth::policy::Principal;
use crate::error::AppResult;
use crate::realtime::Realtime;
use hackops_shared::error::ErrorCode;
use hackops_shared::events::{AgendaItemDto, AgendaItemRequest, AgendaKind, AgendaList};
use hackops_shared::ids::EventId;
use icalendar::{Calendar, Component, EventLike};
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;
use uuid::Uuid;

fn dto(item: AgendaItem) -> AgendaItemDto {
    AgendaItemDto {
        id: item.id,
        event_id: EventId(item.event_id),
        title: item.title,
        kind: AgendaKind::parse(&item.kind).unwrap_or(AgendaKind::Other),
        starts_at: item.starts_at,
        ends_at: item.ends_at,
        location: item.location,
    }
}

pub async fn list(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
) -> AppResult<AgendaList> {
    visible(db, principal, id).await?;
    Ok(AgendaList { items: repo::agenda_of(db, id.0).await?.into_iter().map(dto).collect() })
}

pub async fn add(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    request: AgendaItemRequest,
) -> AppResult<AgendaItemDto> {
    let item = request.validate()?;
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    let created = repo::insert_agenda_item(txn, id.0, item).await?;
    change.commit(realtime).await?;
    Ok(dto(created))
}

pub async fn remove(
    db: &DatabaseConnection,
    realtime: &Realtime,
    principal: &Principal,
    id: EventId,
    item: Uuid,
) -> AppResult<()> {
    let change = EventChange::begin(db, id).await?;
    let txn = change.txn();
    manageable(txn, principal, id).await?;
    if !repo::delete_agenda_item(txn, id.0, item).await? {
        return Err(ErrorCode::NotFound.into());
    }
    change.commit(realtime).await.map(drop)
}

fn utc(t: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap_or_default()
}

/// The event and its agenda as an iCalendar (RFC 5545) document.
pub async fn calendar(
    db: &DatabaseConnection,
    principal: Option<&Principal>,
    id: EventId,
    public_url: &str,
) -> AppResult<String> {
    let event = visible(db, principal, id).await?;
    let url = format!("{public_url}/events/{}", event.id);
    let mut calendar = Calendar::new();
    calendar.name(&event.title).timezone(event.timezone.as_str());
    calendar.push(
        icalendar::Event::new()
            .uid(&format!("{}@hackops", event.id))
            .summary(&event.title)
            .description(&event.description)
            .starts(utc(event.starts_at))
            .ends(utc(event.ends_at))
            .location(&location(event.venue.as_deref(), event.online))
            .url(&url)
            .done(),
    );
    for item in repo::agenda_of(db, id.0).await? {
        let mut entry = icalendar::Event::new();
        entry
            .uid(&format!("{}@hackops", item.id))
            .summary(&item.title)
            .starts(utc(item.starts_at))
            .url(&url);
        entry.ends(utc(item.ends_at.unwrap_or(item.starts_at)));
        if let Some(location) = &item.location {
            entry.location(location);
        }
        calendar.push(entry.done());
    }
    Ok(calendar.done().to_string())
}

/// Where a calendar says the event is: the venue, online, or both.
fn location(venue: Option<&str>, online: bool) -> String {
    match (venue, online) {
        (Some(venue), true) => format!("{venue} + online"),
        (Some(venue), false) => venue.to_owned(),
        (None, true) => "Online".to_owned(),
        (None, false) => String::new(),
    }
}

#[cfg(test)]
mod location_tests {
    use super::location;

    #[test]
    fn the_calendar_says_where_and_whether_online() {
        assert_eq!(location(Some("Plateau"), false), "Plateau");
        assert_eq!(location(Some("Plateau"), true), "Plateau + online");
        assert_eq!(location(None, true), "Online");
        assert_eq!(location(None, false), "");
    }
}
