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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::{licence, ResourceDto};
    use crate::events::OrganisationSummary;
    use crate::ids::OrganisationId;
    use uuid::Uuid;

    #[test]
    fn acceptance_needs_both_boxes_ticked() {
        let none = AcceptTermsRequest { accept_licence: false, accept_data_terms: false };
        let issues = none.validate().expect_err("refused");
        assert_eq!(issues.for_field("accept_licence"), Some(FieldCode::Required));
        assert_eq!(issues.for_field("accept_data_terms"), Some(FieldCode::Required));
        assert!(AcceptTermsRequest { accept_licence: true, accept_data_terms: true }
            .validate()
            .is_ok());
        let blank = AttachDatasetRequest { dataset: "  ".into(), embargo: true };
        assert_eq!(
            blank.validate().expect_err("blank").for_field("dataset"),
            Some(FieldCode::Required)
        );
    }

    /// The hand-out as the front end receives it: a change here is a visible diff.
    #[test]
    fn handout_dtos_snapshot() {
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let dataset = DatasetDto {
            id: Uuid::from_u128(1),
            name: "horaires-ter".into(),
            title: "Horaires du TER".into(),
            description: "Départs.".into(),
            publisher: OrganisationSummary {
                id: OrganisationId(Uuid::from_u128(2)),
                slug: "ville-de-dakar".into(),
                name: "Ville de Dakar".into(),
            },
            licence_id: "CC-BY-4.0".into(),
            keywords: vec!["ter".into()],
            themes: vec![],
            spatial: Some("Dakar".into()),
            frequency: None,
            contact_email: None,
            temporal_start: None,
            temporal_end: None,
            resources: vec![ResourceDto {
                id: Uuid::from_u128(3),
                title: "Départs".into(),
                format: "CSV".into(),
                media_type: "text/csv".into(),
                size: Some(42),
                sha256: Some("ab".repeat(32)),
                url: "https://hack.example.org/api/v1/resources/3/download".into(),
                remote: false,
                created_at: at,
                schema: None,
                dialect: None,
            }],
            created_at: at,
            modified_at: at,
        };
        let handout = HandoutDto {
            team_id: Some(Uuid::from_u128(4)),
            items: vec![HandoutDatasetDto {
                challenge_id: ChallengeId(Uuid::from_u128(5)),
                dataset,
                licence: LicenceDto::from(licence("CC-BY-4.0").expect("known licence")),
                embargo: true,
                released: true,
                accepted_at: Some(at),
            }],
        };
        let link =
            DownloadLinkDto { url: "/api/v1/handout/download?token=…".into(), expires_at: at };
        let downloads = TeamDownloadList {
            items: vec![TeamDownloadDto {
                team_id: Uuid::from_u128(4),
                team_name: "Les Baobabs".into(),
                dataset: "horaires-ter".into(),
                dataset_title: "Horaires du TER".into(),
                count: 3,
                last_at: at,
            }],
            total: 3,
        };
        let back: HandoutDto =
            serde_json::from_value(serde_json::to_value(&handout).expect("json")).expect("parse");
        assert_eq!(back, handout);
        insta::assert_json_snapshot!("handout", (handout, link, downloads));
    }
}
