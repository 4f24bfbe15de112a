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
    pub phase: EventPhase,
    pub challenge_count: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
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
    fn phases_round_trip_and_drafts_are_private() {
        for phase in EventPhase::ALL {
            assert_eq!(EventPhase::parse(phase.as_str()), Some(phase));
            assert_ne!(phase.label(Lang::En), phase.label(Lang::Fr));
        }
        assert!(!EventPhase::Draft.is_public());
        assert!(EventPhase::Hacking.is_public());
    }
}
