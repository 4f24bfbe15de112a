//! One harvest: fetch (or take) the document, read it, and write every record in ONE
//! transaction. A document we cannot read imports nothing; a record we cannot import is skipped
//! with its reason; a record seen before (same source, same identifier) updates its dataset.

use super::fetch::{self, FetchError, Progress};
use super::{normalise, parse, Link, Normalised};
use crate::auth::policy::{authorize, Action, Principal};
use crate::datasets::repo::{self, NewResource, Origin};
use crate::error::AppError;
use crate::organisations::service as organisations;
use hackops_shared::datasets::{HarvestFormat, HarvestItem, HarvestOutcome, HarvestReport};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::OrganisationId;
use hackops_shared::validation::slugify;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("there is no organisation `{0}`")]
    NoOrganisation(String),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<sea_orm::DbErr> for HarvestError {
    fn from(err: sea_orm::DbErr) -> Self {
        HarvestError::App(err.into())
    }
}

impl From<HarvestError> for AppError {
    fn from(err: HarvestError) -> Self {
        match err {
            HarvestError::NoOrganisation(_) => AppError::Api(ErrorCode::NotFound),
            HarvestError::Fetch(FetchError::Scheme(_)) => {
                AppError::field("url", hackops_shared::error::FieldCode::InvalidUrl)
            }
            HarvestError::Fetch(FetchError::TooLarge { .. }) => {
                AppError::Api(ErrorCode::PayloadTooLarge)
            }
            HarvestError::Fetch(e @ FetchError::Unreachable { .. }) => {
                tracing::info!(error = %e, "harvest source unreachable");
                AppError::Api(ErrorCode::HarvestUnreachable)
            }
            HarvestError::Fetch(FetchError::Invalid(e)) => {
                tracing::info!(error = %e, "harvest document refused");
                AppError::Api(ErrorCode::HarvestInvalid)
            }
            HarvestError::App(e) => e,
        }
    }
}

/// What to harvest.
pub struct Job {
    /// Organisation slug.
    pub organisation: String,
    /// The source's URL: fetched when `content` is `None`; with each record's identifier, the
    /// key that recognises a dataset on the next harvest.
    pub source: String,
    pub format: HarvestFormat,
    /// The document, when it does not have to be fetched.
    pub content: Option<Vec<u8>>,
}

pub async fn harvest(
    db: &DatabaseConnection,
    principal: &Principal,
    job: Job,
    progress: &dyn Progress,
) -> Result<HarvestReport, HarvestError> {
    let organisation = organisations::id_by_slug(db, &job.organisation)
        .await?
        .ok_or_else(|| HarvestError::NoOrganisation(job.organisation.clone()))?;
    authorize(Some(principal), Action::PublishData { organisation })?;
    let (format, records) = match &job.content {
        Some(bytes) => {
            let (format, catalogue) =
                parse(job.format, bytes, &job.source).map_err(FetchError::from)?;
            progress.fetched(catalogue.records.len(), catalogue.total);
            (format, catalogue.records)
        }
        None => fetch::collect(&fetch::client(), &job.source, job.format, progress).await?,
    };
    let mut report = HarvestReport {
        source: job.source.clone(),
        format,
        created: 0,
        updated: 0,
        skipped: 0,
        items: Vec::with_capacity(records.len()),
    };
    let of = records.len();
    let mut seen = HashSet::new();
    let txn = db.begin().await?;
    for (done, record) in records.into_iter().enumerate() {
        let item = match normalise(record) {
            Err(skip) => HarvestItem {
                source_id: skip.source_id,
                title: skip.title,
                outcome: HarvestOutcome::Skipped,
                name: None,
                reason: Some(skip.reason),
                warnings: Vec::new(),
            },
            Ok(record) if !seen.insert(record.source_id.clone()) => HarvestItem {
                source_id: Some(record.source_id),
                title: Some(record.dataset.title),
                outcome: HarvestOutcome::Skipped,
                name: None,
                reason: Some("the source lists this identifier twice: the first one counts".into()),
                warnings: record.warnings,
            },
            Ok(record) => store(&txn, organisation, &job.source, record).await?,
        };
        match item.outcome {
            HarvestOutcome::Created => report.created += 1,
            HarvestOutcome::Updated => report.updated += 1,
            HarvestOutcome::Skipped => report.skipped += 1,
        }
        report.items.push(item);
        progress.stored(done + 1, of);
    }
    txn.commit().await?;
    Ok(report)
}

/// Creates or updates the dataset of one record.
async fn store(
    db: &impl ConnectionTrait,
    organisation: OrganisationId,
    source: &str,
    record: Normalised,
) -> Result<HarvestItem, HarvestError> {
    let Normalised { source_id, dataset, issued, modified, links, warnings } = record;
    let title = dataset.title.clone();
    let origin =
        Origin { source_url: source.to_owned(), source_id: source_id.clone(), issued, modified };
    let (outcome, stored) = match repo::find_by_origin(db, source, &source_id).await? {
        Some(existing) if existing.organisation_id != organisation.0 => {
            return Ok(HarvestItem {
                source_id: Some(source_id),
                title: Some(title),
                outcome: HarvestOutcome::Skipped,
                name: None,
                reason: Some(
                    "another organisation already harvested this record from this source".into(),
                ),
                warnings,
            });
        }
        Some(existing) => {
            (HarvestOutcome::Updated, repo::update_harvested(db, existing, dataset, &origin).await?)
        }
        None => {
            let name =
                crate::db::unique_slug(&slugify(&title), "dataset", |candidate| async move {
                    Ok(repo::find_by_name(db, &candidate).await?.is_some())
                })
                .await?;
            (
                HarvestOutcome::Created,
                repo::insert(db, organisation.0, name, dataset, Some(origin)).await?,
            )
        }
    };
    repo::replace_links(db, stored.id, links.into_iter().map(|l| resource(stored.id, l)).collect())
        .await?;
    Ok(HarvestItem {
        source_id: Some(source_id),
        title: Some(title),
        outcome,
        name: Some(stored.name),
        reason: None,
        warnings,
    })
}

fn resource(dataset_id: Uuid, link: Link) -> NewResource {
    NewResource {
        id: Uuid::new_v4(),
        dataset_id,
        title: link.title,
        format: link.format.unwrap_or_default(),
        media_type: link.media_type.unwrap_or_else(|| "application/octet-stream".into()),
        size: None,
        sha256: None,
        storage_key: None,
        remote_url: Some(link.url),
        table_schema: None,
        dialect: None,
    }
}
