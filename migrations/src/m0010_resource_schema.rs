//! CSV and TSV resources keep what was learnt from their first rows: the Frictionless Table
//! Schema (inferred at upload, edited by the publishers) and the CSV dialect (the delimiter),
//! both as JSON text. Other resources keep both NULL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resources {
    Table,
    TableSchema,
    Dialect,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Resources::Table)
                    .add_column(ColumnDef::new(Resources::TableSchema).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Resources::Table)
                    .add_column(ColumnDef::new(Resources::Dialect).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Resources::Table).drop_column(Resources::Dialect).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Resources::Table)
                    .drop_column(Resources::TableSchema)
                    .to_owned(),
            )
            .await
    }
}
