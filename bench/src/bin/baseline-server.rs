//! The ceiling: a bare tokio-tungstenite broadcast server speaking the Hackops wire format.
//!
//! `{"type":"subscribe",…}` → a `snapshot` of the latest data, then every broadcast;
//! `{"type":"publish","data":<json>}` → one `update` frame, serialised once, sent to every
//! subscriber. Same runtime (multi-thread tokio), same 4 KiB read buffer as Hackops; no auth,
//! no database, no coalescing. Usage: `baseline-server 127.0.0.1:9000`.

use futures_util::{SinkExt, StreamExt};
use serde_json::value::RawValue;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

const TOPIC: &str = "event:00000000-0000-4000-8000-00000000b0b0";

#[derive(serde::Deserialize)]
struct Publish<'a> {
    #[serde(borrow)]
    data: &'a RawValue,
}

struct State {
    tx: broadcast::Sender<Utf8Bytes>,
    /// (version, data) of the last publish.
    latest: Mutex<(u64, String)>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:9000".into());
    let listener = TcpListener::bind(&addr).await?;
    let state =
        Arc::new(State { tx: broadcast::channel(64).0, latest: Mutex::new((0, "{}".into())) });
    loop {
        let (tcp, _) = listener.accept().await?;
        tokio::spawn(serve(tcp, state.clone()));
    }
}

async fn serve(tcp: TcpStream, state: Arc<State>) -> anyhow::Result<()> {
    tcp.set_nodelay(true)?;
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .max_message_size(Some(64 * 1024))
        .max_frame_size(Some(64 * 1024));
    let ws = tokio_tungstenite::accept_async_with_config(tcp, Some(config)).await?;
    let (mut sink, mut stream) = ws.split();
    let mut rx: Option<broadcast::Receiver<Utf8Bytes>> = None;
    loop {
        tokio::select! {
            frame = async { rx.as_mut()?.recv().await.ok() }, if rx.is_some() => match frame {
                Some(text) => sink.send(Message::Text(text)).await?,
                None => rx = Some(state.tx.subscribe()), // lagged: skip ahead
            },
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Text(text))) if text.starts_with(r#"{"type":"publish""#) => {
                    let publish: Publish<'_> = serde_json::from_str(&text)?;
                    let mut latest = state.latest.lock().unwrap_or_else(|e| e.into_inner());
                    latest.0 += 1;
                    latest.1 = publish.data.get().to_owned();
                    let frame = format!(
                        r#"{{"type":"update","topic":"{TOPIC}","version":{},"data":{}}}"#,
                        latest.0, latest.1
                    );
                    let _ = state.tx.send(frame.into());
                }
                Some(Ok(Message::Text(text))) if text.starts_with(r#"{"type":"subscribe""#) => {
                    rx = Some(state.tx.subscribe());
                    let snapshot = {
                        let latest = state.latest.lock().unwrap_or_else(|e| e.into_inner());
                        format!(
                            r#"{{"type":"snapshot","topic":"{TOPIC}","version":{},"data":{}}}"#,
                            latest.0, latest.1
                        )
                    };
                    sink.send(Message::Text(snapshot.into())).await?;
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Ok(()),
                Some(Ok(_)) => {}
            },
        }
    }
}
