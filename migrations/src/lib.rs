//! The database schema, as a sequence of migrations that run the same on SQLite and
//! PostgreSQL. A migration never imports the server's entities: once released, its meaning
//! must never change.

pub use sea_orm_migration::prelude::*;

mod m0001_accounts_and_events;
mod m0002_topic_versions;
mod m0003_phases_and_agenda;
mod m0004_registrations_and_teams;
mod m0005_announcements;
mod m0006_datasets;
mod m0007_team_join_requests;
mod m0008_handout;
mod m0009_harvest;
mod m0010_resource_schema;
mod m0011_event_online;
mod m0012_dataset_temporal;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_accounts_and_events::Migration),
            Box::new(m0002_topic_versions::Migration),
            Box::new(m0003_phases_and_agenda::Migration),
            Box::new(m0004_registrations_and_teams::Migration),
            Box::new(m0005_announcements::Migration),
            Box::new(m0006_datasets::Migration),
            Box::new(m0007_team_join_requests::Migration),
            Box::new(m0008_handout::Migration),
            Box::new(m0009_harvest::Migration),
            Box::new(m0010_resource_schema::Migration),
            Box::new(m0011_event_online::Migration),
            Box::new(m0012_dataset_temporal::Migration),
        ]
    }
}
