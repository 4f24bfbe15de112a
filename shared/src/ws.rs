//! The realtime protocol: JSON text frames on `/ws`, tagged by `type`.
//!
//! Every topic has a state with a monotonically increasing `version`. A client subscribes
//! (optionally with the last version it has), receives a `snapshot` of the whole state, then an
//! `update` each time the state changes. Updates carry the whole new state too, so a missed
//! update is never a problem: the next one (or a re-subscribe) brings the client level again.
//! See docs/PROTOCOL.md for examples and close codes.

use crate::error::ErrorCode;
use crate::ids::EventId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// Bumped on any incompatible change of the messages below.
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest text frame a client may send, in bytes.
pub const MAX_CLIENT_MESSAGE: usize = 4096;

/// How many topics one connection may follow at once.
pub const MAX_SUBSCRIPTIONS: usize = 64;

/// What a client can follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// The public list of events.
    Events,
    /// One event's public state.
    Event(EventId),
    /// The announcements of an event for one audience (`AnnouncementList`).
    Announcements(EventId, crate::announcements::Audience),
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Events => f.write_str("events"),
            Topic::Event(id) => write!(f, "event:{id}"),
            Topic::Announcements(id, audience) => write!(f, "announcements:{id}:{audience}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown topic")]
pub struct UnknownTopic;

impl FromStr for Topic {
    type Err = UnknownTopic;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            None if s == "events" => Ok(Topic::Events),
            Some(("event", id)) => id.parse().map(Topic::Event).map_err(|_| UnknownTopic),
            Some(("announcements", rest)) => {
                let (id, audience) = rest.split_once(':').ok_or(UnknownTopic)?;
                Ok(Topic::Announcements(
                    id.parse().map_err(|_| UnknownTopic)?,
                    audience.parse().map_err(|_| UnknownTopic)?,
                ))
            }
            _ => Err(UnknownTopic),
        }
    }
}

impl Serialize for Topic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Topic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        raw.parse().map_err(|_| serde::de::Error::custom(format!("unknown topic `{raw}`")))
    }
}

/// Client → server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Identify with an access token (from the REST login). Anonymous connections may follow
    /// public topics only.
    Auth {
        token: String,
    },
    /// Follow a topic. `since`: the version the client already has, if any.
    Subscribe {
        topic: String,
        #[serde(default)]
        since: Option<u64>,
    },
    Unsubscribe {
        topic: String,
    },
    Ping,
}

/// Server → client. `D` is the topic state: the server writes pre-serialised JSON, clients
/// read it as `serde_json::Value` or straight into the topic's DTO.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg<D> {
    Welcome {
        protocol: u32,
        #[serde(with = "time::serde::rfc3339")]
        server_time: OffsetDateTime,
    },
    /// The answer to `auth`.
    Authenticated {
        user_id: crate::ids::UserId,
    },
    /// The whole state of a topic, sent on subscribe (and whenever the client must resync).
    Snapshot {
        topic: Topic,
        version: u64,
        data: D,
    },
    /// The new whole state of a topic after a change.
    Update {
        topic: Topic,
        version: u64,
        data: D,
    },
    /// The client is already at the topic's current version: nothing to send.
    Subscribed {
        topic: Topic,
        version: u64,
    },
    Unsubscribed {
        topic: Topic,
    },
    Error {
        code: ErrorCode,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
    },
    Pong,
}

/// WebSocket close codes the server uses (RFC 6455 ones, then application ones 4000–4999).
pub mod close {
    /// Binary frames are not part of the protocol.
    pub const UNSUPPORTED_DATA: u16 = 1003;
    /// Text that is not valid UTF-8.
    pub const INVALID_PAYLOAD: u16 = 1007;
    /// Too many bad or too many messages, or a disallowed origin.
    pub const POLICY_VIOLATION: u16 = 1008;
    /// A frame over [`super::MAX_CLIENT_MESSAGE`].
    pub const MESSAGE_TOO_BIG: u16 = 1009;
    /// The server is shutting down: reconnect (to another instance).
    pub const GOING_AWAY: u16 = 1001;
    /// The access token expired or its session was revoked: refresh, then reconnect.
    pub const SESSION_ENDED: u16 = 4001;
    /// The client did not read its messages fast enough.
    pub const SLOW_CONSUMER: u16 = 4008;
    /// No pong to the server's pings: the connection is considered dead.
    pub const HEARTBEAT_TIMEOUT: u16 = 4009;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn topics_round_trip_and_refuse_garbage() {
        let id = EventId(Uuid::from_u128(7));
        let everyone = Topic::Announcements(id, crate::announcements::Audience::Everyone);
        let challenge = Topic::Announcements(
            id,
            crate::announcements::Audience::Challenge(crate::ids::ChallengeId(Uuid::from_u128(8))),
        );
        for topic in [Topic::Events, Topic::Event(id), everyone, challenge] {
            assert_eq!(topic.to_string().parse::<Topic>(), Ok(topic));
        }
        assert_eq!(Topic::Event(id).to_string(), "event:00000000-0000-0000-0000-000000000007");
        assert_eq!(
            everyone.to_string(),
            "announcements:00000000-0000-0000-0000-000000000007:everyone"
        );
        for bad in [
            "",
            "event",
            "event:",
            "event:42",
            "judge:x",
            "events:1",
            "EVENTS",
            "announcements:x:everyone",
            "announcements:00000000-0000-0000-0000-000000000007:judges",
        ] {
            assert_eq!(bad.parse::<Topic>(), Err(UnknownTopic), "{bad}");
        }
    }

    #[test]
    fn client_messages_have_a_fixed_shape() {
        let sub: ClientMsg =
            serde_json::from_value(json!({"type": "subscribe", "topic": "events"})).expect("parse");
        assert_eq!(sub, ClientMsg::Subscribe { topic: "events".into(), since: None });
        assert!(serde_json::from_value::<ClientMsg>(
            json!({"type": "subscribe", "topic": "events", "x": 1})
        )
        .is_err());
        assert!(serde_json::from_value::<ClientMsg>(json!({"type": "shout"})).is_err());
        assert!(serde_json::from_value::<ClientMsg>(json!({"topic": "events"})).is_err());
    }

    #[test]
    fn server_messages_serialise_as_documented() {
        let msg: ServerMsg<serde_json::Value> =
            ServerMsg::Update { topic: Topic::Events, version: 3, data: json!({"items": []}) };
        assert_eq!(
            serde_json::to_value(&msg).expect("json"),
            json!({"type": "update", "topic": "events", "version": 3, "data": {"items": []}})
        );
        let back: ServerMsg<serde_json::Value> =
            serde_json::from_value(json!({"type": "pong"})).expect("parse");
        assert_eq!(back, ServerMsg::Pong);
    }

    /// Every message of the protocol, as it travels: a change here is a visible diff.
    #[test]
    fn every_message_snapshot() {
        let event = Topic::Event(EventId(Uuid::from_u128(0x2a)));
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        let client = vec![
            ClientMsg::Auth { token: "eyJ…".into() },
            ClientMsg::Subscribe { topic: "events".into(), since: None },
            ClientMsg::Subscribe { topic: event.to_string(), since: Some(7) },
            ClientMsg::Unsubscribe { topic: "events".into() },
            ClientMsg::Ping,
        ];
        insta::assert_json_snapshot!("client_messages", client);
        let server: Vec<ServerMsg<serde_json::Value>> = vec![
            ServerMsg::Welcome { protocol: PROTOCOL_VERSION, server_time: at },
            ServerMsg::Authenticated { user_id: crate::ids::UserId(Uuid::from_u128(1)) },
            ServerMsg::Snapshot { topic: Topic::Events, version: 3, data: json!({"items": []}) },
            ServerMsg::Update { topic: event, version: 8, data: json!({"title": "…"}) },
            ServerMsg::Subscribed { topic: event, version: 7 },
            ServerMsg::Unsubscribed { topic: Topic::Events },
            ServerMsg::Error {
                code: ErrorCode::UnknownTopic,
                message: ErrorCode::UnknownTopic.message(crate::lang::Lang::En).into(),
                topic: Some("judge:x".into()),
            },
            ServerMsg::Error {
                code: ErrorCode::InvalidMessage,
                message: ErrorCode::InvalidMessage.message(crate::lang::Lang::Fr).into(),
                topic: None,
            },
            ServerMsg::Pong,
        ];
        insta::assert_json_snapshot!("server_messages", server);
    }
}
