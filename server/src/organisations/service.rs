use super::repo::{self, Organisation};
use crate::auth::policy::{authorize, Action, Principal};
use crate::error::AppResult;
use hackops_shared::events::OrganisationSummary;
use hackops_shared::ids::{OrganisationId, UserId};
use hackops_shared::organisations::{CreateOrganisationRequest, OrganisationDto, OrganisationList};
use hackops_shared::validation::slugify;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use std::collections::HashMap;
use uuid::Uuid;

fn dto(org: Organisation) -> OrganisationDto {
    OrganisationDto {
        id: OrganisationId(org.id),
        slug: org.slug,
        name: org.name,
        website: org.website,
        created_at: org.created_at,
    }
}

pub async fn list(db: &DatabaseConnection) -> AppResult<OrganisationList> {
    Ok(OrganisationList { items: repo::list(db).await?.into_iter().map(dto).collect() })
}

/// Creates an organisation; its creator becomes one of its organisers.
pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    request: CreateOrganisationRequest,
) -> AppResult<OrganisationDto> {
    authorize(Some(principal), Action::CreateOrganisation)?;
    let valid = request.validate()?;
    let txn = db.begin().await?;
    let org = insert_with_member(&txn, &valid.name, valid.website, principal.user_id).await?;
    txn.commit().await?;
    Ok(dto(org))
}

pub(crate) async fn insert_with_member(
    db: &impl ConnectionTrait,
    name: &str,
    website: Option<String>,
    member: Option<UserId>,
) -> AppResult<Organisation> {
    let slug = crate::db::unique_slug(&slugify(name), "organisation", |candidate| async move {
        Ok(repo::find_by_slug(db, &candidate).await?.is_some())
    })
    .await?;
    let org = repo::insert(db, slug, name.to_owned(), website).await?;
    if let Some(user) = member {
        repo::add_member(db, org.id, user.0).await?;
    }
    Ok(org)
}

/// Finds an organisation by slug, or creates it (demo seed).
pub(crate) async fn ensure(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
    website: Option<String>,
    member: UserId,
) -> AppResult<Organisation> {
    if let Some(org) = repo::find_by_slug(db, slug).await? {
        return Ok(org);
    }
    insert_with_member(db, name, website, Some(member)).await
}

/// Summaries of the given organisations, for embedding in other DTOs.
pub async fn summaries(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, OrganisationSummary>> {
    Ok(repo::find_many(db, ids)
        .await?
        .into_iter()
        .map(|o| {
            (o.id, OrganisationSummary { id: OrganisationId(o.id), slug: o.slug, name: o.name })
        })
        .collect())
}

pub async fn id_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> AppResult<Option<OrganisationId>> {
    Ok(repo::find_by_slug(db, slug).await?.map(|o| OrganisationId(o.id)))
}

/// The organisation a request acts for: the one it names, or the caller's only organisation.
pub fn acting_for(
    principal: &crate::auth::policy::Principal,
    requested: Option<OrganisationId>,
) -> AppResult<OrganisationId> {
    match requested {
        Some(org) => Ok(org),
        None => match principal.organisations.iter().collect::<Vec<_>>().as_slice() {
            [only] => Ok(**only),
            _ => Err(crate::error::AppError::field(
                "organisation_id",
                hackops_shared::error::FieldCode::Required,
            )),
        },
    }
}
