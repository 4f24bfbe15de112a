//! Registration of participants (capacity, waitlist, moderation) and the event settings that
//! govern it and the teams.

use crate::error::FieldCode;
use crate::ids::{EventId, UserId};
use crate::lang::Lang;
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How an event takes registrations and forms teams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventSettings {
    /// Confirmed participants at most; `None` for no limit. Over it, people join a waitlist.
    pub capacity: Option<u32>,
    pub team_min: u32,
    pub team_max: u32,
    /// Registrations wait for an organiser's approval.
    pub moderated: bool,
    /// Markdown; participants accept it to register.
    pub code_of_conduct: String,
    /// After this time teams cannot change (also once judging starts).
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub teams_lock_at: Option<OffsetDateTime>,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            capacity: None,
            team_min: 1,
            team_max: 5,
            moderated: false,
            code_of_conduct: String::new(),
            teams_lock_at: None,
        }
    }
}

impl EventSettings {
    pub fn validate(&self) -> Result<(), Issues> {
        let mut issues = Issues::default();
        if self.capacity == Some(0) || self.capacity.is_some_and(|c| c > 100_000) {
            issues.push("capacity", FieldCode::InvalidValue);
        }
        if !(1..=50).contains(&self.team_max) {
            issues.push("team_max", FieldCode::InvalidValue);
        }
        if self.team_min == 0 || self.team_min > self.team_max {
            issues.push("team_min", FieldCode::InvalidValue);
        }
        issues.check(
            "code_of_conduct",
            validation::text(&self.code_of_conduct, 0, validation::DESCRIPTION_MAX),
        );
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Waiting for an organiser (moderated events).
    Pending,
    Confirmed,
    /// The event is full; promoted automatically when a seat frees up.
    Waitlisted,
    Rejected,
    Cancelled,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 5] = [
        RegistrationStatus::Pending,
        RegistrationStatus::Confirmed,
        RegistrationStatus::Waitlisted,
        RegistrationStatus::Rejected,
        RegistrationStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Rejected => "rejected",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<RegistrationStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RegistrationStatus::Pending, Lang::En) => "Awaiting approval",
            (RegistrationStatus::Pending, Lang::Fr) => "En attente de validation",
            (RegistrationStatus::Confirmed, Lang::En) => "Registered",
            (RegistrationStatus::Confirmed, Lang::Fr) => "Inscrit·e",
            (RegistrationStatus::Waitlisted, Lang::En) => "On the waitlist",
            (RegistrationStatus::Waitlisted, Lang::Fr) => "Sur liste d'attente",
            (RegistrationStatus::Rejected, Lang::En) => "Not accepted",
            (RegistrationStatus::Rejected, Lang::Fr) => "Non retenue",
            (RegistrationStatus::Cancelled, Lang::En) => "Cancelled",
            (RegistrationStatus::Cancelled, Lang::Fr) => "Annulée",
        }
    }

    /// Whether the registration holds (or waits for) a seat.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Pending
                | RegistrationStatus::Confirmed
                | RegistrationStatus::Waitlisted
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterForEventRequest {
    /// Up to 10 short skills, e.g. `["python", "cartographie"]`.
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub interests: String,
    pub accept_code_of_conduct: bool,
    pub accept_data_terms: bool,
    #[serde(default)]
    pub looking_for_team: bool,
}

#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub skills: Vec<String>,
    pub interests: String,
    pub looking_for_team: bool,
}

impl RegisterForEventRequest {
    pub fn validate(&self) -> Result<ValidRegistration, Issues> {
        let mut issues = Issues::default();
        if !self.accept_code_of_conduct {
            issues.push("accept_code_of_conduct", FieldCode::Required);
        }
        if !self.accept_data_terms {
            issues.push("accept_data_terms", FieldCode::Required);
        }
        let mut skills = Vec::new();
        for skill in &self.skills {
            let skill = skill.trim().to_lowercase();
            if skill.is_empty() || skill.chars().count() > 40 {
                issues.push("skills", FieldCode::InvalidValue);
                break;
            }
            if !skills.contains(&skill) {
                skills.push(skill);
            }
        }
        if skills.len() > 10 {
            issues.push("skills", FieldCode::TooLong);
        }
        let interests = issues.check("interests", validation::text(&self.interests, 0, 1000));
        match interests {
            Some(interests) if issues.is_empty() => {
                Ok(ValidRegistration { skills, interests, looking_for_team: self.looking_for_team })
            }
            _ => Err(issues),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationDto {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    pub user_id: UserId,
    pub display_name: String,
    pub status: RegistrationStatus,
    pub skills: Vec<String>,
    pub interests: String,
    pub looking_for_team: bool,
    /// 1 for the first in line; only for waitlisted registrations.
    pub waitlist_position: Option<u32>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationList {
    pub items: Vec<RegistrationDto>,
}

/// Public counts of an event's registrations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationCounts {
    pub confirmed: u32,
    pub waitlisted: u32,
    pub pending: u32,
}

/// Live counts for the organisers' control room.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventStats {
    pub registrations: RegistrationCounts,
    pub teams: u32,
    /// Confirmed participants not in any team.
    pub without_team: u32,
    /// Downloads of the hand-out through teams' signed links.
    #[serde(default)]
    pub downloads: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_rules() {
        assert!(EventSettings::default().validate().is_ok());
        let bad =
            EventSettings { capacity: Some(0), team_min: 6, team_max: 5, ..Default::default() };
        let issues = bad.validate().expect_err("invalid");
        assert_eq!(issues.for_field("capacity"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("team_min"), Some(FieldCode::InvalidValue));
    }

    #[test]
    fn registration_needs_both_acceptances_and_tidy_skills() {
        let req = RegisterForEventRequest {
            skills: vec![" Python ".into(), "python".into(), "SIG".into()],
            accept_code_of_conduct: true,
            accept_data_terms: true,
            ..Default::default()
        };
        assert_eq!(
            req.validate().expect("valid").skills,
            vec!["python".to_owned(), "sig".to_owned()]
        );
        let refused = RegisterForEventRequest { accept_data_terms: false, ..req }
            .validate()
            .expect_err("terms");
        assert_eq!(refused.for_field("accept_data_terms"), Some(FieldCode::Required));
        for status in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::parse(status.as_str()), Some(status));
        }
    }
}
