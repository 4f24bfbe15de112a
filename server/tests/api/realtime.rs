//! The realtime protocol against real servers: tokio-tungstenite clients, one or several
//! instances, Redis in between.

use crate::helpers::*;
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Client {
    ws: Ws,
}

impl Client {
    pub async fn connect(app: &TestApp) -> Client {
        let url = app.address.replace("http://", "ws://") + "/ws";
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket handshake");
        let mut client = Client { ws };
        assert_eq!(client.next().await["type"], "welcome");
        client
    }

    pub async fn send(&mut self, value: Value) {
        self.ws.send(Message::Text(value.to_string().into())).await.expect("send");
    }

    /// The next protocol message (pings are answered by tungstenite and skipped here).
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(15), self.ws.next())
                .await
                .expect("a message within 15 s")
                .expect("connection open")
                .expect("valid frame");
            match message {
                Message::Text(text) => return serde_json::from_str(text.as_str()).expect("json"),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// Reads until the server closes; returns the close code.
    pub async fn close_code(&mut self) -> u16 {
        loop {
            match tokio::time::timeout(Duration::from_secs(15), self.ws.next())
                .await
                .expect("closed within 15 s")
            {
                Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
                Some(Ok(Message::Close(None))) | None => panic!("closed without a code"),
                Some(Ok(_)) => continue,
                Some(Err(err)) => panic!("connection error before the close frame: {err}"),
            }
        }
    }

    pub async fn subscribe(&mut self, topic: &str, since: Option<u64>) -> Value {
        self.send(json!({"type": "subscribe", "topic": topic, "since": since})).await;
        self.next().await
    }

    /// Waits for an update of `topic` with at least `version` (updates may be coalesced).
    pub async fn until_version(&mut self, topic: &str, version: u64) -> Value {
        loop {
            let msg = self.next().await;
            if msg["topic"] == topic && msg["version"].as_u64().is_some_and(|v| v >= version) {
                return msg;
            }
        }
    }
}

async fn demo_event(app: &TestApp) -> String {
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    list["items"][0]["id"].as_str().unwrap().to_owned()
}

async fn organiser_token(app: &TestApp) -> String {
    session(app.login("organiser@demo.test", "demo-password").await).await.access_token
}

#[tokio::test]
async fn subscribe_snapshot_then_live_update() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let event = demo_event(&app).await;
    let mut spectator = Client::connect(&app).await;
    let snapshot = spectator.subscribe("events", None).await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["data"]["items"][0]["title"], "Hackathon Données Ouvertes de Dakar 2026");
    let v0 = snapshot["version"].as_u64().unwrap();
    let topic = format!("event:{event}");
    let event_snapshot = spectator.subscribe(&topic, None).await;
    assert_eq!(event_snapshot["data"]["id"], event.as_str());

    let token = organiser_token(&app).await;
    let patched = app
        .patch_as(
            &format!("/api/v1/events/{event}"),
            &token,
            &json!({"title": "Dakar Open Data 2026"}),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);

    let mut seen_list = false;
    let mut seen_event = false;
    while !(seen_list && seen_event) {
        let update = spectator.next().await;
        assert_eq!(update["type"], "update", "{update}");
        if update["topic"] == "events" {
            assert!(update["version"].as_u64().unwrap() > v0);
            assert_eq!(update["data"]["items"][0]["title"], "Dakar Open Data 2026");
            seen_list = true;
        } else {
            assert_eq!(update["topic"], topic.as_str());
            assert_eq!(update["data"]["title"], "Dakar Open Data 2026");
            // The writer handed this state to the hub: it is exactly what a reader gets.
            let late = Client::connect(&app).await.subscribe(&topic, None).await;
            assert_eq!(late["version"], update["version"]);
            assert_eq!(late["data"], update["data"]);
            let read: Value =
                app.get(&format!("/api/v1/events/{event}")).await.json().await.unwrap();
            assert_eq!(update["data"], read);
            seen_event = true;
        }
    }
}

/// Writers of one event take turns on its topic's version (PostgreSQL: a row lock held to
/// commit), so concurrent edits neither deadlock nor publish a state that misses a change.
#[tokio::test]
async fn concurrent_writers_of_one_event_converge() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let event = demo_event(&app).await;
    let topic = format!("event:{event}");
    let mut spectator = Client::connect(&app).await;
    let before = spectator.subscribe(&topic, None).await;
    let token = organiser_token(&app).await;
    let path = format!("/api/v1/events/{event}");
    let challenges = format!("/api/v1/events/{event}/challenges");
    let edit_bodies: Vec<Value> = (0..8).map(|i| json!({"venue": format!("Salle {i}")})).collect();
    let challenge_bodies: Vec<Value> =
        (0..4).map(|i| json!({"title": format!("Défi {i}"), "summary": "Résumé."})).collect();
    let edits = edit_bodies.iter().map(|body| app.patch_as(&path, &token, body));
    let creations = challenge_bodies.iter().map(|body| app.post_as(&challenges, &token, body));
    let (edits, creations) = tokio::join!(
        futures_util::future::join_all(edits),
        futures_util::future::join_all(creations)
    );
    assert!(edits.iter().all(|r| r.status() == StatusCode::OK), "every edit succeeds");
    assert!(creations.iter().all(|r| r.status() == StatusCode::CREATED), "every creation succeeds");

    let final_state: Value = app.get(&path).await.json().await.unwrap();
    let from = before["version"].as_u64().unwrap();
    let last = spectator.until_version(&topic, from + 12).await;
    assert_eq!(last["version"].as_u64(), Some(from + 12), "one version per change");
    assert_eq!(last["data"], final_state);
    assert_eq!(
        last["data"]["challenge_count"],
        before["data"]["challenge_count"].as_u64().unwrap() + 4
    );
}

#[tokio::test]
async fn stale_since_gets_a_snapshot_and_current_since_an_ack() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let event = demo_event(&app).await;
    let token = organiser_token(&app).await;
    app.patch_as(&format!("/api/v1/events/{event}"), &token, &json!({"venue": "Dakar Arena"}))
        .await;
    let mut client = Client::connect(&app).await;
    let first = client.subscribe("events", None).await;
    let version = first["version"].as_u64().unwrap();
    assert_eq!(version, 1);
    client.send(json!({"type": "unsubscribe", "topic": "events"})).await;
    assert_eq!(client.next().await["type"], "unsubscribed");
    assert_eq!(
        client.subscribe("events", Some(version)).await,
        json!({"type": "subscribed", "topic": "events", "version": 1})
    );
    client.send(json!({"type": "unsubscribe", "topic": "events"})).await;
    client.next().await;
    let stale = client.subscribe("events", Some(0)).await;
    assert_eq!(stale["type"], "snapshot");
    assert_eq!(stale["data"]["items"][0]["venue"], "Dakar Arena");
}

#[tokio::test]
async fn drafts_are_private_topics() {
    let app = spawn_app().await;
    let (organiser, _) = app.organiser("drafter@example.org").await;
    let event: Value = app
        .post_as("/api/v1/events", &organiser.access_token, &event_body("Secret draft"))
        .await
        .json()
        .await
        .unwrap();
    let topic = format!("event:{}", event["id"].as_str().unwrap());

    let mut anonymous = Client::connect(&app).await;
    let refused = anonymous.subscribe(&topic, None).await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "unknown_topic");
    assert_eq!(refused["topic"], topic.as_str());

    let stranger = app.register("peeker@example.org").await;
    let mut peeker = Client::connect(&app).await;
    peeker.send(json!({"type": "auth", "token": stranger.access_token})).await;
    assert_eq!(peeker.next().await["type"], "authenticated");
    assert_eq!(peeker.subscribe(&topic, None).await["code"], "unknown_topic");

    let mut owner = Client::connect(&app).await;
    owner.send(json!({"type": "auth", "token": organiser.access_token})).await;
    assert_eq!(owner.next().await["type"], "authenticated");
    let snapshot = owner.subscribe(&topic, None).await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["data"]["title"], "Secret draft");
    assert_eq!(snapshot["version"], 1, "creation bumped the topic");
}

#[tokio::test]
async fn bad_input_is_answered_and_others_stay_served() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let event = demo_event(&app).await;
    let mut good = Client::connect(&app).await;
    good.subscribe("events", None).await;

    // Invalid JSON and unknown message types: errors, connection kept.
    let mut sloppy = Client::connect(&app).await;
    sloppy.ws.send(Message::Text("{oops".into())).await.unwrap();
    assert_eq!(sloppy.next().await["code"], "invalid_message");
    sloppy.send(json!({"type": "launch_missiles"})).await;
    assert_eq!(sloppy.next().await["code"], "invalid_message");
    sloppy.send(json!({"type": "ping"})).await;
    assert_eq!(sloppy.next().await, json!({"type": "pong"}));
    // Larger than the 1 KiB read buffer, under the 4 KiB cap: read whole, over several reads.
    let padded = format!(r#"{{"type":"ping"{}}}"#, " ".repeat(3_500));
    sloppy.ws.send(Message::Text(padded.into())).await.unwrap();
    assert_eq!(sloppy.next().await, json!({"type": "pong"}));

    // Oversized frame: 1009. Binary garbage: 1003. A flood: rate limited, then 1008.
    let mut big = Client::connect(&app).await;
    big.ws.send(Message::Text("x".repeat(10_000).into())).await.unwrap();
    assert_eq!(big.close_code().await, 1009);
    let mut binary = Client::connect(&app).await;
    binary.ws.send(Message::Binary(vec![0xde, 0xad, 0xbe, 0xef].into())).await.unwrap();
    assert_eq!(binary.close_code().await, 1003);
    let mut flood = Client::connect(&app).await;
    for _ in 0..200 {
        if flood.ws.send(Message::Text(r#"{"type":"ping"}"#.into())).await.is_err() {
            break;
        }
    }
    assert_eq!(flood.close_code().await, 1008);

    // The well-behaved client still gets its updates, and the server still answers.
    let token = organiser_token(&app).await;
    app.patch_as(&format!("/api/v1/events/{event}"), &token, &json!({"title": "Still live"})).await;
    assert_eq!(good.until_version("events", 1).await["data"]["items"][0]["title"], "Still live");
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_handshake_checks_the_origin() {
    let app = spawn_app_with(Options {
        allowed_origins: vec!["https://hack.city.example".into()],
        ..Options::default()
    })
    .await;
    let url = app.address.replace("http://", "ws://") + "/ws";
    let mut request = url.clone().into_client_request().unwrap();
    request.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected a refused handshake, got {:?}", other.map(|_| ())),
    }
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("origin", "https://hack.city.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_ok());
}

/// `/ws` answers anything but a websocket handshake with a stable error, in the caller's
/// language, and still accepts handshakes afterwards.
#[tokio::test]
async fn requests_that_are_not_handshakes_are_refused() {
    let app = spawn_app().await;
    let plain = app.get("/ws").await;
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
    assert_eq!(plain.json::<Value>().await.unwrap()["code"], "not_websocket");

    let upgrade = |version: &'static str| {
        app.client
            .get(app.url("/ws"))
            .header("connection", "Upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("sec-websocket-version", version)
            .header("accept-language", "fr")
    };
    let old = upgrade("8").send().await.unwrap();
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    let body: Value = old.json().await.unwrap();
    assert_eq!(body["code"], "not_websocket");
    assert!(body["message"].as_str().unwrap().starts_with("Cette adresse"), "{body}");
    let posted = app.client.post(app.url("/ws")).send().await.unwrap();
    assert_eq!(posted.status(), StatusCode::METHOD_NOT_ALLOWED);

    // A real handshake: 101 with the accept key of RFC 6455's example.
    let mut client = Client::connect(&app).await;
    client.send(json!({"type": "ping"})).await;
    assert_eq!(client.next().await, json!({"type": "pong"}));
    let raw = upgrade("13").send().await.unwrap();
    assert_eq!(raw.status(), StatusCode::SWITCHING_PROTOCOLS);
    assert_eq!(raw.headers()["sec-websocket-accept"], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

#[tokio::test]
async fn signing_out_closes_the_sockets_of_that_session() {
    let app = spawn_app().await;
    let s = app.register("leaving@example.org").await;
    let mut client = Client::connect(&app).await;
    client.send(json!({"type": "auth", "token": s.access_token})).await;
    assert_eq!(client.next().await["type"], "authenticated");
    client.send(json!({"type": "auth", "token": s.refresh_token})).await;
    assert_eq!(client.next().await["code"], "token_wrong_type");
    let out = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .json(&json!({"refresh_token": s.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(client.close_code().await, 4001);
}

#[tokio::test]
async fn an_expired_token_closes_the_socket() {
    let app = spawn_app().await;
    let s = app.register("brief@example.org").await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({"iss": app.public_url, "aud": "hackops", "sub": s.user_id, "iat": now, "nbf": now,
                        "exp": now + 2, "jti": uuid::Uuid::new_v4(), "typ": "access"});
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap();
    let mut client = Client::connect(&app).await;
    client.send(json!({"type": "auth", "token": token})).await;
    assert_eq!(client.next().await["type"], "authenticated");
    assert_eq!(client.close_code().await, 4001);
}

/// Two instances on one database, Redis between them.
async fn two_instances() -> (TestApp, TestApp) {
    let a = spawn_app_with(Options { demo: true, redis: true, ..Options::default() }).await;
    let b = spawn_app_with(Options {
        redis: true,
        database_url: Some(a.database_url.clone()),
        ..Options::default()
    })
    .await;
    (a, b)
}

#[tokio::test]
async fn a_change_on_one_instance_reaches_clients_of_another() {
    let (a, b) = two_instances().await;
    let event = demo_event(&a).await;
    let topic = format!("event:{event}");
    let mut on_b = Client::connect(&b).await;
    on_b.subscribe(&topic, None).await;
    let token = organiser_token(&a).await;
    a.patch_as(&format!("/api/v1/events/{event}"), &token, &json!({"title": "Changed on A"})).await;
    let update = on_b.until_version(&topic, 1).await;
    assert_eq!(update["data"]["title"], "Changed on A");
}

#[tokio::test]
async fn clients_converge_when_redis_drops_subscribers_mid_stream() {
    let (a, b) = two_instances().await;
    let event = demo_event(&a).await;
    let topic = format!("event:{event}");
    let mut clients = Vec::new();
    for app in [&a, &b, &b] {
        let mut client = Client::connect(app).await;
        client.subscribe(&topic, None).await;
        clients.push(client);
    }
    let token = organiser_token(&a).await;
    let redis = redis::Client::open(redis_url()).unwrap();
    let mut admin = redis.get_multiplexed_async_connection().await.unwrap();
    let mut last = 0;
    for i in 1..=30u64 {
        let r = a
            .patch_as(
                &format!("/api/v1/events/{event}"),
                &token,
                &json!({"title": format!("Edit {i}")}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        last = i;
        if i % 10 == 5 {
            // Kill every pub/sub connection: messages published meanwhile are lost for good.
            let _: redis::Value = redis::cmd("CLIENT")
                .arg("KILL")
                .arg("TYPE")
                .arg("pubsub")
                .query_async(&mut admin)
                .await
                .unwrap();
        }
    }
    for client in &mut clients {
        let update = client.until_version(&topic, last).await;
        assert_eq!(update["version"], last);
        assert_eq!(update["data"]["title"], format!("Edit {last}"));
    }
}
