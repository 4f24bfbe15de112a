//! Organisations: the local authorities (or any body) that run events and publish data.

use crate::ids::OrganisationId;
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationDto {
    pub id: OrganisationId,
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrganisationRequest {
    pub name: String,
    #[serde(default)]
    pub website: Option<String>,
}

#[derive(Debug)]
pub struct ValidOrganisation {
    pub name: String,
    pub website: Option<String>,
}

impl CreateOrganisationRequest {
    pub fn validate(&self) -> Result<ValidOrganisation, Issues> {
        let mut issues = Issues::default();
        let (min, max) = validation::ORGANISATION_NAME;
        let name = issues.check("name", validation::text(&self.name, min, max));
        let website = match self.website.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(url) => issues.check("website", validation::web_url(url)).map(Some),
        };
        match (name, website) {
            (Some(name), Some(website)) => Ok(ValidOrganisation { name, website }),
            _ => Err(issues),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationList {
    pub items: Vec<OrganisationDto>,
}
