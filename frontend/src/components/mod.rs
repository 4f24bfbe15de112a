//! Pieces shared by the pages.

pub mod event_card;
pub mod footer;
pub mod form;
pub mod header;
pub mod phase_badge;
pub mod rich_text;
pub mod status;
