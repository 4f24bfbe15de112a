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
