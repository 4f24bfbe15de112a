//! The in-process hub: one channel per topic with subscribers on this instance.
//!
//! A change is announced with its version, and with the topic's new state when the writer has
//! it (see [`super::Change`]). The topic's worker then broadcasts that state, or loads it from
//! the source of truth (the database) when a change came without it, at most once per
//! `min_interval` however many changes arrived (latest wins). It encodes the `update` once, as a
//! complete websocket frame, and broadcasts the same bytes to every connection (see
//! [`super::transport`]). A connection that lags behind the
//! broadcast buffer gets a fresh snapshot.

use super::{TopicSource, TopicState};
use bytes::Bytes;
use hackops_shared::ws::{ServerMsg, Topic};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use tokio_util::sync::CancellationToken;

/// One version of one topic as a websocket frame, shared by every connection.
#[derive(Clone, Debug)]
pub struct Frame {
    pub version: u64,
    /// The whole frame, as written to the socket ([`super::transport::text_frame`]).
    pub wire: Bytes,
}

/// How many frames a slow connection may fall behind before it is resynced with a snapshot.
const BROADCAST_CAPACITY: usize = 64;

struct Channel {
    tx: broadcast::Sender<Frame>,
    latest: Mutex<Option<TopicState>>,
    /// What the worker must broadcast next; `dirty` wakes it.
    wanted: Mutex<Wanted>,
    dirty: Notify,
}

/// The changes announced since the worker last looked.
#[derive(Default)]
struct Wanted {
    /// The newest state handed over by the writer that made it.
    offered: Option<TopicState>,
    /// A change came without its state (another instance, a version poll, a reconnection):
    /// read the source, whose state is at least as new as every change announced so far.
    reload: bool,
}

impl Channel {
    fn latest(&self) -> std::sync::MutexGuard<'_, Option<TopicState>> {
        self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn latest_version(&self) -> Option<u64> {
        self.latest().as_ref().map(|s| s.version)
    }

    /// Keeps the newest state; returns whether `state` was newer than what the channel had.
    fn store_if_newer(&self, state: &TopicState) -> bool {
        let mut latest = self.latest();
        if latest.as_ref().is_none_or(|l| state.version > l.version) {
            *latest = Some(state.clone());
            true
        } else {
            false
        }
    }

    fn wanted(&self) -> std::sync::MutexGuard<'_, Wanted> {
        self.wanted.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a change at `version` (with its state, or to be read) unless this instance has
    /// already broadcast it or been handed it, and wakes the worker.
    fn announce(&self, version: u64, state: Option<TopicState>) {
        if self.latest_version().is_some_and(|known| version <= known) {
            return; // the echo of our own publish, or a duplicate
        }
        let mut wanted = self.wanted();
        let offered = wanted.offered.as_ref().map(|s| s.version);
        match state {
            Some(state) if offered.is_none_or(|o| state.version > o) => {
                wanted.offered = Some(state);
            }
            Some(_) => {}
            None if offered.is_some_and(|o| version <= o) => return, // handed over already
            None => wanted.reload = true,
        }
        drop(wanted);
        self.dirty.notify_one();
    }

    /// Everything must be read again (changes may have been missed).
    fn reload(&self) {
        self.wanted().reload = true;
        self.dirty.notify_one();
    }
}

pub struct Hub {
    source: Arc<dyn TopicSource>,
    channels: Mutex<HashMap<Topic, Arc<Channel>>>,
    min_interval: Duration,
    pub shutdown: CancellationToken,
}

pub fn encode(topic: Topic, state: &TopicState, snapshot: bool) -> Bytes {
    let data: &RawValue = &state.data;
    let msg = if snapshot {
        ServerMsg::Snapshot { topic, version: state.version, data }
    } else {
        ServerMsg::Update { topic, version: state.version, data }
    };
    // Serialising our own enum with pre-validated raw JSON cannot fail.
    super::transport::text_frame(serde_json::to_string(&msg).unwrap_or_default())
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
            wanted: Mutex::new(Wanted::default()),
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
        let cached = channel.latest().clone();
        let state = match cached {
            // Kept fresh by the worker while anyone here follows the topic.
            Some(state) if channel.tx.receiver_count() > 1 => state,
            _ => {
                let state = self.source.load(topic).await?;
                channel.store_if_newer(&state);
                state
            }
        };
        Ok((rx, state))
    }

    /// The current state for a connection that must resync (it lagged).
    pub async fn current(self: &Arc<Self>, topic: Topic) -> anyhow::Result<TopicState> {
        let channel = self.channel(topic);
        let cached = channel.latest().clone();
        match cached {
            Some(state) => Ok(state),
            None => self.source.load(topic).await,
        }
    }

    /// A topic changed, here or on another instance, and its version is now `version`.
    /// `state` is the topic's state at that version when the caller has it (see
    /// [`super::Change::state`]); without it, the worker reads the source.
    pub fn announce(&self, topic: Topic, version: u64, state: Option<TopicState>) {
        self.source.changed(topic);
        let channel = self.channels().get(&topic).cloned();
        if let Some(channel) = channel {
            channel.announce(version, state);
        }
    }

    /// Topics someone on this instance follows.
    pub fn active_topics(&self) -> Vec<Topic> {
        self.channels().iter().filter(|(_, c)| c.tx.receiver_count() > 0).map(|(t, _)| *t).collect()
    }

    /// Re-reads every followed topic: after the Redis link comes back, messages may be lost.
    pub fn resync_all(&self) {
        for channel in self.channels().values() {
            channel.reload();
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
            match self.source.version(topic).await {
                Ok(version) => channel.announce(version, None),
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
            let wanted = std::mem::take(&mut *channel.wanted());
            if channel.tx.receiver_count() == 0 {
                // Nobody here follows it: forget the state rather than keep it fresh.
                *channel.latest() = None;
                continue;
            }
            let state = match wanted {
                Wanted { offered: None, reload: false } => continue, // nothing new
                Wanted { offered: Some(state), reload: false } => Ok(state),
                Wanted { reload: true, .. } => self.source.load(topic).await,
            };
            match state {
                Ok(state) => {
                    if channel.store_if_newer(&state) {
                        let _ = channel.tx.send(Frame {
                            version: state.version,
                            wire: encode(topic, &state, false),
                        });
                    }
                }
                Err(err) => {
                    tracing::warn!(%topic, error = %err, "cannot load the topic state");
                    channel.reload(); // try again after the pause
                }
            }
            // Changes arriving meanwhile leave one pending notification: coalesced into one load.
            tokio::select! {
                () = self.shutdown.cancelled() => return,
                () = tokio::time::sleep(self.min_interval) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::testing::FakeSource;
    use crate::realtime::transport::payload;
    use std::sync::atomic::Ordering;

    fn state(version: u64, data: &str) -> TopicState {
        TopicState { version, data: Arc::from(RawValue::from_string(data.to_owned()).unwrap()) }
    }

    async fn next(rx: &mut broadcast::Receiver<Frame>) -> (u64, String) {
        let frame = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("a frame in time")
            .expect("open");
        let value: serde_json::Value = serde_json::from_str(payload(&frame.wire)).unwrap();
        (frame.version, value["data"].to_string())
    }

    /// The frames up to `version` (a loaded machine may let the worker send some in between).
    async fn until(rx: &mut broadcast::Receiver<Frame>, version: u64) -> (u64, String) {
        loop {
            let frame = next(rx).await;
            if frame.0 >= version {
                return frame;
            }
        }
    }

    async fn hub() -> (Arc<Hub>, Arc<FakeSource>, broadcast::Receiver<Frame>) {
        let source = FakeSource::at(0);
        let hub = Hub::new(source.clone(), Duration::from_millis(100));
        let (rx, first) = hub.subscribe(Topic::Events).await.unwrap();
        assert_eq!(first.version, 0);
        assert_eq!(source.loads.load(Ordering::SeqCst), 1, "the snapshot is read once");
        (hub, source, rx)
    }

    #[tokio::test]
    async fn a_handed_over_state_is_broadcast_without_reading_the_source() {
        let (hub, source, mut rx) = hub().await;
        source.version.store(1, Ordering::SeqCst);
        hub.announce(Topic::Events, 1, Some(state(1, r#"{"handed":1}"#)));
        assert_eq!(next(&mut rx).await, (1, r#"{"handed":1}"#.into()));
        assert_eq!(source.loads.load(Ordering::SeqCst), 1);
        // The echo of the same change (Redis, a version poll) is not read again.
        hub.announce(Topic::Events, 1, None);
        hub.poll_versions().await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(source.loads.load(Ordering::SeqCst), 1);
        assert!(rx.try_recv().is_err(), "nothing new to send");
    }

    #[tokio::test]
    async fn a_change_without_its_state_is_read_from_the_source() {
        let (hub, source, mut rx) = hub().await;
        source.version.store(4, Ordering::SeqCst);
        hub.announce(Topic::Events, 4, None);
        assert_eq!(next(&mut rx).await, (4, r#"{"v":4}"#.into()));
        assert_eq!(source.loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_newer_change_without_state_wins_over_an_older_handed_state() {
        let (hub, source, mut rx) = hub().await;
        // Held back by the worker's pause after a first broadcast…
        source.version.store(1, Ordering::SeqCst);
        hub.announce(Topic::Events, 1, Some(state(1, r#"{"handed":1}"#)));
        assert_eq!(next(&mut rx).await.0, 1);
        // …a handed state at 2, then news of 3 from elsewhere: the source is read (latest wins).
        hub.announce(Topic::Events, 2, Some(state(2, r#"{"handed":2}"#)));
        source.version.store(3, Ordering::SeqCst);
        hub.announce(Topic::Events, 3, None);
        assert_eq!(until(&mut rx, 3).await, (3, r#"{"v":3}"#.into()));
        // An older handed state arriving late changes nothing.
        hub.announce(Topic::Events, 2, Some(state(2, r#"{"handed":2}"#)));
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn handed_states_coalesce_to_the_newest() {
        let (hub, source, mut rx) = hub().await;
        source.version.store(1, Ordering::SeqCst);
        hub.announce(Topic::Events, 1, Some(state(1, r#"{"handed":1}"#)));
        assert_eq!(next(&mut rx).await.0, 1);
        for v in 2..=5 {
            hub.announce(Topic::Events, v, Some(state(v, &format!(r#"{{"handed":{v}}}"#))));
        }
        assert_eq!(until(&mut rx, 5).await, (5, r#"{"handed":5}"#.into()));
        assert_eq!(source.loads.load(Ordering::SeqCst), 1);
    }
}
