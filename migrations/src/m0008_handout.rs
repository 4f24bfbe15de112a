//! Hand-out to teams: datasets attached to challenges (optionally embargoed until hacking),
//! licence and data-use acceptances, and download counts per team.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Datasets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChallengeDatasets {
    Table,
    ChallengeId,
    DatasetId,
    EventId,
    Embargo,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HandoutAcceptances {
    Table,
    EventId,
    DatasetId,
    UserId,
    LicenceId,
    AcceptedAt,
}

#[derive(DeriveIden)]
enum HandoutDownloads {
    Table,
    TeamId,
    DatasetId,
    EventId,
    Count,
    LastAt,
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
        use ChallengeDatasets as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::ChallengeId).uuid().not_null())
                    .col(ColumnDef::new(C::DatasetId).uuid().not_null())
                    .col(ColumnDef::new(C::EventId).uuid().not_null())
                    .col(ColumnDef::new(C::Embargo).boolean().not_null())
                    .col(ColumnDef::new(C::CreatedAt).timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col(C::ChallengeId).col(C::DatasetId))
                    .foreign_key(&mut cascade(
                        "fk_challenge_datasets_challenge",
                        (C::Table, C::ChallengeId),
                        (Challenges::Table, Challenges::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_challenge_datasets_dataset",
                        (C::Table, C::DatasetId),
                        (Datasets::Table, Datasets::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_challenge_datasets_event",
                        (C::Table, C::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_challenge_datasets_dataset")
                    .table(C::Table)
                    .col(C::DatasetId)
                    .to_owned(),
            )
            .await?;

        use HandoutAcceptances as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::EventId).uuid().not_null())
                    .col(ColumnDef::new(A::DatasetId).uuid().not_null())
                    .col(ColumnDef::new(A::UserId).uuid().not_null())
                    .col(ColumnDef::new(A::LicenceId).string_len(40).not_null())
                    .col(ColumnDef::new(A::AcceptedAt).timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col(A::EventId).col(A::DatasetId).col(A::UserId))
                    .foreign_key(&mut cascade(
                        "fk_handout_acceptances_event",
                        (A::Table, A::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_handout_acceptances_dataset",
                        (A::Table, A::DatasetId),
                        (Datasets::Table, Datasets::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_handout_acceptances_user",
                        (A::Table, A::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use HandoutDownloads as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::TeamId).uuid().not_null())
                    .col(ColumnDef::new(D::DatasetId).uuid().not_null())
                    .col(ColumnDef::new(D::EventId).uuid().not_null())
                    .col(ColumnDef::new(D::Count).big_integer().not_null())
                    .col(ColumnDef::new(D::LastAt).timestamp_with_time_zone().not_null())
                    .primary_key(Index::create().col(D::TeamId).col(D::DatasetId))
                    .foreign_key(&mut cascade(
                        "fk_handout_downloads_team",
                        (D::Table, D::TeamId),
                        (Teams::Table, Teams::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_handout_downloads_dataset",
                        (D::Table, D::DatasetId),
                        (Datasets::Table, Datasets::Id),
                    ))
                    .foreign_key(&mut cascade(
                        "fk_handout_downloads_event",
                        (D::Table, D::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_handout_downloads_event")
                    .table(D::Table)
                    .col(D::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            HandoutDownloads::Table.into_iden(),
            HandoutAcceptances::Table.into_iden(),
            ChallengeDatasets::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
