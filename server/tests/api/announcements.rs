//! Announcements: audiences, history, pin, live delivery; the control-room counts.

use crate::helpers::*;
use crate::realtime::Client;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn each_audience_sees_its_announcements() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, organiser) = demo(&app).await;
    let path = format!("/api/v1/events/{id}/announcements");
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(public["items"].as_array().unwrap().len(), 1, "spectators see the public one");
    assert_eq!(public["items"][0]["pinned"], true);
    assert_eq!(public["items"][0]["author_name"], "Aminata Ndiaye");

    // Fatou's team works on the first challenge: she sees all three.
    let fatou =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    let hers: Value = app.get_as(&path, &fatou).await.json().await.unwrap();
    assert_eq!(hers["items"].as_array().unwrap().len(), 3);
    // Mariama's team works on another challenge.
    let mariama = session(app.login("mariama@demo.test", "demo-password").await).await.access_token;
    let others: Value = app.get_as(&path, &mariama).await.json().await.unwrap();
    assert_eq!(others["items"].as_array().unwrap().len(), 2);

    let urgent = app.post_as(&path, &organiser, &json!({"body": "La date limite est repoussée à 18 h.", "priority": "urgent", "audience": "participants"})).await;
    assert_eq!(urgent.status(), StatusCode::CREATED);
    let urgent: Value = urgent.json().await.unwrap();
    let hers: Value = app.get_as(&path, &fatou).await.json().await.unwrap();
    assert_eq!(hers["items"][1]["id"], urgent["id"], "pinned first, then newest");

    let bad = app.post_as(&path, &organiser, &json!({"body": "", "audience": "judges"})).await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown_challenge = app
        .post_as(
            &path,
            &organiser,
            &json!({"body": "x", "audience": format!("challenge:{}", uuid::Uuid::new_v4())}),
        )
        .await;
    assert_error(unknown_challenge, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(
        app.post_as(&path, &fatou, &json!({"body": "spam", "audience": "everyone"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let aid = urgent["id"].as_str().unwrap();
    assert_eq!(
        app.post_as(&format!("{path}/{aid}/pin"), &organiser, &json!({"pinned": true}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let hers: Value = app.get_as(&path, &fatou).await.json().await.unwrap();
    assert_eq!(hers["items"][0]["id"], aid, "the newest pinned one leads");
    let gone = app
        .client
        .delete(app.url(&format!("{path}/{aid}")))
        .bearer_auth(&organiser)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("announcements").await, 3);
}

#[tokio::test]
async fn announcements_arrive_live_on_their_audience_topic_only() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, organiser) = demo(&app).await;
    let mut spectator = Client::connect(&app).await;
    let everyone = format!("announcements:{id}:everyone");
    let participants = format!("announcements:{id}:participants");
    assert_eq!(
        spectator.subscribe(&everyone, None).await["data"]["items"].as_array().unwrap().len(),
        1
    );
    let refused = spectator.subscribe(&participants, None).await;
    assert_eq!(refused["code"], "unauthenticated");

    let fatou =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    let mut participant = Client::connect(&app).await;
    participant.send(json!({"type": "auth", "token": fatou})).await;
    participant.next().await;
    assert_eq!(participant.subscribe(&participants, None).await["type"], "snapshot");

    app.post_as(
        &format!("/api/v1/events/{id}/announcements"),
        &organiser,
        &json!({"body": "Pizza à 20 h !", "audience": "participants"}),
    )
    .await;
    let update = participant.until_version(&participants, 1).await;
    assert_eq!(update["data"]["items"][0]["body"], "Pizza à 20 h !");
    app.post_as(
        &format!("/api/v1/events/{id}/announcements"),
        &organiser,
        &json!({"body": "Ouvert au public demain.", "audience": "everyone"}),
    )
    .await;
    let update = spectator.until_version(&everyone, 1).await;
    assert_eq!(update["data"]["items"].as_array().unwrap().len(), 2);
    assert!(
        update["data"].to_string().find("Pizza").is_none(),
        "spectators never receive participants' notices"
    );
}

#[tokio::test]
async fn the_control_room_counts() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, organiser) = demo(&app).await;
    let stats: Value =
        app.get_as(&format!("/api/v1/events/{id}/stats"), &organiser).await.json().await.unwrap();
    assert_eq!(
        stats,
        json!({"registrations": {"confirmed": 6, "waitlisted": 0, "pending": 0}, "teams": 2, "without_team": 2, "downloads": 0})
    );
    let csv = app
        .get_as(&format!("/api/v1/events/{id}/teams.csv"), &organiser)
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("team,challenge_id,members,captain\r\n"));
    assert!(
        csv.contains("Les Baobabs") && csv.contains("Fatou Sarr; Awa Diop; Ibrahima Fall"),
        "{csv}"
    );
    let fatou =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    assert_error(
        app.get_as(&format!("/api/v1/events/{id}/stats"), &fatou).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}
