//! Event settings for registration and teams, registrations, teams and their members.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Capacity,
    TeamMin,
    TeamMax,
    Moderated,
    CodeOfConduct,
    TeamsLockAt,
    ConfirmedCount,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    EventId,
    UserId,
    Status,
    Skills,
    Interests,
    LookingForTeam,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    EventId,
    Name,
    ChallengeId,
    InviteCode,
    CaptainId,
    MemberCount,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    TeamId,
    EventId,
    UserId,
    JoinedAt,
}

fn cascade(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(Events::Capacity).integer().null().to_owned(),
            ColumnDef::new(Events::TeamMin).integer().not_null().default(1).to_owned(),
            ColumnDef::new(Events::TeamMax).integer().not_null().default(5).to_owned(),
            ColumnDef::new(Events::Moderated).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(Events::CodeOfConduct).text().not_null().default("").to_owned(),
            ColumnDef::new(Events::TeamsLockAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(Events::ConfirmedCount).integer().not_null().default(0).to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(Table::alter().table(Events::Table).add_column(&mut column).to_owned())
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Registrations::Table)
                    .col(ColumnDef::new(Registrations::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Registrations::EventId).uuid().not_null())
                    .col(ColumnDef::new(Registrations::UserId).uuid().not_null())
                    .col(ColumnDef::new(Registrations::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Registrations::Skills).text().not_null())
                    .col(ColumnDef::new(Registrations::Interests).text().not_null())
                    .col(ColumnDef::new(Registrations::LookingForTeam).boolean().not_null())
                    .col(
                        ColumnDef::new(Registrations::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut cascade(
                        "fk_registrations_event",
                        (Registrations::Table, Registrations::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_registrations_user",
                        (Registrations::Table, Registrations::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_registrations_event_user")
                    .table(Registrations::Table)
                    .col(Registrations::EventId)
                    .col(Registrations::UserId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(ColumnDef::new(Teams::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Teams::EventId).uuid().not_null())
                    .col(ColumnDef::new(Teams::Name).string_len(120).not_null())
                    .col(ColumnDef::new(Teams::ChallengeId).uuid().null())
                    .col(ColumnDef::new(Teams::InviteCode).string_len(16).not_null().unique_key())
                    .col(ColumnDef::new(Teams::CaptainId).uuid().not_null())
                    .col(ColumnDef::new(Teams::MemberCount).integer().not_null())
                    .col(ColumnDef::new(Teams::CreatedAt).timestamp_with_time_zone().not_null())
                    .foreign_key(&mut cascade(
                        "fk_teams_event",
                        (Teams::Table, Teams::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_teams_event_name")
                    .table(Teams::Table)
                    .col(Teams::EventId)
                    .col(Teams::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamMembers::Table)
                    .col(ColumnDef::new(TeamMembers::TeamId).uuid().not_null())
                    .col(ColumnDef::new(TeamMembers::EventId).uuid().not_null())
                    .col(ColumnDef::new(TeamMembers::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(TeamMembers::JoinedAt).timestamp_with_time_zone().not_null(),
                    )
                    .primary_key(Index::create().col(TeamMembers::TeamId).col(TeamMembers::UserId))
                    .foreign_key(&mut cascade(
                        "fk_team_members_team",
                        (TeamMembers::Table, TeamMembers::TeamId),
                        (Teams::Table, Teams::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_team_members_user",
                        (TeamMembers::Table, TeamMembers::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One team per person per event, enforced by the database.
        manager
            .create_index(
                Index::create()
                    .name("uq_team_members_event_user")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::EventId)
                    .col(TeamMembers::UserId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TeamMembers::Table.into_iden(),
            Teams::Table.into_iden(),
            Registrations::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for column in [
            Events::Capacity.into_iden(),
            Events::TeamMin.into_iden(),
            Events::TeamMax.into_iden(),
            Events::Moderated.into_iden(),
            Events::CodeOfConduct.into_iden(),
            Events::TeamsLockAt.into_iden(),
            Events::ConfirmedCount.into_iden(),
        ] {
            manager
                .alter_table(Table::alter().table(Events::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
