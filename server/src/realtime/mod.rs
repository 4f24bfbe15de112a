//! Realtime: versioned topics pushed over websockets. Knows no feature: features describe
//! their topics through [`TopicSource`] (wired in `crate::topics`) and announce changes with
//! [`versions::bump`] (inside their transaction) then [`Realtime::publish`] (after commit),
//! handing over the topic's new state when they read it after the bump ([`Change`]).
//!
//! - `hub`: per-topic channels on this instance; coalesces changes, serialises once.
//! - `bus`: the Redis bridge between instances (absent in the embedded mode).
//! - `socket`: one task per connection, generic over Sink/Stream so it is unit-testable.
//! - `routes`: the `/ws` handshake (origin allow-list, per-address connection cap).
//! - `transport`: a connection's websocket, writing the shared frames as they are.
//! - `runtime`: the connections' own runtime, so a broadcast never queues the API behind it.
//! - `versions`: the `topic_versions` table.

pub mod bus;
pub mod hub;
pub mod routes;
pub mod runtime;
pub mod socket;
pub mod transport;
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

/// A topic's state as JSON, serialised once.
pub fn state_of(value: &impl serde::Serialize) -> anyhow::Result<Arc<serde_json::value::RawValue>> {
    Ok(Arc::from(serde_json::value::to_raw_value(value)?))
}

/// A committed change of a topic, to announce.
#[derive(Clone, Debug)]
pub struct Change {
    pub topic: Topic,
    pub version: u64,
    /// The topic's state at `version`, as [`TopicSource::load`] would return it, so that this
    /// instance broadcasts it without reading it back. Only a state read in the writing
    /// transaction *after* [`versions::bump`] is the state at that version: the bump locks the
    /// topic's version row until commit, so every earlier change is visible and no other
    /// writer of the topic commits in between.
    pub state: Option<Arc<serde_json::value::RawValue>>,
}

impl Change {
    /// A change whose state the hub reads from the source.
    pub fn new(topic: Topic, version: u64) -> Self {
        Change { topic, version, state: None }
    }
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
    /// Redis (which carries versions only: other instances read the state). A lost Redis
    /// message is caught up by the hub's version poll.
    pub async fn publish(&self, changes: &[Change]) {
        for change in changes {
            let state =
                change.state.clone().map(|data| TopicState { version: change.version, data });
            self.hub.announce(change.topic, change.version, state);
        }
        if let Some(bus) = &self.bus {
            bus.publish_topics(changes).await;
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

/// A topic source for the realtime layer's unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{BoxFuture, TopicSource, TopicState};
    use crate::auth::policy::Principal;
    use hackops_shared::error::ErrorCode;
    use hackops_shared::ids::UserId;
    use hackops_shared::ws::Topic;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    /// One public topic (`events`) at the version the test moves, with data `{"v": version}`;
    /// every other topic is private. Counts how often the state is read.
    #[derive(Default)]
    pub struct FakeSource {
        pub version: AtomicU64,
        pub loads: AtomicU64,
    }

    impl FakeSource {
        pub fn at(version: u64) -> Arc<FakeSource> {
            Arc::new(FakeSource { version: AtomicU64::new(version), ..FakeSource::default() })
        }
    }

    impl TopicSource for FakeSource {
        fn authorize<'a>(
            &'a self,
            principal: Option<&'a Principal>,
            topic: Topic,
        ) -> BoxFuture<'a, Result<(), ErrorCode>> {
            Box::pin(async move {
                match (topic, principal) {
                    (Topic::Events, _) => Ok(()),
                    (_, None) => Err(ErrorCode::UnknownTopic),
                    (_, Some(_)) => Ok(()),
                }
            })
        }
        fn load(&self, _topic: Topic) -> BoxFuture<'_, anyhow::Result<TopicState>> {
            Box::pin(async move {
                self.loads.fetch_add(1, Ordering::SeqCst);
                let version = self.version.load(Ordering::SeqCst);
                let data = super::state_of(&serde_json::json!({"v": version}))?;
                Ok(TopicState { version, data })
            })
        }
        fn version(&self, _topic: Topic) -> BoxFuture<'_, anyhow::Result<u64>> {
            Box::pin(async move { Ok(self.version.load(Ordering::SeqCst)) })
        }
        fn principal(&self, user: UserId) -> BoxFuture<'_, anyhow::Result<Principal>> {
            Box::pin(async move { Ok(Principal { user_id: Some(user), ..Default::default() }) })
        }
    }
}
