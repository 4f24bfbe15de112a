//! Announcements: organisers' notices, pushed live to their audience and kept in a history.

use crate::error::FieldCode;
use crate::ids::{ChallengeId, EventId};
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// Who an announcement is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    Everyone,
    /// Registered participants (and the event's organisers and judges).
    Participants,
    /// The teams working on one challenge (and the organisers and judges).
    Challenge(ChallengeId),
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Everyone => f.write_str("everyone"),
            Audience::Participants => f.write_str("participants"),
            Audience::Challenge(id) => write!(f, "challenge:{id}"),
        }
    }
}

impl FromStr for Audience {
    type Err = FieldCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            None if s == "everyone" => Ok(Audience::Everyone),
            None if s == "participants" => Ok(Audience::Participants),
            Some(("challenge", id)) => {
                id.parse().map(Audience::Challenge).map_err(|_| FieldCode::InvalidValue)
            }
            _ => Err(FieldCode::InvalidValue),
        }
    }
}

impl Serialize for Audience {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        raw.parse().map_err(|_| serde::de::Error::custom(format!("unknown audience `{raw}`")))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Audience {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("`everyone`, `participants` or `challenge:<uuid>`"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Audience {}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    /// Shown as an alert (e.g. "the deadline moves").
    Urgent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementDto {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    /// Markdown.
    pub body: String,
    pub priority: Priority,
    pub pinned: bool,
    pub audience: Audience,
    pub author_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

/// Pinned first, then newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnouncementList {
    pub items: Vec<AnnouncementDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAnnouncementRequest {
    pub body: String,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    pub pinned: bool,
    pub audience: Audience,
}

impl CreateAnnouncementRequest {
    pub fn validate(&self) -> Result<String, Issues> {
        let mut issues = Issues::default();
        issues.check("body", validation::text(&self.body, 1, 5000)).ok_or(issues)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PinRequest {
    pub pinned: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip() {
        let challenge = Audience::Challenge(ChallengeId(uuid::Uuid::from_u128(3)));
        for audience in [Audience::Everyone, Audience::Participants, challenge] {
            assert_eq!(audience.to_string().parse::<Audience>(), Ok(audience));
        }
        assert!("judges".parse::<Audience>().is_err());
        assert!("challenge:x".parse::<Audience>().is_err());
    }
}
