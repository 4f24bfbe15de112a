use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub timezone: String,
    pub starts_at: TimeDateTimeWithTimeZone,
    pub ends_at: TimeDateTimeWithTimeZone,
    pub venue: Option<String>,
    pub online: bool,
    pub phase: String,
    pub capacity: Option<i32>,
    pub team_min: i32,
    pub team_max: i32,
    pub moderated: bool,
    #[sea_orm(column_type = "Text")]
    pub code_of_conduct: String,
    pub teams_lock_at: Option<TimeDateTimeWithTimeZone>,
    pub confirmed_count: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
