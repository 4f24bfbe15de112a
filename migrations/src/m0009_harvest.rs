//! Harvested datasets remember where they came from: the source (the catalogue's URL) and the
//! record's identifier there. The pair is unique, so a second harvest of the same source finds
//! and updates its datasets instead of duplicating them. Datasets published in the pool keep
//! both NULL (NULLs never collide in a unique index, on SQLite as on PostgreSQL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Datasets {
    Table,
    SourceUrl,
    SourceId,
}

const INDEX: &str = "idx_datasets_source";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Datasets::Table)
                    .add_column(ColumnDef::new(Datasets::SourceUrl).string_len(2000).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Datasets::Table)
                    .add_column(ColumnDef::new(Datasets::SourceId).string_len(500).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Datasets::Table)
                    .col(Datasets::SourceUrl)
                    .col(Datasets::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(Datasets::Table).to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table(Datasets::Table).drop_column(Datasets::SourceId).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Datasets::Table).drop_column(Datasets::SourceUrl).to_owned(),
            )
            .await
    }
}
