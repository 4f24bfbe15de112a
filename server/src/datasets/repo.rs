use crate::db::entities::{datasets, resources};
use hackops_shared::datasets::ValidDataset;
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

pub use datasets::Model as Dataset;
pub use resources::Model as Resource;

/// Where a harvested dataset comes from, and the dates the source gives it.
pub struct Origin {
    pub source_url: String,
    pub source_id: String,
    pub issued: Option<OffsetDateTime>,
    pub modified: Option<OffsetDateTime>,
}

impl Origin {
    /// `created_at`, `modified_at`: the source's dates when it has them, else now.
    fn times(&self, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
        let created = self.issued.or(self.modified).unwrap_or(now);
        (created, self.modified.unwrap_or(created))
    }
}

/// A new dataset: published in the pool (`origin` is `None`) or harvested.
pub async fn insert(
    db: &impl ConnectionTrait,
    organisation_id: Uuid,
    name: String,
    d: ValidDataset,
    origin: Option<Origin>,
) -> Result<Dataset, sea_orm::DbErr> {
    let now = OffsetDateTime::now_utc();
    let (created_at, modified_at) = origin.as_ref().map_or((now, now), |o| o.times(now));
    let (source_url, source_id) = origin.map(|o| (o.source_url, o.source_id)).unzip();
    datasets::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(organisation_id),
        name: Set(name),
        title: Set(d.title),
        description: Set(d.description),
        licence_id: Set(d.licence_id.to_owned()),
        keywords: Set(serde_json::to_string(&d.keywords).unwrap_or_else(|_| "[]".into())),
        themes: Set(serde_json::to_string(&d.themes).unwrap_or_else(|_| "[]".into())),
        spatial: Set(d.spatial),
        frequency: Set(d.frequency),
        contact_email: Set(d.contact_email),
        created_at: Set(created_at),
        modified_at: Set(modified_at),
        source_url: Set(source_url),
        source_id: Set(source_id),
        temporal_start: Set(d.temporal_start),
        temporal_end: Set(d.temporal_end),
    }
    .insert(db)
    .await
}

/// The dataset harvested from this source record, if any.
pub async fn find_by_origin(
    db: &impl ConnectionTrait,
    source_url: &str,
    source_id: &str,
) -> Result<Option<Dataset>, sea_orm::DbErr> {
    datasets::Entity::find()
        .filter(datasets::Column::SourceUrl.eq(source_url))
        .filter(datasets::Column::SourceId.eq(source_id))
        .one(db)
        .await
}

/// A re-harvest: the metadata becomes the source's again (the name stays).
pub async fn update_harvested(
    db: &impl ConnectionTrait,
    existing: Dataset,
    d: ValidDataset,
    origin: &Origin,
) -> Result<Dataset, sea_orm::DbErr> {
    let (_, modified_at) = origin.times(OffsetDateTime::now_utc());
    let mut model: datasets::ActiveModel = existing.into();
    model.title = Set(d.title);
    model.description = Set(d.description);
    model.licence_id = Set(d.licence_id.to_owned());
    model.keywords = Set(serde_json::to_string(&d.keywords).unwrap_or_else(|_| "[]".into()));
    model.themes = Set(serde_json::to_string(&d.themes).unwrap_or_else(|_| "[]".into()));
    model.spatial = Set(d.spatial);
    model.frequency = Set(d.frequency);
    model.contact_email = Set(d.contact_email);
    model.temporal_start = Set(d.temporal_start);
    model.temporal_end = Set(d.temporal_end);
    model.modified_at = Set(modified_at);
    model.update(db).await
}

/// Replaces a dataset's remote links with `links` (uploaded files stay).
pub async fn replace_links(
    db: &impl ConnectionTrait,
    dataset_id: Uuid,
    links: Vec<NewResource>,
) -> Result<(), sea_orm::DbErr> {
    resources::Entity::delete_many()
        .filter(resources::Column::DatasetId.eq(dataset_id))
        .filter(resources::Column::StorageKey.is_null())
        .exec(db)
        .await?;
    for link in links {
        insert_resource_row(db, link).await?;
    }
    Ok(())
}

pub async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<Dataset>, sea_orm::DbErr> {
    datasets::Entity::find().filter(datasets::Column::Name.eq(name)).one(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Dataset>, sea_orm::DbErr> {
    datasets::Entity::find_by_id(id).one(db).await
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Dataset>, sea_orm::DbErr> {
    datasets::Entity::find()
        .filter(datasets::Column::Id.is_in(ids))
        .order_by_asc(datasets::Column::Name)
        .all(db)
        .await
}

pub struct Search<'a> {
    pub text: Option<&'a str>,
    pub licence: Option<&'a str>,
    pub format: Option<&'a str>,
    /// A theme, matched exactly (themes are stored in lower case).
    pub theme: Option<&'a str>,
    pub organisation: Option<Uuid>,
    pub offset: u64,
    pub limit: u64,
    /// Datasets left out (under embargo).
    pub exclude: Vec<Uuid>,
}

/// Full-text (case-insensitive substring on title, description and keywords) and filters;
/// newest first. Returns the page and the total.
pub async fn search(
    db: &impl ConnectionTrait,
    s: Search<'_>,
) -> Result<(Vec<Dataset>, u64), sea_orm::DbErr> {
    let mut condition = Condition::all();
    if !s.exclude.is_empty() {
        condition = condition.add(datasets::Column::Id.is_not_in(s.exclude));
    }
    if let Some(text) = s.text.map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
        let mut any = Condition::any();
        for column in
            [datasets::Column::Title, datasets::Column::Description, datasets::Column::Keywords]
        {
            any = any.add(
                Expr::expr(Func::lower(Expr::col((datasets::Entity, column))))
                    .like(pattern.clone()),
            );
        }
        condition = condition.add(any);
    }
    if let Some(licence) = s.licence {
        condition = condition.add(datasets::Column::LicenceId.eq(licence));
    }
    if let Some(theme) = s.theme.map(str::trim).filter(|t| !t.is_empty()) {
        condition = condition.add(
            Expr::col((datasets::Entity, datasets::Column::Themes))
                .like(LikeExpr::new(theme_pattern(theme)).escape('\\')),
        );
    }
    if let Some(org) = s.organisation {
        condition = condition.add(datasets::Column::OrganisationId.eq(org));
    }
    if let Some(format) = s.format {
        let ids: Vec<Uuid> = resources::Entity::find()
            .select_only()
            .column(resources::Column::DatasetId)
            .filter(
                Expr::expr(Func::upper(Expr::col((resources::Entity, resources::Column::Format))))
                    .eq(format.to_uppercase()),
            )
            .into_tuple()
            .all(db)
            .await?;
        condition = condition.add(datasets::Column::Id.is_in(ids));
    }
    let query = datasets::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let page = query
        .order_by_desc(datasets::Column::ModifiedAt)
        .order_by_asc(datasets::Column::Id)
        .offset(s.offset)
        .limit(s.limit)
        .all(db)
        .await?;
    Ok((page, total))
}

/// A `LIKE` pattern finding `theme` as one element of a JSON array of strings: its JSON string
/// (quotes included, so `bus` does not match `autobus`), with `%`, `_` and `\` escaped.
fn theme_pattern(theme: &str) -> String {
    let quoted = serde_json::to_string(&theme.to_lowercase()).unwrap_or_default();
    let mut pattern = String::from("%");
    for c in quoted.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// What the public pool's datasets carry: `(themes JSON, licence, organisation)` per dataset,
/// and the distinct `(dataset, format)` pairs of their resources.
pub async fn facet_rows(
    db: &impl ConnectionTrait,
    exclude: Vec<Uuid>,
) -> Result<FacetRows, sea_orm::DbErr> {
    let datasets: Vec<(Uuid, String, String, Uuid)> = datasets::Entity::find()
        .filter(datasets::Column::Id.is_not_in(exclude.clone()))
        .select_only()
        .column(datasets::Column::Id)
        .column(datasets::Column::Themes)
        .column(datasets::Column::LicenceId)
        .column(datasets::Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let formats: Vec<(Uuid, String)> = resources::Entity::find()
        .filter(resources::Column::DatasetId.is_not_in(exclude))
        .select_only()
        .column(resources::Column::DatasetId)
        .column(resources::Column::Format)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(FacetRows { datasets, formats })
}

pub struct FacetRows {
    /// `(id, themes JSON, licence, organisation)`.
    pub datasets: Vec<(Uuid, String, String, Uuid)>,
    /// `(dataset, format)`, distinct.
    pub formats: Vec<(Uuid, String)>,
}

pub async fn all_names(
    db: &impl ConnectionTrait,
    exclude: Vec<Uuid>,
) -> Result<Vec<String>, sea_orm::DbErr> {
    datasets::Entity::find()
        .filter(datasets::Column::Id.is_not_in(exclude))
        .select_only()
        .column(datasets::Column::Name)
        .order_by_asc(datasets::Column::Name)
        .into_tuple()
        .all(db)
        .await
}

pub async fn resources_of(
    db: &impl ConnectionTrait,
    dataset_ids: Vec<Uuid>,
) -> Result<Vec<Resource>, sea_orm::DbErr> {
    resources::Entity::find()
        .filter(resources::Column::DatasetId.is_in(dataset_ids))
        .order_by_asc(resources::Column::CreatedAt)
        .order_by_asc(resources::Column::Id)
        .all(db)
        .await
}

pub async fn find_resource(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<Resource>, sea_orm::DbErr> {
    resources::Entity::find_by_id(id).one(db).await
}

pub struct NewResource {
    pub id: Uuid,
    pub dataset_id: Uuid,
    pub title: String,
    pub format: String,
    pub media_type: String,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub storage_key: Option<String>,
    pub remote_url: Option<String>,
    /// The Table Schema (JSON) of a CSV/TSV file.
    pub table_schema: Option<String>,
    /// The CSV dialect (JSON) of a CSV/TSV file.
    pub dialect: Option<String>,
}

/// A new resource; the dataset counts as modified.
pub async fn insert_resource(
    db: &impl ConnectionTrait,
    r: NewResource,
) -> Result<Resource, sea_orm::DbErr> {
    let resource = insert_resource_row(db, r).await?;
    touch(db, resource.dataset_id).await?;
    Ok(resource)
}

/// A resource's Table Schema replaced; the dataset counts as modified.
pub async fn update_schema(
    db: &impl ConnectionTrait,
    resource: Resource,
    table_schema: String,
) -> Result<Resource, sea_orm::DbErr> {
    let mut model: resources::ActiveModel = resource.into();
    model.table_schema = Set(Some(table_schema));
    let resource = model.update(db).await?;
    touch(db, resource.dataset_id).await?;
    Ok(resource)
}

async fn touch(db: &impl ConnectionTrait, dataset_id: Uuid) -> Result<(), sea_orm::DbErr> {
    datasets::Entity::update_many()
        .col_expr(datasets::Column::ModifiedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(datasets::Column::Id.eq(dataset_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn insert_resource_row(
    db: &impl ConnectionTrait,
    r: NewResource,
) -> Result<Resource, sea_orm::DbErr> {
    resources::ActiveModel {
        id: Set(r.id),
        dataset_id: Set(r.dataset_id),
        title: Set(r.title),
        format: Set(r.format),
        media_type: Set(r.media_type),
        size: Set(r.size),
        sha256: Set(r.sha256),
        storage_key: Set(r.storage_key),
        remote_url: Set(r.remote_url),
        table_schema: Set(r.table_schema),
        dialect: Set(r.dialect),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(db)
    .await
}
