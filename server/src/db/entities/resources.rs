use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "resources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dataset_id: Uuid,
    pub title: String,
    pub format: String,
    pub media_type: String,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    /// Key in the object store; `None` for remote links.
    pub storage_key: Option<String>,
    pub remote_url: Option<String>,
    /// The Frictionless Table Schema of a CSV/TSV file, as JSON.
    pub table_schema: Option<String>,
    /// The CSV dialect (`{"delimiter": ";"}`), as JSON.
    pub dialect: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
