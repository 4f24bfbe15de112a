//! Accounts, sessions and roles.

use crate::ids::{EventId, OrganisationId, UserId};
use crate::lang::Lang;
use crate::validation::{self, Email, Issues, Password};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A role a person holds in one event. Platform administrators are marked on the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventRole {
    Organiser,
    Judge,
    Participant,
}

impl EventRole {
    pub const ALL: [EventRole; 3] =
        [EventRole::Organiser, EventRole::Judge, EventRole::Participant];

    pub fn as_str(self) -> &'static str {
        match self {
            EventRole::Organiser => "organiser",
            EventRole::Judge => "judge",
            EventRole::Participant => "participant",
        }
    }

    pub fn parse(value: &str) -> Option<EventRole> {
        EventRole::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EventRole::Organiser, Lang::En) => "Organiser",
            (EventRole::Organiser, Lang::Fr) => "Organisateur·rice",
            (EventRole::Judge, Lang::En) => "Judge",
            (EventRole::Judge, Lang::Fr) => "Membre du jury",
            (EventRole::Participant, Lang::En) => "Participant",
            (EventRole::Participant, Lang::Fr) => "Participant·e",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// Preferred language; the browser's language when omitted.
    #[serde(default)]
    pub locale: Option<Lang>,
}

/// A registration whose every field passed the rules.
#[derive(Debug)]
pub struct ValidRegistration {
    pub email: Email,
    pub password: Password,
    pub display_name: String,
    pub locale: Lang,
}

impl RegisterRequest {
    pub fn validate(&self) -> Result<ValidRegistration, Issues> {
        let mut issues = Issues::default();
        let email = issues.check("email", Email::parse(&self.email));
        let password = issues.check("password", Password::parse(&self.password));
        let (min, max) = validation::DISPLAY_NAME;
        let display_name =
            issues.check("display_name", validation::text(&self.display_name, min, max));
        match (email, password, display_name) {
            (Some(email), Some(password), Some(display_name)) if issues.is_empty() => {
                Ok(ValidRegistration {
                    email,
                    password,
                    display_name,
                    locale: self.locale.unwrap_or_default(),
                })
            }
            _ => Err(issues),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Body of refresh and logout. Browsers leave it out: their refresh token travels in an
/// HttpOnly cookie that scripts cannot read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDto {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub locale: Lang,
    pub is_admin: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

/// What login, register and refresh answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT for the `Authorization: Bearer` header.
    pub access_token: String,
    /// Always `"Bearer"`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
    /// Single-use token to obtain the next access token (also set as an HttpOnly cookie).
    pub refresh_token: String,
    pub user: UserDto,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventRoleDto {
    pub event_id: EventId,
    pub role: EventRole,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub user: UserDto,
    /// Organisations this person organises events for.
    pub organisations: Vec<OrganisationId>,
    pub event_roles: Vec<EventRoleDto>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;

    #[test]
    fn registration_reports_every_bad_field() {
        let req = RegisterRequest {
            email: "nope".into(),
            password: "short".into(),
            display_name: " ".into(),
            locale: None,
        };
        let issues = req.validate().expect_err("invalid");
        assert_eq!(issues.for_field("email"), Some(FieldCode::InvalidEmail));
        assert_eq!(issues.for_field("password"), Some(FieldCode::TooShort));
        assert_eq!(issues.for_field("display_name"), Some(FieldCode::Required));
    }

    #[test]
    fn a_good_registration_is_normalised() {
        let req = RegisterRequest {
            email: " Awa@Example.SN".into(),
            password: "long enough pass".into(),
            display_name: " Awa Diop ".into(),
            locale: Some(Lang::Fr),
        };
        let ok = req.validate().expect("valid");
        assert_eq!(ok.email.as_str(), "awa@example.sn");
        assert_eq!(ok.display_name, "Awa Diop");
        assert_eq!(ok.locale, Lang::Fr);
    }

    #[test]
    fn roles_round_trip() {
        for role in EventRole::ALL {
            assert_eq!(EventRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(EventRole::parse("admin"), None);
    }
}
