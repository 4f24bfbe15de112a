//! The two client protocols the load generator speaks, and the cheap parsing of update frames.
//!
//! - `Plain`: the Hackops protocol (docs in shared/src/ws.rs): JSON text frames tagged by
//!   `type`; the baseline and the Node `ws` peer speak it too.
//! - `SocketIo`: Engine.IO v4 over a websocket (`/socket.io/?EIO=4&transport=websocket`):
//!   `0{…}` open → we send `40` → `40{…}` connected; events are `42["name",{…}]`; the server
//!   pings with `2`, we answer `3`.
//!
//! Update frames are not deserialised: the client only needs `version` and the `bench <seq>
//! <intended send µs>` marker the publisher puts at the start of the event description, found
//! by substring search (cheap enough for one load-generator core to follow 10k+ connections).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Wire {
    Plain,
    SocketIo,
}

/// What one incoming text frame is.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming<'a> {
    /// A topic update (the text is the whole frame).
    Update(&'a str),
    /// A whole-state snapshot (sent on subscribe, or to resync a lagging client).
    Snapshot(&'a str),
    /// Engine.IO ping: answer `3`.
    Ping,
    /// Anything else (welcome, pong, socket.io connect acknowledgement, …).
    Other,
    /// A protocol error frame from the server.
    Error(&'a str),
}

impl Wire {
    pub fn classify(self, text: &str) -> Incoming<'_> {
        match self {
            Wire::Plain => {
                if text.starts_with(r#"{"type":"update""#) {
                    Incoming::Update(text)
                } else if text.starts_with(r#"{"type":"snapshot""#) {
                    Incoming::Snapshot(text)
                } else if text.starts_with(r#"{"type":"error""#) {
                    Incoming::Error(text)
                } else {
                    Incoming::Other
                }
            }
            Wire::SocketIo => {
                if text.starts_with(r#"42["update""#) {
                    Incoming::Update(text)
                } else if text.starts_with(r#"42["snapshot""#) {
                    Incoming::Snapshot(text)
                } else if text == "2" {
                    Incoming::Ping
                } else if text.starts_with("44") || text.starts_with('1') {
                    Incoming::Error(text)
                } else {
                    Incoming::Other
                }
            }
        }
    }

    /// The client's subscribe message.
    pub fn subscribe(self, topic: &str) -> String {
        match self {
            Wire::Plain => format!(r#"{{"type":"subscribe","topic":"{topic}","since":null}}"#),
            Wire::SocketIo => format!(r#"42["subscribe",{{"topic":"{topic}"}}]"#),
        }
    }

    /// The publisher's message for the peers (Hackops is published to through its REST API).
    pub fn publish(self, data: &str) -> String {
        match self {
            Wire::Plain => format!(r#"{{"type":"publish","data":{data}}}"#),
            Wire::SocketIo => format!(r#"42["publish",{{"data":{data}}}]"#),
        }
    }
}

/// The number right after `"key":` (first occurrence).
pub fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = &text[start..];
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    digits[..end].parse().ok()
}

pub fn version_of(frame: &str) -> Option<u64> {
    number_after(frame, r#""version":"#)
}

/// The marker the publisher writes at the start of the description.
pub const MARKER: &str = r#""description":"bench "#;

/// `(seq, intended send time in µs since the Unix epoch)` from an update frame.
pub fn marker_of(frame: &str) -> Option<(u64, u64)> {
    let start = frame.find(MARKER)? + MARKER.len();
    let rest = &frame[start..];
    let (seq, rest) = rest.split_once(' ')?;
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    Some((seq.parse().ok()?, rest[..end].parse().ok()?))
}

/// The description the publisher sends: the marker, then padding up to `len` bytes so that
/// the whole update frame has the intended size.
pub fn description(seq: u64, intended_us: u64, len: usize) -> String {
    let mut text = format!("bench {seq} {intended_us} ");
    let marker_len = text.len();
    while text.len() < len {
        text.push_str("open data for everyone ");
    }
    text.truncate(len.max(marker_len)); // ASCII only: any byte is a char boundary
    text
}

/// Time since the Unix epoch in microseconds (the publisher and all clients share the clock).
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_version_and_marker_in_a_hackops_update() {
        let desc = description(17, 1_800_000_000_123_456, 300);
        assert_eq!(desc.len(), 300);
        let frame = format!(
            r#"{{"type":"update","topic":"event:x","version":42,"data":{{"id":"x","description":"{desc}","venue":"v"}}}}"#
        );
        assert_eq!(Wire::Plain.classify(&frame), Incoming::Update(&frame));
        assert_eq!(version_of(&frame), Some(42));
        assert_eq!(marker_of(&frame), Some((17, 1_800_000_000_123_456)));
    }

    #[test]
    fn socket_io_frames() {
        let frame = r#"42["update",{"type":"update","topic":"t","version":3,"data":{"description":"bench 1 99 x"}}]"#;
        assert_eq!(Wire::SocketIo.classify(frame), Incoming::Update(frame));
        assert_eq!(marker_of(frame), Some((1, 99)));
        assert_eq!(Wire::SocketIo.classify("2"), Incoming::Ping);
        assert_eq!(Wire::SocketIo.classify(r#"40{"sid":"a"}"#), Incoming::Other);
        assert_eq!(Wire::SocketIo.subscribe("t"), r#"42["subscribe",{"topic":"t"}]"#);
        assert_eq!(Wire::SocketIo.publish("{}"), r#"42["publish",{"data":{}}]"#);
    }

    #[test]
    fn short_descriptions_keep_the_marker() {
        assert_eq!(description(1, 2, 0), "bench 1 2 ");
        assert_eq!(marker_of(r#""description":"bench 1 2 ""#), Some((1, 2)));
        assert_eq!(marker_of(r#""description":"hello""#), None);
    }
}
