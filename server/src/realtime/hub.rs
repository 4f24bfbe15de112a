//! The in-process hub: one channel per topic with subscribers on this instance.
//!
//! A change marks its topic dirty. The topic's worker then loads the state from the source of
//! truth (the database), at most once per `min_interval` however many changes arrived (latest
//! wins), serialises the `update` frame once, and broadcasts the same bytes to every
//! connection. A connection that lags behind the broadcast buffer gets a fresh snapshot.

use super::{TopicSource, TopicState};
use axum::extract::ws::Utf8Bytes;
use hackops_shared::ws::{ServerMsg, Topic};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use tokio_util::sync::CancellationToken;

/// A serialised server message for one version of one topic, shared by every connection.
#[derive(Clone, Debug)]
pub struct Frame {
    pub version: u64,
    pub text: Utf8Bytes,
}

/// How many frames a slow connection may fall behind before it is resynced with a snapshot.
const BROADCAST_CAPACITY: usize = 64;

struct Channel {
    tx: broadcast::Sender<Frame>,
    latest: Mutex<Option<TopicState>>,
    dirty: Notify,
}

pub struct Hub {
    source: Arc<dyn TopicSource>,
    channels: Mutex<HashMap<Topic, Arc<Channel>>>,
    min_interval: Duration,
    pub shutdown: CancellationToken,
}

pub fn encode(topic: Topic, state: &TopicState, snapshot: bool) -> Utf8Bytes {
    let data: &RawValue = &state.data;
    let msg = if snapshot {
        ServerMsg::Snapshot { topic, version: state.version, data }
    } else {
        ServerMsg::Update { topic, version: state.version, data }
    };
    // Serialising our own enum with pre-validated raw JSON cannot fail.
    Utf8Bytes::from(serde_json::to_string(&msg).unwrap_or_default())
}

impl Hub {
    pub fn new(source: Arc<dyn TopicSource>, min_interval: Duration) -> Arc<Hub> {
        Arc::new(Hub {
            source,
            channels: Mutex::new(HashMap::new()),
            min_interval,
            shutdown: CancellationToken::new(),
        })
    }

    pub fn source(&self) -> &Arc<dyn TopicSource> {
        &self.source
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<Topic, Arc<Channel>>> {
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn channel(self: &Arc<Self>, topic: Topic) -> Arc<Channel> {
        let mut channels = self.channels();
        if let Some(channel) = channels.get(&topic) {
            return channel.clone();
        }
        let channel = Arc::new(Channel {
            tx: broadcast::channel(BROADCAST_CAPACITY).0,
            latest: Mutex::new(None),
            dirty: Notify::new(),
        });
        channels.insert(topic, channel.clone());
        tokio::spawn(self.clone().worker(topic, channel.clone()));
        channel
    }

    /// Follows a topic: the receiver first (so no change is missed), then the current state.
    pub async fn subscribe(
        self: &Arc<Self>,
        topic: Topic,
    ) -> anyhow::Result<(broadcast::Receiver<Frame>, TopicState)> {
        let channel = self.channel(topic);
        let rx = channel.tx.subscribe();
        let cached = channel.latest.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let state = match cached {
            // Kept fresh by the worker while anyone here follows the topic.
            Some(state) if channel.tx.receiver_count() > 1 => state,
            _ => {
                let state = self.source.load(topic).await?;
                store_if_newer(&channel, &state);
                state
            }
        };
        Ok((rx, state))
    }

    /// The current state for a connection that must resync (it lagged).
    pub async fn current(self: &Arc<Self>, topic: Topic) -> anyhow::Result<TopicState> {
        let channel = self.channel(topic);
        let cached = channel.latest.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match cached {
            Some(state) => Ok(state),
            None => self.source.load(topic).await,
        }
    }

    /// Something changed in this topic (here or on another instance).
    pub fn mark_dirty(&self, topic: Topic) {
        self.source.changed(topic);
        if let Some(channel) = self.channels().get(&topic) {
            channel.dirty.notify_one();
        }
    }

    /// A change announced with its version: ignored when this instance already has it (the
    /// echo of our own publish, or a duplicate), otherwise reloaded.
    pub fn mark_dirty_at(&self, topic: Topic, version: u64) {
        self.source.changed(topic);
        if let Some(channel) = self.channels().get(&topic) {
            let known = channel
                .latest
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|s| s.version);
            if known.is_none_or(|k| version > k) {
                channel.dirty.notify_one();
            }
        }
    }

    /// Topics someone on this instance follows.
    pub fn active_topics(&self) -> Vec<Topic> {
        self.channels().iter().filter(|(_, c)| c.tx.receiver_count() > 0).map(|(t, _)| *t).collect()
    }

    /// Re-reads every followed topic: after the Redis link comes back, messages may be lost.
    pub fn resync_all(&self) {
        for channel in self.channels().values() {
            channel.dirty.notify_one();
        }
    }

    /// Compares each followed topic's version with the database and reloads what moved. This is
    /// what makes delivery survive lost Redis messages.
    pub async fn poll_versions(&self) {
        let active: Vec<(Topic, Arc<Channel>)> = self
            .channels()
            .iter()
            .filter(|(_, c)| c.tx.receiver_count() > 0)
            .map(|(t, c)| (*t, c.clone()))
            .collect();
        for (topic, channel) in active {
            let known = channel
                .latest
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|s| s.version);
            match self.source.version(topic).await {
                Ok(version) if known.is_none_or(|k| version > k) => channel.dirty.notify_one(),
                Ok(_) => {}
                Err(err) => tracing::warn!(%topic, error = %err, "cannot read the topic version"),
            }
        }
    }

    async fn worker(self: Arc<Self>, topic: Topic, channel: Arc<Channel>) {
        loop {
            tokio::select! {
                () = self.shutdown.cancelled() => return,
                () = channel.dirty.notified() => {}
            }
            if channel.tx.receiver_count() == 0 {
                // Nobody here follows it: forget the state rather than keep it fresh.
                *channel.latest.lock().unwrap_or_else(|e| e.into_inner()) = None;
                continue;
            }
            match self.source.load(topic).await {
                Ok(state) => {
                    if store_if_newer(&channel, &state) {
                        let _ = channel.tx.send(Frame {
                            version: state.version,
                            text: encode(topic, &state, false),
                        });
                    }
                }
                Err(err) => tracing::warn!(%topic, error = %err, "cannot load the topic state"),
            }
            // Changes arriving meanwhile leave one pending notification: coalesced into one load.
            tokio::select! {
                () = self.shutdown.cancelled() => return,
                () = tokio::time::sleep(self.min_interval) => {}
            }
        }
    }
}

/// Keeps the newest state; returns whether `state` was newer than what the channel had.
fn store_if_newer(channel: &Channel, state: &TopicState) -> bool {
    let mut latest = channel.latest.lock().unwrap_or_else(|e| e.into_inner());
    if latest.as_ref().is_none_or(|l| state.version > l.version) {
        *latest = Some(state.clone());
        true
    } else {
        false
    }
}
