//! Events (one hackathon each) and their challenges.

use crate::ids::{ChallengeId, EventId, OrganisationId};
use crate::lang::Lang;
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Where an event is in its life. Phases only move forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventPhase {
    Draft,
    Registration,
    Hacking,
    Judging,
    ResultsPublished,
    Archived,
}

impl EventPhase {
    pub const ALL: [EventPhase; 6] = [
        EventPhase::Draft,
        EventPhase::Registration,
        EventPhase::Hacking,
        EventPhase::Judging,
        EventPhase::ResultsPublished,
        EventPhase::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventPhase::Draft => "draft",
            EventPhase::Registration => "registration",
            EventPhase::Hacking => "hacking",
            EventPhase::Judging => "judging",
            EventPhase::ResultsPublished => "results_published",
            EventPhase::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Option<EventPhase> {
        EventPhase::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// The phase after this one, `None` at the end.
    pub fn next(self) -> Option<EventPhase> {
        let i = EventPhase::ALL.iter().position(|p| *p == self)?;
        EventPhase::ALL.get(i + 1).copied()
    }

    /// Whether the public (spectators, participants) may see the event.
    pub fn is_public(self) -> bool {
        self != EventPhase::Draft
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EventPhase::Draft, Lang::En) => "Draft",
            (EventPhase::Draft, Lang::Fr) => "Brouillon",
            (EventPhase::Registration, Lang::En) => "Registration open",
            (EventPhase::Registration, Lang::Fr) => "Inscriptions ouvertes",
            (EventPhase::Hacking, Lang::En) => "Hacking",
            (EventPhase::Hacking, Lang::Fr) => "Développement en cours",
            (EventPhase::Judging, Lang::En) => "Judging",
            (EventPhase::Judging, Lang::Fr) => "Délibération du jury",
            (EventPhase::ResultsPublished, Lang::En) => "Results published",
            (EventPhase::ResultsPublished, Lang::Fr) => "Résultats publiés",
            (EventPhase::Archived, Lang::En) => "Archived",
            (EventPhase::Archived, Lang::Fr) => "Archivé",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationSummary {
    pub id: OrganisationId,
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventDto {
    pub id: EventId,
    pub slug: String,
    pub organisation: OrganisationSummary,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// IANA time-zone name, e.g. `Africa/Dakar`.
    pub timezone: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: OffsetDateTime,
    pub venue: Option<String>,
    /// Takes place online (as well as at the venue, when there is one).
    #[serde(default)]
    pub online: bool,
    pub phase: EventPhase,
    /// The next scheduled automatic phase change, for countdowns.
    #[serde(default)]
    pub next_transition: Option<NextTransition>,
    pub challenge_count: u32,
    /// How registration and teams work for this event.
    #[serde(default)]
    pub settings: crate::registrations::EventSettings,
    /// Participants holding a seat.
    #[serde(default)]
    pub confirmed_count: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTransition {
    pub phase: EventPhase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
}

/// `POST /events/{id}/phase`: move the event to the next phase now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhaseChangeRequest {
    pub phase: EventPhase,
}

/// `POST /events/{id}/transitions`: move the event to `phase` automatically at `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleTransitionRequest {
    pub phase: EventPhase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledTransitionDto {
    pub id: uuid::Uuid,
    pub phase: EventPhase,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    /// When it ran; `None` while pending.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub fired_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledTransitionList {
    pub items: Vec<ScheduledTransitionDto>,
}

/// What kind of moment an agenda item is (drives its icon and the countdown label).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgendaKind {
    Kickoff,
    Talk,
    Mentoring,
    Meal,
    Deadline,
    Pitch,
    Ceremony,
    Other,
}

impl AgendaKind {
    pub const ALL: [AgendaKind; 8] = [
        AgendaKind::Kickoff,
        AgendaKind::Talk,
        AgendaKind::Mentoring,
        AgendaKind::Meal,
        AgendaKind::Deadline,
        AgendaKind::Pitch,
        AgendaKind::Ceremony,
        AgendaKind::Other,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AgendaKind::Kickoff, Lang::En) => "Kick-off",
            (AgendaKind::Kickoff, Lang::Fr) => "Lancement",
            (AgendaKind::Talk, Lang::En) => "Talk",
            (AgendaKind::Talk, Lang::Fr) => "Présentation",
            (AgendaKind::Mentoring, Lang::En) => "Mentoring",
            (AgendaKind::Mentoring, Lang::Fr) => "Mentorat",
            (AgendaKind::Meal, Lang::En) => "Meal",
            (AgendaKind::Meal, Lang::Fr) => "Repas",
            (AgendaKind::Deadline, Lang::En) => "Deadline",
            (AgendaKind::Deadline, Lang::Fr) => "Date limite",
            (AgendaKind::Pitch, Lang::En) => "Pitches",
            (AgendaKind::Pitch, Lang::Fr) => "Pitchs",
            (AgendaKind::Ceremony, Lang::En) => "Ceremony",
            (AgendaKind::Ceremony, Lang::Fr) => "Cérémonie",
            (AgendaKind::Other, Lang::En) => "Session",
            (AgendaKind::Other, Lang::Fr) => "Session",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgendaKind::Kickoff => "kickoff",
            AgendaKind::Talk => "talk",
            AgendaKind::Mentoring => "mentoring",
            AgendaKind::Meal => "meal",
            AgendaKind::Deadline => "deadline",
            AgendaKind::Pitch => "pitch",
            AgendaKind::Ceremony => "ceremony",
            AgendaKind::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<AgendaKind> {
        use AgendaKind::*;
        [Kickoff, Talk, Mentoring, Meal, Deadline, Pitch, Ceremony, Other]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItemDto {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    pub title: String,
    pub kind: AgendaKind,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ends_at: Option<OffsetDateTime>,
    pub location: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaList {
    pub items: Vec<AgendaItemDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItemRequest {
    pub title: String,
    pub kind: AgendaKind,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ends_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub location: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidAgendaItem {
    pub title: String,
    pub kind: AgendaKind,
    pub starts_at: OffsetDateTime,
    pub ends_at: Option<OffsetDateTime>,
    pub location: Option<String>,
}

impl AgendaItemRequest {
    pub fn validate(&self) -> Result<ValidAgendaItem, Issues> {
        let mut issues = Issues::default();
        let title = issues.check("title", validation::text(&self.title, 2, 160));
        if let Some(ends_at) = self.ends_at {
            issues.check("ends_at", validation::event_dates(self.starts_at, ends_at));
        }
        let location = match self.location.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(v) => {
                issues.check("location", validation::text(v, 1, validation::VENUE_MAX)).map(Some)
            }
        };
        match (title, location) {
            (Some(title), Some(location)) if issues.is_empty() => Ok(ValidAgendaItem {
                title,
                kind: self.kind,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                location,
            }),
            _ => Err(issues),
        }
    }
}

/// Create or replace a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeRequest {
    pub title: String,
    pub summary: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub prize: Option<String>,
    /// Order among the event's challenges (smallest first); defaults to last.
    #[serde(default)]
    pub position: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct ValidChallenge {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub prize: Option<String>,
    pub position: Option<i32>,
}

impl ChallengeRequest {
    pub fn validate(&self) -> Result<ValidChallenge, Issues> {
        let mut issues = Issues::default();
        let title = issues.check("title", validation::text(&self.title, 3, 160));
        let summary = issues.check("summary", validation::text(&self.summary, 3, 300));
        let description = issues.check(
            "description",
            validation::text(&self.description, 0, validation::DESCRIPTION_MAX),
        );
        let prize = match self.prize.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(v) => issues.check("prize", validation::text(v, 1, 200)).map(Some),
        };
        if self.position.is_some_and(|p| !(0..=10_000).contains(&p)) {
            issues.push("position", crate::error::FieldCode::InvalidValue);
        }
        match (title, summary, description, prize) {
            (Some(title), Some(summary), Some(description), Some(prize)) if issues.is_empty() => {
                Ok(ValidChallenge { title, summary, description, prize, position: self.position })
            }
            _ => Err(issues),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventList {
    pub items: Vec<EventDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateEventRequest {
    /// The organisation that runs the event; may be left out when the organiser belongs to
    /// exactly one.
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub timezone: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: OffsetDateTime,
    #[serde(default)]
    pub venue: Option<String>,
    /// Takes place online (with or without a venue).
    #[serde(default)]
    pub online: bool,
}

/// The validated content of an event form.
#[derive(Debug, Clone)]
pub struct ValidEvent {
    pub title: String,
    pub description: String,
    pub timezone: String,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub venue: Option<String>,
    pub online: bool,
}

fn venue(issues: &mut Issues, raw: Option<&str>) -> Option<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Some(None),
        Some(v) => issues.check("venue", validation::text(v, 1, validation::VENUE_MAX)).map(Some),
    }
}

impl CreateEventRequest {
    pub fn validate(&self) -> Result<ValidEvent, Issues> {
        let mut issues = Issues::default();
        let (min, max) = validation::EVENT_TITLE;
        let title = issues.check("title", validation::text(&self.title, min, max));
        let description = issues.check(
            "description",
            validation::text(&self.description, 0, validation::DESCRIPTION_MAX),
        );
        let timezone = issues.check("timezone", validation::timezone_shape(&self.timezone));
        issues.check("ends_at", validation::event_dates(self.starts_at, self.ends_at));
        let venue = venue(&mut issues, self.venue.as_deref());
        match (title, description, timezone, venue) {
            (Some(title), Some(description), Some(timezone), Some(venue)) if issues.is_empty() => {
                Ok(ValidEvent {
                    title,
                    description,
                    timezone,
                    starts_at: self.starts_at,
                    ends_at: self.ends_at,
                    venue,
                    online: self.online,
                })
            }
            _ => Err(issues),
        }
    }
}

/// `PATCH /events/{id}`: every field is optional; an empty `venue` clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateEventRequest {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub starts_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ends_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub online: Option<bool>,
}

impl UpdateEventRequest {
    /// Applies the patch to the current content, then checks the result as a whole.
    pub fn apply(&self, current: &ValidEvent) -> Result<ValidEvent, Issues> {
        let merged = CreateEventRequest {
            organisation_id: None,
            title: self.title.clone().unwrap_or_else(|| current.title.clone()),
            description: self.description.clone().unwrap_or_else(|| current.description.clone()),
            timezone: self.timezone.clone().unwrap_or_else(|| current.timezone.clone()),
            starts_at: self.starts_at.unwrap_or(current.starts_at),
            ends_at: self.ends_at.unwrap_or(current.ends_at),
            venue: self.venue.clone().or_else(|| current.venue.clone()),
            online: self.online.unwrap_or(current.online),
        };
        merged.validate()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeDto {
    pub id: ChallengeId,
    pub event_id: EventId,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub prize: Option<String>,
    pub position: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeList {
    pub items: Vec<ChallengeDto>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;
    use time::macros::datetime;

    fn request() -> CreateEventRequest {
        CreateEventRequest {
            organisation_id: None,
            title: "Dakar Open Data Weekend".into(),
            description: "Build with **open data**.".into(),
            timezone: "Africa/Dakar".into(),
            starts_at: datetime!(2026-12-05 09:00 UTC),
            ends_at: datetime!(2026-12-06 18:00 UTC),
            venue: Some("  ".into()),
            online: false,
        }
    }

    #[test]
    fn a_good_event_passes_and_blank_venue_is_none() {
        let valid = request().validate().expect("valid");
        assert_eq!(valid.venue, None);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut req = request();
        req.title = "ab".into();
        req.timezone = "".into();
        req.ends_at = req.starts_at;
        let issues = req.validate().expect_err("invalid");
        assert_eq!(issues.for_field("title"), Some(FieldCode::TooShort));
        assert_eq!(issues.for_field("timezone"), Some(FieldCode::Required));
        assert_eq!(issues.for_field("ends_at"), Some(FieldCode::EndsBeforeStart));
    }

    #[test]
    fn patches_merge_then_validate() {
        let current = request().validate().expect("valid");
        let patch = UpdateEventRequest { title: Some("New title".into()), ..Default::default() };
        assert_eq!(patch.apply(&current).expect("valid").title, "New title");
        let bad = UpdateEventRequest {
            ends_at: Some(datetime!(2026-12-01 00:00 UTC)),
            ..Default::default()
        };
        assert_eq!(
            bad.apply(&current).expect_err("invalid").for_field("ends_at"),
            Some(FieldCode::EndsBeforeStart)
        );
    }

    #[test]
    fn phases_move_forward_one_at_a_time() {
        assert_eq!(EventPhase::Draft.next(), Some(EventPhase::Registration));
        assert_eq!(EventPhase::Judging.next(), Some(EventPhase::ResultsPublished));
        assert_eq!(EventPhase::Archived.next(), None);
    }

    #[test]
    fn agenda_items_and_challenges_are_validated() {
        let item = AgendaItemRequest {
            title: "Kick-off".into(),
            kind: AgendaKind::Kickoff,
            starts_at: datetime!(2026-12-05 09:00 UTC),
            ends_at: Some(datetime!(2026-12-05 08:00 UTC)),
            location: Some(" ".into()),
        };
        assert_eq!(
            item.validate().expect_err("ends first").for_field("ends_at"),
            Some(FieldCode::EndsBeforeStart)
        );
        let ok = AgendaItemRequest { ends_at: None, ..item }.validate().expect("valid");
        assert_eq!(ok.location, None);
        for kind in ["kickoff", "deadline", "other"] {
            assert_eq!(AgendaKind::parse(kind).map(AgendaKind::as_str), Some(kind));
        }
        let challenge = ChallengeRequest {
            title: "Eu".into(),
            summary: "".into(),
            description: "".into(),
            prize: None,
            position: Some(-1),
        };
        let issues = challenge.validate().expect_err("invalid");
        assert_eq!(issues.for_field("title"), Some(FieldCode::TooShort));
        assert_eq!(issues.for_field("summary"), Some(FieldCode::Required));
        assert_eq!(issues.for_field("position"), Some(FieldCode::InvalidValue));
    }

    #[test]
    fn phases_round_trip_and_drafts_are_private() {
        for phase in EventPhase::ALL {
            assert_eq!(EventPhase::parse(phase.as_str()), Some(phase));
            assert_ne!(phase.label(Lang::En), phase.label(Lang::Fr));
        }
        assert!(!EventPhase::Draft.is_public());
        assert!(EventPhase::Hacking.is_public());
    }
}
