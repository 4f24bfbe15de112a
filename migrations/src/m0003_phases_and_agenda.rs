//! Scheduled phase transitions and the agenda of an event.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PhaseTransitions {
    Table,
    Id,
    EventId,
    Phase,
    ScheduledAt,
    FiredAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
    Id,
    EventId,
    Title,
    Kind,
    StartsAt,
    EndsAt,
    Location,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PhaseTransitions::Table)
                    .col(ColumnDef::new(PhaseTransitions::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(PhaseTransitions::EventId).uuid().not_null())
                    .col(ColumnDef::new(PhaseTransitions::Phase).string_len(32).not_null())
                    .col(
                        ColumnDef::new(PhaseTransitions::ScheduledAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PhaseTransitions::FiredAt).timestamp_with_time_zone().null(),
                    )
                    .col(
                        ColumnDef::new(PhaseTransitions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_phase_transitions_event")
                            .from(PhaseTransitions::Table, PhaseTransitions::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_phase_transitions_due")
                    .table(PhaseTransitions::Table)
                    .col(PhaseTransitions::FiredAt)
                    .col(PhaseTransitions::ScheduledAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgendaItems::Table)
                    .col(ColumnDef::new(AgendaItems::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(AgendaItems::EventId).uuid().not_null())
                    .col(ColumnDef::new(AgendaItems::Title).string_len(200).not_null())
                    .col(ColumnDef::new(AgendaItems::Kind).string_len(32).not_null())
                    .col(
                        ColumnDef::new(AgendaItems::StartsAt).timestamp_with_time_zone().not_null(),
                    )
                    .col(ColumnDef::new(AgendaItems::EndsAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(AgendaItems::Location).string_len(400).null())
                    .col(
                        ColumnDef::new(AgendaItems::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_agenda_items_event")
                            .from(AgendaItems::Table, AgendaItems::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agenda_items_event")
                    .table(AgendaItems::Table)
                    .col(AgendaItems::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AgendaItems::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(PhaseTransitions::Table).to_owned()).await
    }
}
