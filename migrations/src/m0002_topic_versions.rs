//! Realtime topic versions: one row per topic, bumped in the same transaction as the change it
//! announces, so every instance agrees on the version of a state.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TopicVersions {
    Table,
    Topic,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TopicVersions::Table)
                    .col(
                        ColumnDef::new(TopicVersions::Topic)
                            .string_len(120)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(TopicVersions::Version).big_integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TopicVersions::Table).to_owned()).await
    }
}
