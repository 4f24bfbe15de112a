//! Pool rules: who publishes, search, uploads that never half-exist, downloads.

use super::repo::{self, Dataset, NewResource, Resource, Search};
use super::tabular;
use crate::auth::policy::{authorize, Action, Principal};
use crate::error::{AppError, AppResult};
use crate::handout::service as handout;
use crate::organisations::service as organisations;
use crate::storage::{sniff, Storage, UploadError};
use bytes::Bytes;
use futures_util::Stream;
use hackops_shared::datasets::{
    format_from_name, CsvDialect, DatasetDto, DatasetFacets, DatasetList, DatasetRequest,
    FacetCount, RemoteResourceRequest, ResourceDto, ResourcePreview, TableSchema,
};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::OrganisationId;
use hackops_shared::validation::{self, slugify};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use uuid::Uuid;

pub fn download_path(resource: Uuid) -> String {
    format!("/api/v1/resources/{resource}/download")
}

/// The Table Schema stored with a resource, if any.
fn stored_schema(r: &Resource) -> Option<TableSchema> {
    r.table_schema.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

fn resource_dto(r: Resource, public_url: &str) -> ResourceDto {
    let remote = r.remote_url.is_some();
    let schema = stored_schema(&r);
    let dialect = r.dialect.as_deref().and_then(|s| serde_json::from_str(s).ok());
    ResourceDto {
        url: r.remote_url.clone().unwrap_or_else(|| format!("{public_url}{}", download_path(r.id))),
        id: r.id,
        title: r.title,
        format: r.format,
        media_type: r.media_type,
        size: r.size.and_then(|s| u64::try_from(s).ok()),
        sha256: r.sha256,
        remote,
        created_at: r.created_at,
        schema,
        dialect,
    }
}

pub async fn dtos(
    db: &impl ConnectionTrait,
    datasets: Vec<Dataset>,
    public_url: &str,
) -> AppResult<Vec<DatasetDto>> {
    let orgs =
        organisations::summaries(db, datasets.iter().map(|d| d.organisation_id).collect()).await?;
    let mut resources = repo::resources_of(db, datasets.iter().map(|d| d.id).collect()).await?;
    datasets
        .into_iter()
        .map(|d| {
            let publisher = orgs.get(&d.organisation_id).cloned().ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("dataset {} has no publisher", d.id))
            })?;
            let (mine, rest): (Vec<Resource>, Vec<Resource>) =
                resources.drain(..).partition(|r| r.dataset_id == d.id);
            resources = rest;
            Ok(DatasetDto {
                id: d.id,
                name: d.name,
                title: d.title,
                description: d.description,
                publisher,
                licence_id: d.licence_id,
                keywords: serde_json::from_str(&d.keywords).unwrap_or_default(),
                themes: serde_json::from_str(&d.themes).unwrap_or_default(),
                spatial: d.spatial,
                frequency: d.frequency,
                contact_email: d.contact_email,
                temporal_start: d.temporal_start,
                temporal_end: d.temporal_end,
                resources: mine.into_iter().map(|r| resource_dto(r, public_url)).collect(),
                created_at: d.created_at,
                modified_at: d.modified_at,
            })
        })
        .collect()
}

pub async fn create(
    db: &DatabaseConnection,
    principal: &Principal,
    request: DatasetRequest,
    public_url: &str,
) -> AppResult<DatasetDto> {
    let valid = request.validate()?;
    let organisation = organisations::acting_for(principal, request.organisation_id)?;
    authorize(Some(principal), Action::PublishData { organisation })?;
    let name = crate::db::unique_slug(&slugify(&valid.title), "dataset", |candidate| async move {
        Ok(repo::find_by_name(db, &candidate).await?.is_some())
    })
    .await?;
    let dataset = repo::insert(db, organisation.0, name, valid, None).await?;
    Ok(dtos(db, vec![dataset], public_url).await?.remove(0))
}

/// A dataset of the public pool. Datasets under an embargo that still holds (attached to a
/// challenge, embargoed until the event's hacking phase) do not exist for the pool.
async fn public(db: &impl ConnectionTrait, dataset: Option<Dataset>) -> AppResult<Dataset> {
    let dataset = dataset.ok_or(ErrorCode::NotFound)?;
    if handout::is_embargoed(db, dataset.id).await? {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(dataset)
}

pub async fn get(db: &DatabaseConnection, name: &str, public_url: &str) -> AppResult<DatasetDto> {
    let dataset = public(db, repo::find_by_name(db, name).await?).await?;
    Ok(dtos(db, vec![dataset], public_url).await?.remove(0))
}

/// The names of the public pool's datasets (CKAN `package_list`).
pub async fn names(db: &DatabaseConnection) -> AppResult<Vec<String>> {
    Ok(repo::all_names(db, handout::embargoed(db).await?).await?)
}

/// A dataset by name, embargoed or not: for features that authorised the caller already.
pub async fn find_unchecked(db: &impl ConnectionTrait, name: &str) -> AppResult<Option<Dataset>> {
    Ok(repo::find_by_name(db, name).await?)
}

/// Datasets by id, embargoed or not: for features that authorised the caller already.
pub async fn find_many_unchecked(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<Vec<Dataset>> {
    Ok(repo::find_many(db, ids).await?)
}

/// Datasets by id with their resources, embargoed or not (see [`find_many_unchecked`]).
pub async fn dtos_by_ids(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
    public_url: &str,
) -> AppResult<Vec<DatasetDto>> {
    let datasets = repo::find_many(db, ids).await?;
    dtos(db, datasets, public_url).await
}

pub struct Query<'a> {
    pub q: Option<&'a str>,
    pub licence: Option<&'a str>,
    pub format: Option<&'a str>,
    pub theme: Option<&'a str>,
    /// Organisation slug.
    pub publisher: Option<&'a str>,
    pub offset: u64,
    pub limit: u64,
}

pub async fn search(
    db: &DatabaseConnection,
    query: Query<'_>,
    public_url: &str,
) -> AppResult<DatasetList> {
    let organisation = match query.publisher {
        Some(slug) => match organisations::id_by_slug(db, slug).await? {
            Some(id) => Some(id.0),
            None => return Ok(DatasetList { items: vec![], total: 0 }),
        },
        None => None,
    };
    let (page, total) = repo::search(
        db,
        Search {
            text: query.q,
            licence: query.licence,
            format: query.format,
            theme: query.theme,
            organisation,
            offset: query.offset,
            limit: query.limit.clamp(1, 1000),
            exclude: handout::embargoed(db).await?,
        },
    )
    .await?;
    Ok(DatasetList { items: dtos(db, page, public_url).await?, total })
}

/// The formats, themes, licences and publishers of the public pool, with how many datasets
/// have each; most frequent first, then by value.
pub async fn facets(db: &DatabaseConnection) -> AppResult<DatasetFacets> {
    let rows = repo::facet_rows(db, handout::embargoed(db).await?).await?;
    let mut themes: BTreeMap<String, u64> = BTreeMap::new();
    let mut licences: BTreeMap<String, u64> = BTreeMap::new();
    let mut publishers: BTreeMap<Uuid, u64> = BTreeMap::new();
    let public: HashSet<Uuid> = rows.datasets.iter().map(|d| d.0).collect();
    for (_, theme_json, licence, organisation) in &rows.datasets {
        let mine: Vec<String> = serde_json::from_str(theme_json).unwrap_or_default();
        for theme in mine.into_iter().collect::<BTreeSet<_>>() {
            *themes.entry(theme).or_default() += 1;
        }
        *licences.entry(licence.clone()).or_default() += 1;
        *publishers.entry(*organisation).or_default() += 1;
    }
    // Formats compare as the filter does (case-insensitively); each is named by its most
    // usual spelling (`GeoJSON`).
    let mut formats: BTreeMap<String, (BTreeSet<Uuid>, BTreeMap<String, u64>)> = BTreeMap::new();
    for (dataset, format) in rows.formats {
        let format = format.trim();
        if !format.is_empty() && public.contains(&dataset) {
            let (datasets, spellings) = formats.entry(format.to_uppercase()).or_default();
            datasets.insert(dataset);
            *spellings.entry(format.to_owned()).or_default() += 1;
        }
    }
    let orgs = organisations::summaries(db, publishers.keys().copied().collect()).await?;
    let sorted = |mut v: Vec<FacetCount>| {
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    let plain = |m: BTreeMap<String, u64>| {
        sorted(
            m.into_iter()
                .map(|(v, count)| FacetCount { label: v.clone(), value: v, count })
                .collect(),
        )
    };
    Ok(DatasetFacets {
        formats: sorted(
            formats
                .into_values()
                .map(|(ids, spellings)| {
                    let mut spellings: Vec<(String, u64)> = spellings.into_iter().collect();
                    spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    let value = spellings.swap_remove(0).0;
                    FacetCount { label: value.clone(), value, count: ids.len() as u64 }
                })
                .collect(),
        ),
        themes: plain(themes),
        licences: plain(licences),
        publishers: sorted(
            publishers
                .into_iter()
                .filter_map(|(id, count)| {
                    orgs.get(&id).map(|o| FacetCount {
                        value: o.slug.clone(),
                        label: o.name.clone(),
                        count,
                    })
                })
                .collect(),
        ),
    })
}

async fn publishable(
    db: &DatabaseConnection,
    principal: &Principal,
    name: &str,
) -> AppResult<Dataset> {
    let dataset = repo::find_by_name(db, name).await?.ok_or(ErrorCode::NotFound)?;
    authorize(
        Some(principal),
        Action::PublishData { organisation: OrganisationId(dataset.organisation_id) },
    )?;
    Ok(dataset)
}

/// What an upload is for (the bytes come separately, as a stream).
pub struct Upload<'a> {
    pub dataset: &'a str,
    pub title: &'a str,
    /// The client's file name: for the format and the download name, never a path.
    pub file_name: &'a str,
    pub cap: u64,
    pub public_url: &'a str,
}

/// Streams an uploaded file into storage, then records it. Over the cap: 413 and nothing kept.
pub async fn upload<S, E>(
    db: &DatabaseConnection,
    storage: &Storage,
    principal: &Principal,
    upload: Upload<'_>,
    body: S,
) -> AppResult<ResourceDto>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let Upload { dataset: name, title, file_name, cap, public_url } = upload;
    let dataset = publishable(db, principal, name).await?;
    let title = validation::text(title, 1, 300).map_err(|code| AppError::field("title", code))?;
    let resource = store_file(db, storage, dataset.id, title, file_name, body, cap).await?;
    Ok(resource_dto(resource, public_url))
}

/// Streams a file into storage and records it as a resource of the dataset (with the Table
/// Schema of a CSV or TSV file, inferred from its first rows). Over the cap: 413, and neither
/// file nor row is kept.
async fn store_file<S, E>(
    db: &impl ConnectionTrait,
    storage: &Storage,
    dataset_id: Uuid,
    title: String,
    file_name: &str,
    body: S,
    cap: u64,
) -> AppResult<Resource>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let id = Uuid::new_v4();
    // The key is ours: a client's file name never becomes a path.
    let key = format!("resources/{id}");
    let stored = storage.put_stream(&key, body, cap).await.map_err(|err| match err {
        UploadError::TooLarge(_) => AppError::Api(ErrorCode::PayloadTooLarge),
        UploadError::Interrupted => AppError::Api(ErrorCode::MalformedJson),
        UploadError::Store(e) => AppError::Internal(e.into()),
    })?;
    let format = format_from_name(file_name);
    let media_type = sniff(&stored.head, file_name).to_owned();
    let table = match tabular::is_tabular(&format, &media_type) {
        true => sample(storage, &key, stored.size, &format).await,
        false => Ok(None),
    };
    let (table_schema, dialect) = match &table {
        Ok(Some(sample)) => (
            serde_json::to_string(&tabular::infer(sample)).ok(),
            serde_json::to_string(&CsvDialect {
                delimiter: tabular::delimiter_text(sample.delimiter),
            })
            .ok(),
        ),
        _ => (None, None),
    };
    let resource = match table {
        Err(err) => Err(err),
        Ok(_) => repo::insert_resource(
            db,
            NewResource {
                id,
                dataset_id,
                title,
                format,
                media_type,
                size: i64::try_from(stored.size).ok(),
                sha256: Some(stored.sha256),
                storage_key: Some(key.clone()),
                remote_url: None,
                table_schema,
                dialect,
            },
        )
        .await
        .map_err(AppError::from),
    };
    if resource.is_err() {
        let _ = storage.delete(&key).await;
    }
    resource
}

/// The first rows of a stored CSV or TSV file, read from at most [`tabular::SAMPLE_BYTES`].
async fn sample(
    storage: &Storage,
    key: &str,
    size: u64,
    format: &str,
) -> AppResult<Option<tabular::Sample>> {
    let (prefix, truncated) = storage
        .read_prefix(key, size, tabular::SAMPLE_BYTES)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(tabular::read(&prefix, truncated, format.eq_ignore_ascii_case("TSV")))
}

/// A stored resource read as a table, or 409 `not_tabular`.
async fn table_of(storage: &Storage, resource: &Resource) -> AppResult<tabular::Sample> {
    let key = match &resource.storage_key {
        Some(key) if tabular::is_tabular(&resource.format, &resource.media_type) => key,
        _ => return Err(ErrorCode::NotTabular.into()),
    };
    let size = resource.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
    sample(storage, key, size, &resource.format).await?.ok_or(ErrorCode::NotTabular.into())
}

/// The first rows of a CSV or TSV resource of the public pool, with its Table Schema.
pub async fn preview(
    db: &DatabaseConnection,
    storage: &Storage,
    id: Uuid,
) -> AppResult<ResourcePreview> {
    let (resource, _) = self::resource(db, id).await?;
    let mut table = table_of(storage, &resource).await?;
    table.rows.truncate(tabular::PREVIEW_ROWS);
    Ok(ResourcePreview {
        columns: table.columns,
        rows: table.rows,
        delimiter: tabular::delimiter_text(table.delimiter),
        bom: table.bom,
        warnings: table.warnings,
        schema: stored_schema(&resource),
    })
}

/// Replaces the Table Schema of a CSV or TSV resource (people who may publish for the dataset's
/// organisation, embargoed or not). The schema must match the file's header.
pub async fn put_schema(
    db: &DatabaseConnection,
    storage: &Storage,
    principal: &Principal,
    id: Uuid,
    schema: TableSchema,
    public_url: &str,
) -> AppResult<ResourceDto> {
    let (resource, dataset) = resource_unchecked(db, id).await?;
    authorize(
        Some(principal),
        Action::PublishData { organisation: OrganisationId(dataset.organisation_id) },
    )?;
    let table = table_of(storage, &resource).await?;
    schema.validate(&table.columns)?;
    let json = serde_json::to_string(&schema).map_err(|e| AppError::Internal(e.into()))?;
    let resource = repo::update_schema(db, resource, json).await?;
    Ok(resource_dto(resource, public_url))
}

pub async fn add_link(
    db: &DatabaseConnection,
    principal: &Principal,
    name: &str,
    request: RemoteResourceRequest,
    public_url: &str,
) -> AppResult<ResourceDto> {
    let dataset = publishable(db, principal, name).await?;
    let mut issues = validation::Issues::default();
    let title = issues.check("title", validation::text(&request.title, 1, 300));
    let url = issues.check("url", validation::web_url(&request.url));
    let (Some(title), Some(url)) = (title, url) else { return Err(issues.into()) };
    let format = request
        .format
        .map(|f| f.trim().to_uppercase())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| format_from_name(&url));
    let resource = repo::insert_resource(
        db,
        NewResource {
            id: Uuid::new_v4(),
            dataset_id: dataset.id,
            title,
            media_type: String::from("application/octet-stream"),
            format,
            size: None,
            sha256: None,
            storage_key: None,
            remote_url: Some(url),
            table_schema: None,
            dialect: None,
        },
    )
    .await?;
    Ok(resource_dto(resource, public_url))
}

/// A resource of the public pool with its dataset (embargoed ones do not exist here).
pub async fn resource(db: &impl ConnectionTrait, id: Uuid) -> AppResult<(Resource, Dataset)> {
    let (resource, dataset) = resource_unchecked(db, id).await?;
    Ok((resource, public(db, Some(dataset)).await?))
}

/// A resource with its dataset, embargoed or not: for the hand-out's signed links.
pub async fn resource_unchecked(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<(Resource, Dataset)> {
    let resource = repo::find_resource(db, id).await?.ok_or(ErrorCode::NotFound)?;
    let dataset = repo::find(db, resource.dataset_id).await?.ok_or(ErrorCode::NotFound)?;
    Ok((resource, dataset))
}

pub fn resource_public(r: Resource, public_url: &str) -> ResourceDto {
    resource_dto(r, public_url)
}

/// Demo seed: a dataset with its files, under a fixed name; an existing one is kept as it is.
pub(crate) async fn seed(
    db: &impl ConnectionTrait,
    storage: &Storage,
    organisation: OrganisationId,
    name: &str,
    dataset: hackops_shared::datasets::ValidDataset,
    files: Vec<(&str, &str, Vec<u8>)>,
) -> AppResult<Uuid> {
    if let Some(existing) = repo::find_by_name(db, name).await? {
        return Ok(existing.id);
    }
    let dataset = repo::insert(db, organisation.0, name.to_owned(), dataset, None).await?;
    for (title, file_name, bytes) in files {
        let body =
            futures_util::stream::iter([Ok::<Bytes, std::convert::Infallible>(Bytes::from(bytes))]);
        store_file(db, storage, dataset.id, title.to_owned(), file_name, body, u64::MAX).await?;
    }
    Ok(dataset.id)
}
