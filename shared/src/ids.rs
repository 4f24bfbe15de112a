//! Typed identifiers. A `UserId` can never be passed where an `EventId` is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn into_uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

id_type!(
    /// A person with an account.
    UserId,
    /// A local authority or any body that runs events.
    OrganisationId,
    /// One hackathon.
    EventId,
    /// One problem statement of an event.
    ChallengeId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_plain_strings_and_parse_back() {
        let id = EventId(Uuid::from_u128(0x1234));
        let json = serde_json::to_string(&id).expect("serialise");
        assert_eq!(json, "\"00000000-0000-0000-0000-000000001234\"");
        let back: EventId = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, id);
        assert_eq!(id.to_string().parse::<EventId>().expect("from_str"), id);
    }
}
