//! sea-orm entities, written by hand to match `migrations/`. Only features' `repo.rs` use them.

pub mod agenda_items;
pub mod announcements;
pub mod challenge_datasets;
pub mod challenges;
pub mod datasets;
pub mod event_roles;
pub mod events;
pub mod handout_acceptances;
pub mod handout_downloads;
pub mod organisation_members;
pub mod organisations;
pub mod phase_transitions;
pub mod refresh_tokens;
pub mod registrations;
pub mod resources;
pub mod team_join_requests;
pub mod team_members;
pub mod teams;
pub mod topic_versions;
pub mod users;
