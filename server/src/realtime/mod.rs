//! Realtime: versioned topics pushed over websockets. Knows no feature: features describe
//! their topics through [`TopicSource`] (wired in `crate::topics`) and announce changes with
//! [`versions::bump`] (inside their transaction) then [`Realtime::publish`] (after commit).
//!
//! - `hub`: per-topic channels on this instance; coalesces changes, serialises once.
//! - `bus`: the Redis bridge between instances (absent in the embedded mode).
//! - `socket`: one task per connection, generic over Sink/Stream so it is unit-testable.
//! - `routes`: the `/ws` handshake (origin allow-list, per-address connection cap).
//! - `runtime`: the connections' own runtime, so a broadcast never queues the API behind it.
//! - `versions`: the `topic_versions` table.

pub mod bus;
pub mod hub;
pub mod routes;
pub mod runtime;
pub mod socket;
pub mod versions;

use crate::auth::policy::Principal;
use hackops_shared::error::ErrorCode;
use hackops_shared::ws::Topic;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::broadcast;
use uuid::Uuid;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The state of one topic at one version, as JSON.
#[derive(Clone, Debug)]
pub struct TopicState {
    pub version: u64,
    pub data: Arc<serde_json::value::RawValue>,
}

/// What the realtime layer needs to know about topics, implemented by the features' wiring.
pub trait TopicSource: Send + Sync + 'static {
    /// May this caller follow this topic? `Err(UnknownTopic)` for topics that do not exist for
    /// them (so drafts do not leak), `Err(Unauthenticated | Forbidden)` otherwise.
    fn authorize<'a>(
        &'a self,
        principal: Option<&'a Principal>,
        topic: Topic,
    ) -> BoxFuture<'a, Result<(), ErrorCode>>;
    /// The current state of a topic (read the version first, then the data: the data is then
    /// at least as new as the version).
    fn load(&self, topic: Topic) -> BoxFuture<'_, anyhow::Result<TopicState>>;
    /// The current version only (cheap), to notice changes a lost message did not announce.
    fn version(&self, topic: Topic) -> BoxFuture<'_, anyhow::Result<u64>>;
    /// The principal behind an access token's subject.
    fn principal(
        &self,
        user: hackops_shared::ids::UserId,
    ) -> BoxFuture<'_, anyhow::Result<Principal>>;
    /// A change of this topic was announced (here or by another instance): drop what is cached
    /// about it.
    fn changed(&self, _topic: Topic) {}
}

/// The handle features and the socket layer use.
#[derive(Clone)]
pub struct Realtime {
    pub hub: Arc<hub::Hub>,
    bus: Option<Arc<bus::Bus>>,
    /// Session ids (refresh-token families) whose sockets must close now.
    revoked: broadcast::Sender<Uuid>,
}

impl Realtime {
    pub fn new(
        hub: Arc<hub::Hub>,
        bus: Option<Arc<bus::Bus>>,
        revoked: broadcast::Sender<Uuid>,
    ) -> Self {
        Realtime { hub, bus, revoked }
    }

    /// Announces committed changes: this instance's subscribers at once, the others through
    /// Redis. A lost Redis message is caught up by the hub's version poll.
    pub async fn publish(&self, topics: &[(Topic, u64)]) {
        for (topic, version) in topics {
            self.hub.mark_dirty_at(*topic, *version);
        }
        if let Some(bus) = &self.bus {
            bus.publish_topics(topics).await;
        }
    }

    /// Closes every socket of a session, on every instance.
    pub async fn revoke_session(&self, session: Uuid) {
        let _ = self.revoked.send(session);
        if let Some(bus) = &self.bus {
            bus.publish_revocation(session).await;
        }
    }

    pub fn revocations(&self) -> broadcast::Receiver<Uuid> {
        self.revoked.subscribe()
    }
}
