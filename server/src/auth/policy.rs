//! Who may do what: the one place where roles are turned into permissions.
//!
//! Handlers never compare roles themselves; they ask [`allows`] (pure, table-tested below)
//! through [`authorize`].

use crate::error::AppError;
use hackops_shared::auth::EventRole;
use hackops_shared::error::ErrorCode;
use hackops_shared::events::EventPhase;
use hackops_shared::ids::{EventId, OrganisationId, UserId};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A signed-in person with everything the policy needs to know about them.
#[derive(Clone, Debug, Default)]
pub struct Principal {
    pub user_id: Option<UserId>,
    pub is_admin: bool,
    pub organisations: HashSet<OrganisationId>,
    pub event_roles: HashMap<EventId, BTreeSet<EventRole>>,
}

impl Principal {
    pub fn has_event_role(&self, event: EventId, role: EventRole) -> bool {
        self.event_roles.get(&event).is_some_and(|roles| roles.contains(&role))
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Action {
    ViewOwnAccount,
    CreateOrganisation,
    CreateEvent {
        organisation: OrganisationId,
    },
    /// Publish datasets and resources in the pool on behalf of an organisation.
    PublishData {
        organisation: OrganisationId,
    },
    ViewEvent {
        event: EventId,
        phase: EventPhase,
    },
    UpdateEvent {
        event: EventId,
    },
}

/// `principal = None` is an anonymous spectator.
pub fn allows(principal: Option<&Principal>, action: Action) -> bool {
    let Some(p) = principal else {
        return matches!(action, Action::ViewEvent { phase, .. } if phase.is_public());
    };
    if p.is_admin {
        return true;
    }
    match action {
        Action::ViewOwnAccount | Action::CreateOrganisation => true,
        Action::CreateEvent { organisation } | Action::PublishData { organisation } => {
            p.organisations.contains(&organisation)
        }
        Action::ViewEvent { event, phase } => {
            phase.is_public()
                || p.has_event_role(event, EventRole::Organiser)
                || p.has_event_role(event, EventRole::Judge)
        }
        Action::UpdateEvent { event } => p.has_event_role(event, EventRole::Organiser),
    }
}

/// `Ok` when allowed; otherwise 401 for anonymous callers and 403 for signed-in ones.
pub fn authorize(principal: Option<&Principal>, action: Action) -> Result<(), AppError> {
    match (allows(principal, action), principal) {
        (true, _) => Ok(()),
        (false, None) => Err(ErrorCode::Unauthenticated.into()),
        (false, Some(_)) => Err(ErrorCode::Forbidden.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[derive(Clone, Copy, Debug)]
    enum Who {
        Anonymous,
        Stranger,
        Participant,
        Judge,
        EventOrganiser,
        OrgMember,
        Admin,
    }

    fn principal(who: Who, event: EventId, org: OrganisationId) -> Option<Principal> {
        let mut p = Principal { user_id: Some(UserId(Uuid::new_v4())), ..Default::default() };
        match who {
            Who::Anonymous => return None,
            Who::Stranger => {}
            Who::Participant => {
                p.event_roles.entry(event).or_default().insert(EventRole::Participant);
            }
            Who::Judge => {
                p.event_roles.entry(event).or_default().insert(EventRole::Judge);
            }
            Who::EventOrganiser => {
                p.event_roles.entry(event).or_default().insert(EventRole::Organiser);
            }
            Who::OrgMember => {
                p.organisations.insert(org);
            }
            Who::Admin => p.is_admin = true,
        }
        Some(p)
    }

    /// Every role against every action: one row per action, one column per role.
    #[test]
    fn authorisation_matrix() {
        let event = EventId(Uuid::new_v4());
        let org = OrganisationId(Uuid::new_v4());
        let whos = [
            Who::Anonymous,
            Who::Stranger,
            Who::Participant,
            Who::Judge,
            Who::EventOrganiser,
            Who::OrgMember,
            Who::Admin,
        ];
        let rows: [(Action, [bool; 7]); 7] = [
            (
                Action::PublishData { organisation: org },
                [false, false, false, false, false, true, true],
            ),
            (Action::ViewOwnAccount, [false, true, true, true, true, true, true]),
            (Action::CreateOrganisation, [false, true, true, true, true, true, true]),
            (
                Action::CreateEvent { organisation: org },
                [false, false, false, false, false, true, true],
            ),
            (
                Action::ViewEvent { event, phase: EventPhase::Registration },
                [true, true, true, true, true, true, true],
            ),
            (
                Action::ViewEvent { event, phase: EventPhase::Draft },
                [false, false, false, true, true, false, true],
            ),
            (Action::UpdateEvent { event }, [false, false, false, false, true, false, true]),
        ];
        for (action, expected) in rows {
            for (who, allowed) in whos.iter().zip(expected) {
                let p = principal(*who, event, org);
                assert_eq!(allows(p.as_ref(), action), allowed, "{who:?} on {action:?}");
            }
        }
    }

    #[test]
    fn refusals_say_sign_in_or_forbidden() {
        let event = EventId(Uuid::new_v4());
        let action = Action::UpdateEvent { event };
        assert_eq!(authorize(None, action).expect_err("anon").code(), ErrorCode::Unauthenticated);
        let stranger = Principal::default();
        assert_eq!(
            authorize(Some(&stranger), action).expect_err("stranger").code(),
            ErrorCode::Forbidden
        );
    }
}
