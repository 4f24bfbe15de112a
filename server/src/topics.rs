//! The realtime topics of the features, as the realtime layer sees them ([`TopicSource`]).
//! This is the one place that knows both: features never import the realtime internals beyond
//! `versions::bump` and `Realtime::publish`, and the realtime layer never imports a feature.

use crate::announcements::service as announcements;
use crate::auth::policy::{allows, Action, Principal};
use crate::events::service as events;
use crate::realtime::{state_of as raw, versions, BoxFuture, TopicSource, TopicState};
use hackops_shared::error::ErrorCode;
use hackops_shared::events::EventPhase;
use hackops_shared::ids::{EventId, UserId};
use hackops_shared::ws::Topic;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a cached event phase may be used to authorise a subscription. Changes announced
/// for the event's topic (on this instance or through Redis) drop the entry at once; the TTL
/// bounds staleness when such a message is lost.
const PHASE_TTL: Duration = Duration::from_secs(1);
/// Beyond this many cached phases the cache starts over (bounded memory).
const PHASE_CACHE_MAX: usize = 10_000;

pub struct AppTopics {
    pub db: DatabaseConnection,
    /// The phase of recently authorised events: a crowd connecting to one event costs one
    /// query per `PHASE_TTL`, not one per connection.
    phases: Mutex<HashMap<EventId, (EventPhase, Instant)>>,
}

impl AppTopics {
    pub fn new(db: DatabaseConnection) -> Self {
        AppTopics { db, phases: Mutex::new(HashMap::new()) }
    }

    fn phases(&self) -> std::sync::MutexGuard<'_, HashMap<EventId, (EventPhase, Instant)>> {
        self.phases.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The event's phase, `None` when it does not exist (not cached).
    async fn phase(&self, event: EventId) -> Result<Option<EventPhase>, ErrorCode> {
        if let Some((phase, at)) = self.phases().get(&event) {
            if at.elapsed() < PHASE_TTL {
                return Ok(Some(*phase));
            }
        }
        let phase =
            events::phase(&self.db, event).await.map_err(|_| ErrorCode::ServiceUnavailable)?;
        if let Some(phase) = phase {
            let mut phases = self.phases();
            if phases.len() >= PHASE_CACHE_MAX {
                phases.clear();
            }
            phases.insert(event, (phase, Instant::now()));
        }
        Ok(phase)
    }
}

impl TopicSource for AppTopics {
    fn authorize<'a>(
        &'a self,
        principal: Option<&'a Principal>,
        topic: Topic,
    ) -> BoxFuture<'a, Result<(), ErrorCode>> {
        Box::pin(async move {
            let event = match topic {
                Topic::Events => return Ok(()),
                Topic::Event(id) | Topic::Announcements(id, _) => id,
            };
            match self.phase(event).await? {
                Some(phase) if allows(principal, Action::ViewEvent { event, phase }) => {}
                _ => return Err(ErrorCode::UnknownTopic),
            }
            if let Topic::Announcements(id, audience) = topic {
                let audiences = announcements::audiences_for(&self.db, principal, id)
                    .await
                    .map_err(|_| ErrorCode::ServiceUnavailable)?;
                if !audiences.contains(&audience) {
                    return Err(if principal.is_some() {
                        ErrorCode::Forbidden
                    } else {
                        ErrorCode::Unauthenticated
                    });
                }
            }
            Ok(())
        })
    }

    fn load(&self, topic: Topic) -> BoxFuture<'_, anyhow::Result<TopicState>> {
        Box::pin(async move {
            // Version first: the data read after it is at least that new.
            let version = versions::current(&self.db, topic).await?;
            let data = match topic {
                Topic::Events => {
                    raw(&events::list(&self.db, None).await.map_err(|e| anyhow::anyhow!("{e}"))?)?
                }
                Topic::Event(id) => raw(&events::get_unchecked(&self.db, id)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?)?,
                Topic::Announcements(id, audience) => {
                    raw(&announcements::for_audience(&self.db, id, audience)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?)?
                }
            };
            Ok(TopicState { version, data })
        })
    }

    fn version(&self, topic: Topic) -> BoxFuture<'_, anyhow::Result<u64>> {
        Box::pin(async move { Ok(versions::current(&self.db, topic).await?) })
    }

    fn changed(&self, topic: Topic) {
        if let Topic::Event(id) = topic {
            self.phases().remove(&id);
        }
    }

    fn principal(&self, user: UserId) -> BoxFuture<'_, anyhow::Result<Principal>> {
        Box::pin(async move {
            crate::auth::service::principal(&self.db, user)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
    }
}
