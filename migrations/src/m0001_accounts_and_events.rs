//! Accounts, organisations, events, roles per event, challenges and refresh tokens.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Locale,
    IsAdmin,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Slug,
    Name,
    Website,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrganisationMembers {
    Table,
    OrganisationId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    OrganisationId,
    Slug,
    Title,
    Description,
    Timezone,
    StartsAt,
    EndsAt,
    Venue,
    Phase,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventRoles {
    Table,
    EventId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
    EventId,
    Title,
    Summary,
    Description,
    Prize,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    CreatedAt,
    UsedAt,
    RevokedAt,
}

fn timestamp<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}

fn fk(
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
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Users::Email).string_len(254).not_null().unique_key())
                    .col(ColumnDef::new(Users::PasswordHash).string_len(255).not_null())
                    .col(ColumnDef::new(Users::DisplayName).string_len(200).not_null())
                    .col(ColumnDef::new(Users::Locale).string_len(8).not_null())
                    .col(ColumnDef::new(Users::IsAdmin).boolean().not_null().default(false))
                    .col(timestamp(Users::CreatedAt))
                    .col(timestamp(Users::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(ColumnDef::new(Organisations::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Organisations::Slug).string_len(80).not_null().unique_key())
                    .col(ColumnDef::new(Organisations::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Organisations::Website).string_len(2000).null())
                    .col(timestamp(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganisationMembers::Table)
                    .col(ColumnDef::new(OrganisationMembers::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(OrganisationMembers::UserId).uuid().not_null())
                    .col(ColumnDef::new(OrganisationMembers::Role).string_len(32).not_null())
                    .col(timestamp(OrganisationMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(OrganisationMembers::OrganisationId)
                            .col(OrganisationMembers::UserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_org_members_org",
                        (OrganisationMembers::Table, OrganisationMembers::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_org_members_user",
                        (OrganisationMembers::Table, OrganisationMembers::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(ColumnDef::new(Events::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Events::OrganisationId).uuid().not_null())
                    .col(ColumnDef::new(Events::Slug).string_len(80).not_null().unique_key())
                    .col(ColumnDef::new(Events::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Events::Description).text().not_null())
                    .col(ColumnDef::new(Events::Timezone).string_len(64).not_null())
                    .col(timestamp(Events::StartsAt))
                    .col(timestamp(Events::EndsAt))
                    .col(ColumnDef::new(Events::Venue).string_len(400).null())
                    .col(ColumnDef::new(Events::Phase).string_len(32).not_null())
                    .col(timestamp(Events::CreatedAt))
                    .col(timestamp(Events::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_events_org",
                        (Events::Table, Events::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_starts_at")
                    .table(Events::Table)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventRoles::Table)
                    .col(ColumnDef::new(EventRoles::EventId).uuid().not_null())
                    .col(ColumnDef::new(EventRoles::UserId).uuid().not_null())
                    .col(ColumnDef::new(EventRoles::Role).string_len(32).not_null())
                    .col(timestamp(EventRoles::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(EventRoles::EventId)
                            .col(EventRoles::UserId)
                            .col(EventRoles::Role),
                    )
                    .foreign_key(&mut fk(
                        "fk_event_roles_event",
                        (EventRoles::Table, EventRoles::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_event_roles_user",
                        (EventRoles::Table, EventRoles::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_roles_user")
                    .table(EventRoles::Table)
                    .col(EventRoles::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Challenges::Table)
                    .col(ColumnDef::new(Challenges::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Challenges::EventId).uuid().not_null())
                    .col(ColumnDef::new(Challenges::Title).string_len(200).not_null())
                    .col(ColumnDef::new(Challenges::Summary).string_len(600).not_null())
                    .col(ColumnDef::new(Challenges::Description).text().not_null())
                    .col(ColumnDef::new(Challenges::Prize).string_len(400).null())
                    .col(ColumnDef::new(Challenges::Position).integer().not_null())
                    .col(timestamp(Challenges::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_challenges_event",
                        (Challenges::Table, Challenges::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_challenges_event")
                    .table(Challenges::Table)
                    .col(Challenges::EventId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(ColumnDef::new(RefreshTokens::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(RefreshTokens::UserId).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::FamilyId).uuid().not_null())
                    .col(
                        ColumnDef::new(RefreshTokens::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(timestamp(RefreshTokens::ExpiresAt))
                    .col(timestamp(RefreshTokens::CreatedAt))
                    .col(ColumnDef::new(RefreshTokens::UsedAt).timestamp_with_time_zone().null())
                    .col(ColumnDef::new(RefreshTokens::RevokedAt).timestamp_with_time_zone().null())
                    .foreign_key(&mut fk(
                        "fk_refresh_tokens_user",
                        (RefreshTokens::Table, RefreshTokens::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RefreshTokens::Table.into_iden(),
            Challenges::Table.into_iden(),
            EventRoles::Table.into_iden(),
            Events::Table.into_iden(),
            OrganisationMembers::Table.into_iden(),
            Organisations::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
