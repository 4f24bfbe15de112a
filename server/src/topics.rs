//! The realtime topics of the features, as the realtime layer sees them ([`TopicSource`]).
//! This is the one place that knows both: features never import the realtime internals beyond
//! `versions::bump` and `Realtime::publish`, and the realtime layer never imports a feature.

use crate::announcements::service as announcements;
use crate::auth::policy::{allows, Action, Principal};
use crate::events::service as events;
use crate::realtime::{versions, BoxFuture, TopicSource, TopicState};
use hackops_shared::error::ErrorCode;
use hackops_shared::ids::UserId;
use hackops_shared::ws::Topic;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub struct AppTopics {
    pub db: DatabaseConnection,
}

fn raw(value: &impl serde::Serialize) -> anyhow::Result<Arc<serde_json::value::RawValue>> {
    Ok(Arc::from(serde_json::value::to_raw_value(value)?))
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
            let phase =
                events::phase(&self.db, event).await.map_err(|_| ErrorCode::ServiceUnavailable)?;
            match phase {
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

    fn principal(&self, user: UserId) -> BoxFuture<'_, anyhow::Result<Principal>> {
        Box::pin(async move {
            crate::auth::service::principal(&self.db, user)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
        })
    }
}
