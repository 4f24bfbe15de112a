//! Teams: formed by participants during registration and hacking, locked at a deadline.

use crate::ids::{ChallengeId, EventId, UserId};
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTeamRequest {
    pub name: String,
    #[serde(default)]
    pub challenge_id: Option<ChallengeId>,
}

impl CreateTeamRequest {
    pub fn validate(&self) -> Result<String, Issues> {
        let mut issues = Issues::default();
        let name = issues.check("name", validation::text(&self.name, 2, 60));
        name.ok_or(issues)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinTeamRequest {
    pub invite_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandOverRequest {
    pub user_id: UserId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMemberDto {
    pub user_id: UserId,
    pub display_name: String,
    pub captain: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDto {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    pub name: String,
    pub challenge_id: Option<ChallengeId>,
    pub members: Vec<TeamMemberDto>,
    /// Only for the team's own members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamList {
    pub items: Vec<TeamDto>,
}

/// Someone on the "looking for a team" board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamSeekerDto {
    pub user_id: UserId,
    pub display_name: String,
    pub skills: Vec<String>,
    pub interests: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamSeekerList {
    pub items: Vec<TeamSeekerDto>,
}

/// Ask to join a team; the captain accepts or declines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateJoinRequest {
    /// A short note for the captain (optional, at most 500 characters).
    #[serde(default)]
    pub message: String,
}

impl CreateJoinRequest {
    pub fn validate(&self) -> Result<String, Issues> {
        let mut issues = Issues::default();
        let message = issues.check("message", validation::text(&self.message, 0, 500));
        message.ok_or(issues)
    }
}

/// Where a request to join a team stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JoinRequestStatus {
    /// Waiting for the captain.
    Pending,
    /// The captain accepted: the requester is in the team.
    Accepted,
    /// The captain declined.
    Declined,
    /// The requester took it back.
    Withdrawn,
    /// The requester joined a team (this one by another way, or another one).
    Closed,
}

impl JoinRequestStatus {
    pub const ALL: [JoinRequestStatus; 5] = [
        JoinRequestStatus::Pending,
        JoinRequestStatus::Accepted,
        JoinRequestStatus::Declined,
        JoinRequestStatus::Withdrawn,
        JoinRequestStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JoinRequestStatus::Pending => "pending",
            JoinRequestStatus::Accepted => "accepted",
            JoinRequestStatus::Declined => "declined",
            JoinRequestStatus::Withdrawn => "withdrawn",
            JoinRequestStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<JoinRequestStatus> {
        JoinRequestStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// What the requester reads about their request.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        use crate::lang::Lang::{En, Fr};
        match (self, lang) {
            (JoinRequestStatus::Pending, En) => "Waiting for the captain",
            (JoinRequestStatus::Pending, Fr) => "En attente du ou de la capitaine",
            (JoinRequestStatus::Accepted, En) => "Accepted",
            (JoinRequestStatus::Accepted, Fr) => "Acceptée",
            (JoinRequestStatus::Declined, En) => "Declined",
            (JoinRequestStatus::Declined, Fr) => "Refusée",
            (JoinRequestStatus::Withdrawn, En) => "Withdrawn",
            (JoinRequestStatus::Withdrawn, Fr) => "Retirée",
            (JoinRequestStatus::Closed, En) => "Closed",
            (JoinRequestStatus::Closed, Fr) => "Close",
        }
    }
}

/// A request to join a team, as its captain and its requester see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequestDto {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    pub team_id: uuid::Uuid,
    pub team_name: String,
    pub user_id: UserId,
    pub display_name: String,
    pub message: String,
    pub status: JoinRequestStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: time::OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub decided_at: Option<time::OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequestList {
    pub items: Vec<JoinRequestDto>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;
    use uuid::Uuid;

    #[test]
    fn a_join_request_note_is_optional_and_short() {
        assert_eq!(CreateJoinRequest::default().validate().expect("valid"), "");
        let long = CreateJoinRequest { message: "x".repeat(501) };
        assert_eq!(
            long.validate().expect_err("long").for_field("message"),
            Some(FieldCode::TooLong)
        );
        for status in JoinRequestStatus::ALL {
            assert_eq!(JoinRequestStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn join_request_snapshot() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let request = JoinRequestDto {
            id: Uuid::from_u128(1),
            event_id: EventId(Uuid::from_u128(2)),
            team_id: Uuid::from_u128(3),
            team_name: "Les Baobabs".into(),
            user_id: UserId(Uuid::from_u128(4)),
            display_name: "Awa Diop".into(),
            message: "Je fais de la cartographie.".into(),
            status: JoinRequestStatus::Accepted,
            created_at: at,
            decided_at: Some(at),
        };
        let back: JoinRequestDto =
            serde_json::from_value(serde_json::to_value(&request).expect("json")).expect("parse");
        assert_eq!(back, request);
        insta::assert_json_snapshot!("join_request", JoinRequestList { items: vec![request] });
    }
}
