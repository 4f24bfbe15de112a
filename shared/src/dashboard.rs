//! A signed-in person's dashboard: the events they take part in, and where they stand in each.

use crate::announcements::AnnouncementDto;
use crate::auth::EventRole;
use crate::events::EventDto;
use crate::registrations::RegistrationDto;
use crate::teams::TeamDto;
use serde::{Deserialize, Serialize};

/// One event of the dashboard, as this person sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEventDto {
    pub event: EventDto,
    /// Roles held in the event (organiser, judge, participant once confirmed).
    pub roles: Vec<EventRole>,
    /// The registration, whatever its status (`None` for organisers and judges who did not
    /// register).
    pub registration: Option<RegistrationDto>,
    /// The person's team, with its invite code.
    pub team: Option<TeamDto>,
    /// The title of the team's challenge.
    pub challenge_title: Option<String>,
    /// The newest announcement this person may see.
    pub latest_announcement: Option<AnnouncementDto>,
}

/// `GET /api/v1/me/events`: soonest event first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEventList {
    pub items: Vec<MyEventDto>,
}
