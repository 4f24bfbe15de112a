//! The Redis bridge: changes made on one instance reach the subscribers of every instance.
//!
//! Redis pub/sub is at-most-once, so it is only a fast path. Correctness comes from the
//! versions in the database: whenever the subscription (re)connects, every followed topic is
//! re-read, and the hub polls versions while Redis is configured. Publishing never blocks a
//! request: messages go through a bounded queue to a publisher task, and are dropped (and
//! caught up by the poll) when Redis is away.

use super::hub::Hub;
use futures_util::StreamExt;
use hackops_shared::ws::Topic;
use redis::aio::ConnectionManager;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub const TOPICS_CHANNEL: &str = "hackops:v1:topics";
pub const SESSIONS_CHANNEL: &str = "hackops:v1:sessions";
const QUEUE: usize = 4096;
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

enum Outgoing {
    Topic(Topic, u64),
    Revoke(Uuid),
}

pub struct Bus {
    tx: mpsc::Sender<Outgoing>,
}

/// `"<topic> <version>"`, e.g. `event:… 12`.
fn encode_topic(topic: Topic, version: u64) -> String {
    format!("{topic} {version}")
}

fn decode_topic(payload: &str) -> Option<(Topic, u64)> {
    let (topic, version) = payload.split_once(' ')?;
    Some((topic.parse().ok()?, version.parse().ok()?))
}

impl Bus {
    pub fn start(
        client: redis::Client,
        hub: Arc<Hub>,
        revoked: broadcast::Sender<Uuid>,
        shutdown: CancellationToken,
    ) -> Arc<Bus> {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(publisher(client.clone(), rx, shutdown.clone()));
        tokio::spawn(subscriber(client, hub, revoked, shutdown));
        Arc::new(Bus { tx })
    }

    pub async fn publish_topics(&self, changes: &[super::Change]) {
        for &super::Change { topic, version, .. } in changes {
            if self.tx.try_send(Outgoing::Topic(topic, version)).is_err() {
                tracing::warn!(%topic, "realtime bus queue full: the version poll will catch up");
            }
        }
    }

    pub async fn publish_revocation(&self, session: Uuid) {
        let _ = self.tx.try_send(Outgoing::Revoke(session));
    }
}

async fn connect(client: &redis::Client) -> Option<ConnectionManager> {
    match tokio::time::timeout(REDIS_TIMEOUT, ConnectionManager::new(client.clone())).await {
        Ok(Ok(conn)) => Some(conn),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "cannot connect to Redis for publishing");
            None
        }
        Err(_) => None,
    }
}

async fn publisher(
    client: redis::Client,
    mut rx: mpsc::Receiver<Outgoing>,
    shutdown: CancellationToken,
) {
    let mut conn: Option<ConnectionManager> = None;
    loop {
        let message = tokio::select! {
            () = shutdown.cancelled() => return,
            message = rx.recv() => match message { Some(m) => m, None => return },
        };
        if conn.is_none() {
            conn = connect(&client).await;
        }
        let Some(c) = conn.as_mut() else { continue };
        let (channel, payload) = match message {
            Outgoing::Topic(topic, version) => (TOPICS_CHANNEL, encode_topic(topic, version)),
            Outgoing::Revoke(session) => (SESSIONS_CHANNEL, session.to_string()),
        };
        let sent = tokio::time::timeout(
            REDIS_TIMEOUT,
            redis::cmd("PUBLISH").arg(channel).arg(payload).query_async::<i64>(c),
        )
        .await;
        if !matches!(sent, Ok(Ok(_))) {
            tracing::warn!("Redis publish failed: the version poll will catch up");
            conn = None;
        }
    }
}

async fn subscriber(
    client: redis::Client,
    hub: Arc<Hub>,
    revoked: broadcast::Sender<Uuid>,
    shutdown: CancellationToken,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let connected = tokio::time::timeout(REDIS_TIMEOUT, async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&[TOPICS_CHANNEL, SESSIONS_CHANNEL]).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        match connected {
            Ok(Ok(mut pubsub)) => {
                backoff = Duration::from_millis(100);
                tracing::info!("realtime bus subscribed to Redis");
                // Anything published while we were away is lost: re-read what we follow.
                hub.resync_all();
                let mut messages = pubsub.on_message();
                loop {
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        message = messages.next() => match message {
                            Some(message) => {
                                let payload: String = message.get_payload().unwrap_or_default();
                                if message.get_channel_name() == SESSIONS_CHANNEL {
                                    if let Ok(session) = payload.parse() {
                                        let _ = revoked.send(session);
                                    }
                                } else if let Some((topic, version)) = decode_topic(&payload) {
                                    hub.announce(topic, version, None);
                                }
                            }
                            None => break,
                        },
                    }
                }
                tracing::warn!("realtime bus lost its Redis subscription; reconnecting");
            }
            Ok(Err(err)) => tracing::warn!(error = %err, "cannot subscribe to Redis; retrying"),
            Err(_) => tracing::warn!("Redis subscription timed out; retrying"),
        }
        let jitter = Duration::from_millis(rand::random::<u64>() % 100);
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(backoff + jitter) => {}
        }
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hackops_shared::ids::EventId;

    #[test]
    fn bus_messages_round_trip_and_garbage_is_ignored() {
        let topic = Topic::Event(EventId(Uuid::from_u128(9)));
        assert_eq!(decode_topic(&encode_topic(topic, 42)), Some((topic, 42)));
        assert_eq!(decode_topic("events 1"), Some((Topic::Events, 1)));
        for bad in ["", "events", "events x", "nope 1", "event:x 1"] {
            assert_eq!(decode_topic(bad), None, "{bad}");
        }
    }
}
