//! Hand-out to teams: the datasets of a team's challenge, released at the hacking phase when
//! embargoed, taken after accepting their licence and the event's data-use terms, downloaded
//! through signed, expiring links that count downloads per team.

use crate::datasets::{DatasetDto, Licence};
use crate::error::FieldCode;
use crate::ids::ChallengeId;
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Attach a dataset of the pool to a challenge, or change its embargo (organisers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachDatasetRequest {
    /// The dataset's name (slug) in the pool.
    pub dataset: String,
    /// Hidden from everyone but the organisers until the event reaches its hacking phase.
    #[serde(default)]
    pub embargo: bool,
}

impl AttachDatasetRequest {
    pub fn validate(&self) -> Result<String, Issues> {
        let mut issues = Issues::default();
        let name = issues.check("dataset", validation::text(&self.dataset, 1, 100));
        name.ok_or(issues)
    }
}

/// A dataset attached to a challenge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeDatasetDto {
    pub challenge_id: ChallengeId,
    /// The dataset's name (slug).
    pub dataset: String,
    pub embargo: bool,
    /// Whether participants can have it now (not embargoed, or the hacking phase has begun).
    pub released: bool,
}

/// A licence as the hand-out shows it: SPDX id, name and the text's URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceDto {
    /// SPDX identifier.
    pub id: String,
    pub name: String,
    pub url: String,
    /// Derived data must keep the same licence.
    pub share_alike: bool,
}

impl From<&Licence> for LicenceDto {
    fn from(l: &Licence) -> Self {
        LicenceDto {
            id: l.id.to_owned(),
            name: l.title.to_owned(),
            url: l.url.to_owned(),
            share_alike: l.share_alike,
        }
    }
}

/// One dataset handed out to a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoutDatasetDto {
    pub challenge_id: ChallengeId,
    /// The dataset with its resources. Participants download through
    /// `POST …/handout/{dataset}/resources/{resource}/link`.
    pub dataset: DatasetDto,
    pub licence: LicenceDto,
    pub embargo: bool,
    /// `false` only for organisers looking at an embargoed dataset before the hacking phase.
    pub released: bool,
    /// When the caller accepted the licence and the data-use terms; `None` until they do.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub accepted_at: Option<OffsetDateTime>,
}

/// What the caller may take: for a team member, the released datasets of their team's
/// challenge; for organisers, every attached dataset, embargoed or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoutDto {
    /// The caller's team, if they are in one.
    pub team_id: Option<uuid::Uuid>,
    pub items: Vec<HandoutDatasetDto>,
}

/// Accept a dataset's licence and the event's data-use terms (both must be `true`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptTermsRequest {
    pub accept_licence: bool,
    pub accept_data_terms: bool,
}

impl AcceptTermsRequest {
    pub fn validate(&self) -> Result<(), Issues> {
        let mut issues = Issues::default();
        if !self.accept_licence {
            issues.push("accept_licence", FieldCode::Required);
        }
        if !self.accept_data_terms {
            issues.push("accept_data_terms", FieldCode::Required);
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }
}

/// A signed download link, valid until `expires_at`, for one person of one team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadLinkDto {
    /// `/api/v1/handout/download?token=…`, relative to the server.
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: OffsetDateTime,
}

/// How often a team downloaded a dataset through its links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDownloadDto {
    pub team_id: uuid::Uuid,
    pub team_name: String,
    /// The dataset's name (slug).
    pub dataset: String,
    pub dataset_title: String,
    pub count: u64,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDownloadList {
    pub items: Vec<TeamDownloadDto>,
    /// Every download of the event's hand-out.
    pub total: u64,
}
