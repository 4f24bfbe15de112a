//! The server side of one websocket connection, writing shared frames as they are.
//!
//! A broadcast sends the same update to thousands of connections. The hub encodes it once as a
//! complete websocket frame ([`text_frame`]: a server's frames are not masked, so the bytes are
//! the same for every client), and each connection writes those shared bytes straight to its
//! socket: no per-connection framing, copy nor buffering. Everything else (the welcome, errors,
//! pings, the closing handshake, reading the client) goes through tungstenite, which keeps the
//! protocol's state.
//!
//! Ordering: frames and messages leave in the order they were given. A shared frame is written
//! only once tungstenite has flushed what it holds, and a message given while shared frames
//! wait is handed to tungstenite only once they are written. Reading may make tungstenite write
//! (it answers pings and closes), so reading first writes the shared frames given before.

use bytes::Bytes;
use futures_util::{Sink, Stream};
use std::io::IoSlice;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tungstenite::protocol::frame::coding::{Data, OpCode};
use tungstenite::protocol::frame::Frame;
use tungstenite::{Error, Message};

/// What the connection's task sends: a message, or a frame already encoded and shared.
#[derive(Clone, Debug)]
pub enum Out {
    Message(Message),
    Frame(Bytes),
}

/// `payload` as one complete, unmasked websocket text frame (what a server sends).
pub fn text_frame(payload: String) -> Bytes {
    let payload = Bytes::from(payload);
    let frame = Frame::message(payload, OpCode::Data(Data::Text), true);
    let mut wire = Vec::with_capacity(frame.len());
    // Writing into a Vec cannot fail.
    let _ = frame.format(&mut wire);
    Bytes::from(wire)
}

/// The text carried by a frame made by [`text_frame`] (for tests).
#[cfg(test)]
pub fn payload(wire: &Bytes) -> &str {
    use tungstenite::protocol::frame::FrameHeader;
    let mut cursor = std::io::Cursor::new(&wire[..]);
    let (_, len) = FrameHeader::parse(&mut cursor).expect("a frame").expect("a whole header");
    let start = usize::try_from(cursor.position()).expect("small");
    assert_eq!(wire.len() - start, usize::try_from(len).expect("small"), "one whole frame");
    std::str::from_utf8(&wire[start..]).expect("UTF-8")
}

/// Shared frames written together at most (one `writev`).
const MAX_FRAMES: usize = 32;

pub struct Transport<T> {
    ws: WebSocketStream<T>,
    /// Shared frames accepted and not yet written, in order; `written` bytes of the first are.
    frames: Vec<Bytes>,
    written: usize,
    /// A message given while shared frames waited: handed to tungstenite after them.
    deferred: Option<Message>,
    /// tungstenite holds bytes it has not flushed.
    unflushed: bool,
}

impl<T> Transport<T>
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    pub fn new(ws: WebSocketStream<T>) -> Self {
        Transport { ws, frames: Vec::new(), written: 0, deferred: None, unflushed: false }
    }

    fn poll_flush_ws(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if self.unflushed {
            ready!(Pin::new(&mut self.ws).poll_flush(cx))?;
            self.unflushed = false;
        }
        Poll::Ready(Ok(()))
    }

    /// Writes the waiting shared frames (after what tungstenite holds).
    fn poll_frames(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if self.frames.is_empty() {
            return Poll::Ready(Ok(()));
        }
        ready!(self.poll_flush_ws(cx))?;
        while !self.frames.is_empty() {
            let n = {
                let mut slices = [IoSlice::new(&[]); MAX_FRAMES];
                let first = &self.frames[0][self.written..];
                slices[0] = IoSlice::new(first);
                for (slice, frame) in slices[1..].iter_mut().zip(&self.frames[1..]) {
                    *slice = IoSlice::new(frame);
                }
                let count = self.frames.len().min(MAX_FRAMES);
                let io = Pin::new(self.ws.get_mut());
                if count == 1 {
                    ready!(io.poll_write(cx, first))?
                } else {
                    ready!(io.poll_write_vectored(cx, &slices[..count]))?
                }
            };
            if n == 0 {
                return Poll::Ready(Err(Error::Io(std::io::ErrorKind::WriteZero.into())));
            }
            self.advance(n);
        }
        Poll::Ready(Ok(()))
    }

    fn advance(&mut self, mut n: usize) {
        let mut done = 0;
        for frame in &self.frames {
            let left = frame.len() - self.written;
            if n < left {
                self.written += n;
                break;
            }
            n -= left;
            self.written = 0;
            done += 1;
        }
        self.frames.drain(..done);
    }

    /// Writes the waiting shared frames, then hands over the message given after them.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        ready!(self.poll_frames(cx))?;
        if self.deferred.is_some() {
            ready!(Pin::new(&mut self.ws).poll_ready(cx))?;
            if let Some(message) = self.deferred.take() {
                Pin::new(&mut self.ws).start_send(message)?;
                self.unflushed = true;
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T> Sink<Out> for Transport<T>
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        if this.frames.len() >= MAX_FRAMES {
            ready!(this.poll_frames(cx))?;
        }
        if this.frames.is_empty() {
            Pin::new(&mut this.ws).poll_ready(cx)
        } else {
            // A message given now waits for the frames (`deferred` is free).
            Poll::Ready(Ok(()))
        }
    }

    fn start_send(self: Pin<&mut Self>, item: Out) -> Result<(), Error> {
        let this = self.get_mut();
        match item {
            Out::Frame(frame) => this.frames.push(frame),
            Out::Message(message) if this.frames.is_empty() => {
                Pin::new(&mut this.ws).start_send(message)?;
                this.unflushed = true;
            }
            Out::Message(message) => this.deferred = Some(message),
        }
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        ready!(this.poll_flush_ws(cx))?;
        Pin::new(this.ws.get_mut()).poll_flush(cx).map_err(Error::Io)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        this.unflushed = false;
        Pin::new(&mut this.ws).poll_close(cx)
    }
}

impl<T> Stream for Transport<T>
where
    T: AsyncRead + AsyncWrite + Unpin,
{
    type Item = Result<Message, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        // tungstenite may answer what it reads (a pong, the closing handshake): only after the
        // frames given before, and never in the middle of one.
        if !this.frames.is_empty() {
            if let Err(err) = ready!(this.poll_frames(cx)) {
                return Poll::Ready(Some(Err(err)));
            }
        }
        let item = ready!(Pin::new(&mut this.ws).poll_next(cx));
        if let Some(Ok(Message::Ping(_) | Message::Close(_))) = item {
            // tungstenite queued the answer: the next flush writes it.
            this.unflushed = true;
        }
        Poll::Ready(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{SinkExt, StreamExt};
    use tokio::io::DuplexStream;
    use tungstenite::protocol::Role;

    async fn pair(capacity: usize) -> (Transport<DuplexStream>, WebSocketStream<DuplexStream>) {
        let (server, client) = tokio::io::duplex(capacity);
        let server = WebSocketStream::from_raw_socket(server, Role::Server, None).await;
        let client = WebSocketStream::from_raw_socket(client, Role::Client, None).await;
        (Transport::new(server), client)
    }

    fn text(s: &str) -> Out {
        Out::Message(Message::text(s))
    }

    fn frame(s: &str) -> Out {
        Out::Frame(text_frame(s.to_owned()))
    }

    async fn received(client: &mut WebSocketStream<DuplexStream>, n: usize) -> Vec<String> {
        let mut got = Vec::new();
        while got.len() < n {
            match client.next().await.expect("open").expect("a frame") {
                Message::Text(t) => got.push(t.as_str().to_owned()),
                other => panic!("unexpected {other:?}"),
            }
        }
        got
    }

    #[test]
    fn a_shared_frame_is_a_plain_text_frame() {
        let wire = text_frame("{\"a\":1}".to_owned());
        assert_eq!(&wire[..2], &[0x81, 7], "FIN + text opcode, unmasked, length 7");
        assert_eq!(&wire[2..], b"{\"a\":1}");
        let long = text_frame("x".repeat(300));
        assert_eq!(&long[..4], &[0x81, 126, 1, 44], "16-bit length");
        assert_eq!(long.len(), 304);
        assert_eq!(payload(&long), "x".repeat(300));
    }

    #[tokio::test]
    async fn frames_and_messages_arrive_in_the_order_given() {
        let (mut server, mut client) = pair(64 * 1024).await;
        for item in [text("1"), frame("2"), frame("3"), text("4"), frame("5"), text("6")] {
            server.feed(item).await.expect("feed");
        }
        server.flush().await.expect("flush");
        assert_eq!(received(&mut client, 6).await, ["1", "2", "3", "4", "5", "6"]);
    }

    /// The client closes while a frame waits: the frame leaves first, then the answer to the
    /// close (no data after a close frame).
    #[tokio::test]
    async fn the_closing_handshake_comes_after_the_frames_given_before() {
        let (mut server, mut client) = pair(64 * 1024).await;
        server.feed(frame("last")).await.expect("feed");
        client.send(Message::Close(None)).await.expect("close");
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), server.next()).await;
        assert!(matches!(read, Ok(Some(Ok(Message::Close(_))))), "the close: {read:?}");
        server.flush().await.expect("flush");
        assert_eq!(received(&mut client, 1).await, ["last"]);
        let answer = client.next().await.expect("open").expect("a frame");
        assert!(matches!(answer, Message::Close(_)), "then the close: {answer:?}");
    }

    /// A socket that takes a few bytes at a time: frames are written across many writes, and
    /// reading (which may make tungstenite answer a ping) never cuts into one.
    #[tokio::test]
    async fn partial_writes_keep_frames_whole() {
        let (mut server, mut client) = pair(16).await;
        let big = "y".repeat(1000);
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            client.send(Message::Ping(Bytes::from_static(b"p"))).await.expect("ping");
            while got.len() < 3 {
                match client.next().await.expect("open").expect("frame") {
                    Message::Text(t) => got.push(t.as_str().len()),
                    Message::Pong(_) => got.push(0),
                    other => panic!("unexpected {other:?}"),
                }
            }
            got
        });
        server.feed(frame(&big)).await.expect("feed");
        server.feed(text("ok")).await.expect("feed");
        let flushing = async { server.flush().await.expect("flush") };
        tokio::time::timeout(std::time::Duration::from_secs(5), flushing).await.expect("flushed");
        // Reading the ping makes tungstenite answer it, after the frames.
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), server.next()).await;
        assert!(matches!(read, Ok(Some(Ok(Message::Ping(_))))), "the ping: {read:?}");
        server.flush().await.expect("flush the pong");
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), reader)
            .await
            .expect("in time")
            .expect("reader");
        assert_eq!(got, [1000, 2, 0], "the frames whole and in order, then the pong");
    }
}
