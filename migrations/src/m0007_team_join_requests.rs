//! Requests to join a team, decided by its captain (besides joining with the invite code).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TeamJoinRequests {
    Table,
    Id,
    EventId,
    TeamId,
    UserId,
    Message,
    Status,
    CreatedAt,
    DecidedAt,
}

fn cascade(
    name: &str,
    column: TeamJoinRequests,
    to: impl IntoIden + 'static,
    to_id: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(TeamJoinRequests::Table, column)
        .to(to, to_id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TeamJoinRequests::Table)
                    .col(ColumnDef::new(TeamJoinRequests::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(TeamJoinRequests::EventId).uuid().not_null())
                    .col(ColumnDef::new(TeamJoinRequests::TeamId).uuid().not_null())
                    .col(ColumnDef::new(TeamJoinRequests::UserId).uuid().not_null())
                    .col(ColumnDef::new(TeamJoinRequests::Message).text().not_null())
                    .col(ColumnDef::new(TeamJoinRequests::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(TeamJoinRequests::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TeamJoinRequests::DecidedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut cascade(
                        "fk_join_requests_event",
                        TeamJoinRequests::EventId,
                        Events::Table,
                        Events::Id,
                    ))
                    .foreign_key(&mut cascade(
                        "fk_join_requests_team",
                        TeamJoinRequests::TeamId,
                        Teams::Table,
                        Teams::Id,
                    ))
                    .foreign_key(&mut cascade(
                        "fk_join_requests_user",
                        TeamJoinRequests::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // One request per person per team: asking again reopens it (a duplicate is refused
        // while it is pending).
        manager
            .create_index(
                Index::create()
                    .name("uq_join_requests_team_user")
                    .table(TeamJoinRequests::Table)
                    .col(TeamJoinRequests::TeamId)
                    .col(TeamJoinRequests::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_join_requests_event_user")
                    .table(TeamJoinRequests::Table)
                    .col(TeamJoinRequests::EventId)
                    .col(TeamJoinRequests::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TeamJoinRequests::Table).to_owned()).await
    }
}
