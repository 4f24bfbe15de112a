use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "datasets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[sea_orm(unique)]
    pub name: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub licence_id: String,
    /// JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub keywords: String,
    /// JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub themes: String,
    pub spatial: Option<String>,
    pub frequency: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub modified_at: TimeDateTimeWithTimeZone,
    /// Harvested datasets: the catalogue they came from (unique with `source_id`).
    pub source_url: Option<String>,
    /// Harvested datasets: the record's identifier at the source.
    pub source_id: Option<String>,
    /// Temporal coverage: the first day the data covers.
    pub temporal_start: Option<TimeDate>,
    /// Temporal coverage: the last day the data covers.
    pub temporal_end: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
