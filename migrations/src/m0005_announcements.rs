//! Announcements of an event.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Announcements {
    Table,
    Id,
    EventId,
    Body,
    Priority,
    Pinned,
    Audience,
    AuthorId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Announcements::Table)
                    .col(ColumnDef::new(Announcements::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Announcements::EventId).uuid().not_null())
                    .col(ColumnDef::new(Announcements::Body).text().not_null())
                    .col(ColumnDef::new(Announcements::Priority).string_len(16).not_null())
                    .col(ColumnDef::new(Announcements::Pinned).boolean().not_null())
                    .col(ColumnDef::new(Announcements::Audience).string_len(64).not_null())
                    .col(ColumnDef::new(Announcements::AuthorId).uuid().not_null())
                    .col(
                        ColumnDef::new(Announcements::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_announcements_event")
                            .from(Announcements::Table, Announcements::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_announcements_event")
                    .table(Announcements::Table)
                    .col(Announcements::EventId)
                    .col(Announcements::Audience)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Announcements::Table).to_owned()).await
    }
}
