//! Datasets' temporal coverage: the first and last days the data covers (both optional).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Datasets {
    Table,
    TemporalStart,
    TemporalEnd,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for column in [Datasets::TemporalStart, Datasets::TemporalEnd] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Datasets::Table)
                        .add_column(ColumnDef::new(column).date().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Datasets::TemporalEnd, Datasets::TemporalStart] {
            manager
                .alter_table(Table::alter().table(Datasets::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
