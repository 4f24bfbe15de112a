//! The open data pool: datasets and their resources.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Datasets {
    Table,
    Id,
    OrganisationId,
    Name,
    Title,
    Description,
    LicenceId,
    Keywords,
    Themes,
    Spatial,
    Frequency,
    ContactEmail,
    CreatedAt,
    ModifiedAt,
}

#[derive(DeriveIden)]
enum Resources {
    Table,
    Id,
    DatasetId,
    Title,
    Format,
    MediaType,
    Size,
    Sha256,
    StorageKey,
    RemoteUrl,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Datasets::Table)
                    .col(ColumnDef::new(Datasets::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Datasets::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(Datasets::Name).string_len(100).not_null().unique_key())
                    .col(ColumnDef::new(Datasets::Title).string_len(300).not_null())
                    .col(ColumnDef::new(Datasets::Description).text().not_null())
                    .col(ColumnDef::new(Datasets::LicenceId).string_len(40).not_null())
                    .col(ColumnDef::new(Datasets::Keywords).text().not_null())
                    .col(ColumnDef::new(Datasets::Themes).text().not_null())
                    .col(ColumnDef::new(Datasets::Spatial).string_len(300).null())
                    .col(ColumnDef::new(Datasets::Frequency).string_len(60).null())
                    .col(ColumnDef::new(Datasets::ContactEmail).string_len(254).null())
                    .col(ColumnDef::new(Datasets::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(Datasets::ModifiedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_datasets_org")
                            .from(Datasets::Table, Datasets::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Resources::Table)
                    .col(ColumnDef::new(Resources::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Resources::DatasetId).uuid().not_null())
                    .col(ColumnDef::new(Resources::Title).string_len(300).not_null())
                    .col(ColumnDef::new(Resources::Format).string_len(40).not_null())
                    .col(ColumnDef::new(Resources::MediaType).string_len(120).not_null())
                    .col(ColumnDef::new(Resources::Size).big_integer().null())
                    .col(ColumnDef::new(Resources::Sha256).string_len(64).null())
                    .col(ColumnDef::new(Resources::StorageKey).string_len(200).null())
                    .col(ColumnDef::new(Resources::RemoteUrl).string_len(2000).null())
                    .col(ColumnDef::new(Resources::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_resources_dataset")
                            .from(Resources::Table, Resources::DatasetId)
                            .to(Datasets::Table, Datasets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_resources_dataset")
                    .table(Resources::Table)
                    .col(Resources::DatasetId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Resources::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Datasets::Table).to_owned()).await
    }
}
